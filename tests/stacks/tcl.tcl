# SPDX-License-Identifier: MIT
# Client stack: Tcl's sqlite3 package (Debian's libsqlite3-tcl links libsqlite3.so.0);
# tests/stacks/stack.sh runs it on both backends.
package require sqlite3
sqlite3 db stack.db
db eval {CREATE TABLE stack_item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
         price REAL, qty INTEGER, note TEXT)}
db transaction {
    foreach {name price qty note} {apple 1.25 3 red bread 2.5 1 {} cheese 7.0 2 aged} {
        if {$note eq ""} {
            db eval {INSERT INTO stack_item (name, price, qty, note) VALUES ($name, $price, $qty, NULL)}
        } else {
            db eval {INSERT INTO stack_item (name, price, qty, note) VALUES ($name, $price, $qty, $note)}
        }
    }
}
puts "last id: [db last_insert_rowid]"
set min 2
db eval {UPDATE stack_item SET qty = qty + 1 WHERE price > $min}
puts "updated: [db changes]"
if {[catch {db eval {INSERT INTO stack_item (name) VALUES ('apple')}} msg]} { puts "error: $msg" }
db eval {SELECT id, name, price, qty, note FROM stack_item ORDER BY id} r {
    puts "row: $r(id) $r(name) $r(price) $r(qty) [expr {$r(note) eq {} ? {NULL} : $r(note)}]"
}
puts "agg: [db eval {SELECT count(*), sum(qty), avg(price) FROM stack_item}]"
set q 2
puts "named: [db eval {SELECT name FROM stack_item WHERE qty = :q ORDER BY id}]"
puts "onecolumn: [db onecolumn {SELECT name FROM stack_item WHERE id = 3}]"
catch {db transaction { db eval {INSERT INTO stack_item (name) VALUES ('ghost')}; error rollback }}
db eval {DELETE FROM stack_item WHERE id = 2}
puts "deleted: [db changes]"
puts "kept: [join [db eval {SELECT name FROM stack_item ORDER BY name}] ,]"
db close
