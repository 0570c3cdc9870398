# SPDX-License-Identifier: MIT
# Child processes and a database file that is deleted (docs/compatibility.md D1): a child
# (subprocess, or fork without exec) creates tables in a file the parent created, or creates
# the file itself; the parent deletes the file and opens the name again.  On SQLite that is a
# new, empty database; on PostgreSQL the same, because what the parent's descendants made in
# that file is moved aside.  CPython's MultiprocessTests do exactly this.
import os
import sqlite3
import subprocess
import sys

def master(cx):
    return cx.execute("select type, name from sqlite_master order by type, name").fetchall()

def child(code):
    subprocess.run([sys.executable, "-c", "import sqlite3\n" + code], check=True)

def reopen_deleted(cx, name, step):
    """Close cx, delete the file, open the name again and show what it holds."""
    cx.close()
    os.unlink(name)
    cx = sqlite3.connect(name)
    print(step, "after delete:", master(cx))
    return cx

# 1. the parent creates the file; a child creates a table and a view in it
cx = sqlite3.connect("parent_made.db")
cx.execute("create table mine(x integer)")
cx.commit()
child("cx = sqlite3.connect('parent_made.db')\n"
      "cx.execute('create table from_child(y integer)')\n"
      "cx.execute('insert into from_child values (7)')\n"
      "cx.execute('create view child_view as select y from from_child')\n"
      "cx.commit()\n")
print("1 parent sees:", master(cx), cx.execute("select y from child_view").fetchall())
cx = reopen_deleted(cx, "parent_made.db", "1")
cx.execute("create table from_child(z text)")   # the name is free again
print("1 recreated:", master(cx))
cx.close()
os.unlink("parent_made.db")

# 2. a child creates the file and a table in it (CPython's test_ctx_mgr_rollback_if_commit_failed)
child("cx = sqlite3.connect('child_made.db')\n"
      "cx.execute('create table t(t)')\n"
      "cx.commit()\n")
cx = sqlite3.connect("child_made.db")
print("2 parent sees:", master(cx))
cx = reopen_deleted(cx, "child_made.db", "2")
cx.execute("create table t(t)")   # CPython's next test: "table t already exists" if not moved
print("2 recreated:", master(cx))
cx.close()
os.unlink("child_made.db")

# 3. a grandchild (a child's child), through a shell
cx = sqlite3.connect("deep.db")
cx.close()
subprocess.run(["sh", "-c", sys.executable + " -c \"import sqlite3; c = sqlite3.connect('deep.db'); "
                "c.execute('create table grandchild(x integer)'); c.commit()\""], check=True)
cx = sqlite3.connect("deep.db")
print("3 parent sees:", master(cx))
cx = reopen_deleted(cx, "deep.db", "3")
cx.close()
os.unlink("deep.db")

# 4. a forked child (no exec)
cx = sqlite3.connect("forked.db")
cx.execute("create table before_fork(x integer)")
cx.commit()
cx.close()
pid = os.fork()
if pid == 0:
    c = sqlite3.connect("forked.db")
    c.execute("create table in_fork(x integer)")
    c.commit()
    c.close()
    os._exit(0)
_, status = os.waitpid(pid, 0)
print("4 child exit status:", status)
cx = sqlite3.connect("forked.db")
print("4 parent sees:", master(cx))
cx = reopen_deleted(cx, "forked.db", "4")
cx.close()
os.unlink("forked.db")

# 5. a child still running with the file open when the parent deletes it and opens another
# database: SQLite lets the child go on reading the deleted file; its table is not moved
cx = sqlite3.connect("live.db")
cx.close()
p = subprocess.Popen([sys.executable, "-c",
                      "import sqlite3, sys\n"
                      "cx = sqlite3.connect('live.db', isolation_level=None)\n"
                      "cx.execute('create table t(x integer)')\n"
                      "cx.execute('insert into t values (1)')\n"
                      "print('made', flush=True)\n"
                      "sys.stdin.readline()\n"
                      "print('5 child reads:', cx.execute('select x from t').fetchall(), flush=True)\n"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
print("5 child:", p.stdout.readline().strip())
os.unlink("live.db")
sqlite3.connect("other.db").close()   # an open: what deleted files held is collected here
p.stdin.write("go\n")
p.stdin.flush()
print(p.stdout.readline().strip())
print("5 child exit:", p.wait())
