<?php
// SPDX-License-Identifier: MIT
// Client stack: PHP PDO with pdo_sqlite (Debian's php-sqlite3 links libsqlite3.so.0);
// tests/stacks/stack.sh runs it on both backends.
$db = new PDO('sqlite:stack.db');
$db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
$db->exec('CREATE TABLE stack_item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,'
          . ' price REAL, qty INTEGER, note TEXT)');
$db->beginTransaction();
$ins = $db->prepare('INSERT INTO stack_item (name, price, qty, note) VALUES (?, ?, ?, ?)');
foreach ([['apple', 1.25, 3, 'red'], ['bread', 2.5, 1, null], ['cheese', 7.0, 2, 'aged']] as $r)
    $ins->execute($r);
$db->commit();
echo 'last id: ', $db->lastInsertId(), "\n";
$up = $db->prepare('UPDATE stack_item SET qty = qty + 1 WHERE price > ?');
$up->execute([2]);
echo 'updated: ', $up->rowCount(), "\n";
try {
    $db->prepare('INSERT INTO stack_item (name) VALUES (?)')->execute(['apple']);
} catch (PDOException $e) {
    echo 'error: ', $e->getMessage(), "\n";
}
foreach ($db->query('SELECT id, name, price, qty, note FROM stack_item ORDER BY id', PDO::FETCH_NUM) as $r)
    echo 'row: ', var_export($r, true) === null ? '' : json_encode($r), "\n";
echo 'agg: ', json_encode($db->query('SELECT count(*), sum(qty), avg(price) FROM stack_item')->fetch(PDO::FETCH_NUM)), "\n";
$q = $db->prepare('SELECT name FROM stack_item WHERE qty = :q ORDER BY id');
$q->bindValue(':q', 2, PDO::PARAM_INT);
$q->execute();
echo 'named: ', json_encode($q->fetchAll(PDO::FETCH_COLUMN)), "\n";
$db->beginTransaction();
$db->exec("INSERT INTO stack_item (name) VALUES ('ghost')");
$db->rollBack();
echo 'deleted: ', $db->exec('DELETE FROM stack_item WHERE id = 2'), "\n";
echo 'kept: ', implode(',', $db->query('SELECT name FROM stack_item ORDER BY name')->fetchAll(PDO::FETCH_COLUMN)), "\n";
