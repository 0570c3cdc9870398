insert into u(k, v) values (?, ?), (2, 'x'), (3, -1.5), (4, x'00'), (5, cast(? as integer));
update u set v = ?2, k = v where v = 5 and -2.5 < v or v <> u.k;
insert into u values (1, ?, 1) on conflict(rowid) do update set v = excluded.v, flag = 0;
select distinct v, u.v as w, typeof(v) from u where v >= 1e3 group by v;
select * from u as x, u where x.v == 1;
insert into u(v) select v from u union select 1;
replace into u(k, v) values (?, ?);
