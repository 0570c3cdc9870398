# SPDX-License-Identifier: MIT
# Client stack: Perl DBI with DBD::SQLite (Debian's libdbd-sqlite3-perl links libsqlite3.so.0);
# tests/stacks/stack.sh runs it on both backends.
use strict;
use warnings;
use DBI;

my $dbh = DBI->connect("dbi:SQLite:dbname=stack.db", "", "",
                       { RaiseError => 1, PrintError => 0, AutoCommit => 1 });
$dbh->do("CREATE TABLE stack_item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
         . " price REAL, qty INTEGER, note TEXT)");
$dbh->begin_work;
my $ins = $dbh->prepare("INSERT INTO stack_item (name, price, qty, note) VALUES (?, ?, ?, ?)");
$ins->execute(@$_) for (["apple", 1.25, 3, "red"], ["bread", 2.5, 1, undef], ["cheese", 7.0, 2, "aged"]);
$dbh->commit;
print "last id: ", $dbh->last_insert_id(undef, undef, "stack_item", "id"), "\n";
print "updated: ", $dbh->do("UPDATE stack_item SET qty = qty + 1 WHERE price > ?", undef, 2), "\n";
eval { $dbh->do("INSERT INTO stack_item (name) VALUES (?)", undef, "apple"); 1 }
  or print "error: ", ($dbh->errstr =~ s/ at .*//sr), "\n";
my $rows = $dbh->selectall_arrayref("SELECT id, name, price, qty, note FROM stack_item ORDER BY id");
print "row: ", join("|", map { defined $_ ? $_ : "NULL" } @$_), "\n" for @$rows;
print "agg: ", join("|", $dbh->selectrow_array("SELECT count(*), sum(qty), avg(price) FROM stack_item")), "\n";
my $sth = $dbh->prepare("SELECT name FROM stack_item WHERE qty = :q ORDER BY id");
$sth->bind_param(":q", 2);
$sth->execute;
while (my ($n) = $sth->fetchrow_array) { print "named: $n\n"; }
$dbh->begin_work;
$dbh->do("INSERT INTO stack_item (name) VALUES ('ghost')");
$dbh->rollback;
print "deleted: ", $dbh->do("DELETE FROM stack_item WHERE id = ?", undef, 2), "\n";
print "kept: ", join(",", map { $_->[0] } @{$dbh->selectall_arrayref("SELECT name FROM stack_item ORDER BY name")}), "\n";
$dbh->disconnect;
