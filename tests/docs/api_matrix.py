#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/compatibility-api.md, the sqlite3 API compatibility matrix, generated from the ABI
(shim/exports.txt: every exported function) and shim/pg_api.txt (those with a PostgreSQL
implementation), plus the notes below for the partial ones.

Status on a PostgreSQL-backed connection (USE_POSTGRES=1):
  supported    implemented for PostgreSQL handles (shim/pg_api.txt), as SQLite behaves
  partial      implemented, with the difference noted (NOTES)
  library      takes no connection, statement or value handle: it always runs in the real
               libsqlite3 and behaves identically on both backends (memory, strings, mutexes,
               VFS, version...)
  unsupported  answers SQLITE_ERROR "<function> is not supported on the PostgreSQL backend"
               (or its failure value) on a PostgreSQL handle; it still works on SQLite handles
               (:memory: databases stay on SQLite by default)
With USE_POSTGRES unset every function passes through to the real libsqlite3.

    api_matrix.py --write FILE    regenerate
    api_matrix.py --check FILE    fail (exit 1) when FILE is not what --write would produce
                                  (ctest api_matrix: the matrix cannot drift from the ABI)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))

HANDLE_TYPES = {"sqlite3", "sqlite3_stmt", "sqlite3_value", "sqlite3_context", "sqlite3_blob",
                "sqlite3_backup", "sqlite3_session", "sqlite3_changeset_iter",
                "sqlite3_changegroup", "sqlite3_rebaser"}

# Implemented on PostgreSQL handles, with a difference worth knowing.  A name here that is
# not in shim/pg_api.txt is an error (the note would be stale).
NOTES = {
    "sqlite3_error_offset": "always -1: PostgreSQL's error position is not mapped back to the SQLite text",
    "sqlite3_system_errno": "always 0",
    "sqlite3_limit": "limits are remembered and reported, not enforced by the server",
    "sqlite3_busy_handler": "called with SQLite's count each time the database's write lock is found busy, retried while it answers nonzero (docs/compatibility.md D11); PostgreSQL's row and table lock waits (LITESHIFT_LOCKING=row, DDL waiting for a reader) do not call it and wait 1 ms",
    "sqlite3_interrupt": "cancels the running server query (PQcancel)",
    "sqlite3_set_authorizer": "exact SQLite calls: each statement is compiled by the real library in a replica of the schema built from the kept CREATE texts; fails closed (objects liteshift has no text for, SQLITE_IGNORE on a column read); statements prepared before a new authorizer are judged again at their next run, as SQLite re-prepares them",
    "sqlite3_progress_handler": "called when each step begins and every 10 ms while it waits for the server (there are no VM instructions to count); nonzero stops the statement with SQLITE_INTERRUPT",
    "sqlite3_txn_state": "as SQLite: NONE after a deferred BEGIN and after statements that name no table, READ after a read, WRITE once the write lock is held (`backend_txn_state`, both backends); with `LITESHIFT_LOCKING=row` WRITE for any transaction; writes to TEMP objects alone make `temp` and the whole connection (NULL) WRITE and leave `main` as it was, as SQLite (`backend_txn_state_temp`, both backends); still approximate: a read of a TEMP table counts as a read of `main` (SQLite: of `temp`), and a TEMP write after the write lock is taken leaves `temp` NONE (SQLite: WRITE)",
    "sqlite3_db_readonly": "from the open flags and mode=ro, not from server privileges",
    "sqlite3_bind_pointer": "binds NULL (pointer values only mean something to SQLite extensions)",
    "sqlite3_column_database_name": "always \"main\"",
    "sqlite3_value_nochange": "always 0 (no virtual tables)",
    "sqlite3_value_frombind": "always 0",
    "sqlite3_value_subtype": "always 0",
    "sqlite3_stmt_isexplain": "always 0 (EXPLAIN is a documented deviation, DIALECT S34)",
    "sqlite3_stmt_status": "counters are 0",
    "sqlite3_column_decltype": "the type text of the column's CREATE TABLE, kept in liteshift.master (one round trip at the first call on a connection); columns of views and of tables liteshift did not create answer from the PostgreSQL type",
    "sqlite3_blob_open": "emulated with one statement per call (no incremental I/O on the server)",
    "sqlite3_blob_read": "one statement per call",
    "sqlite3_blob_write": "one statement per call",
    "sqlite3_blob_reopen": "one statement per call",
    "sqlite3_create_function": "a statement that calls the function and reads no table (`select f(?)`, a FROM of VALUES or CTEs) runs in the app, on a private in-memory SQLite where the function is registered with the app's callbacks and user data: the function gets SQLite's own sqlite3_context and sqlite3_value objects, so sqlite3_result_*, sqlite3_user_data, sqlite3_aggregate_context and the auxdata calls are the real library's, and sqlite3_context_db_handle answers the app's handle; a statement that also reads a table fails clearly (the C code cannot run in PostgreSQL)",
    "sqlite3_create_function_v2": "as sqlite3_create_function",
    "sqlite3_create_window_function": "as sqlite3_create_function",
    "sqlite3_create_collation": "as sqlite3_create_function: used in a statement that reads no table it runs in the app; with a table the statement fails clearly",
    "sqlite3_create_collation_v2": "as sqlite3_create_collation",
    "sqlite3_trace": "the statement text the app prepared (not the rewritten text)",
    "sqlite3_profile": "times are measured by the shim and include the round trips to the server",
}

FAMILIES = [
    ("Connections and errors", r"^sqlite3_(open|close|err|extended|system_errno|db_|busy|interrupt|limit|get_autocommit|txn_state|changes|total_changes|last_insert|set_last|exec|get_table|free_table|is_interrupted|drop_modules|file_control|table_column_metadata|wal|setlk|collation_needed|commit_hook|rollback_hook|update_hook|progress_handler|set_authorizer|enable|load_extension|autovacuum|serialize|deserialize|cache|release_memory$|db_release)"),
    ("Statements", r"^sqlite3_(prepare|bind|step|reset|finalize|clear_bindings|sql|expanded_sql|normalized_sql|stmt_|next_stmt|data_count|column_)"),
    ("Values and functions", r"^sqlite3_(value_|result_|create_|aggregate|user_data|context_db_handle|get_auxdata|set_auxdata|overload_function)"),
    ("Blobs and backup", r"^sqlite3_(blob_|backup_)"),
    ("Tracing and hooks", r"^sqlite3_(trace|profile|preupdate|unlock_notify)"),
    ("Virtual tables", r"^sqlite3_(vtab|declare_vtab|create_module)"),
    ("Session extension", r"^sqlite3(session|changeset|changegroup|rebaser)_"),
]


def parse_exports(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^(.*?)\b(sqlite3\w*)\s*\((.*)\)\s*$", line)
        if not m:
            sys.exit("api_matrix: cannot read the prototype: %s" % line)
        name, params = m.group(2), m.group(3)
        takes_handle = False
        for p in split_params(params):
            p = re.sub(r"\bconst\b", "", p).strip()
            if "(" in p:
                continue
            m2 = re.match(r"^(\w+)\s*\*\s*\w*$", p)
            if m2 and m2.group(1) in HANDLE_TYPES:
                takes_handle = True
        out.append((name, takes_handle, line))
    return out


def split_params(s):
    depth, cur, parts = 0, "", []
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def family(name, handle):
    for title, pat in FAMILIES:
        if re.match(pat, name):
            return title
    return "Connections and errors" if handle else "Library (no handle)"


def render():
    exports = parse_exports(os.path.join(ROOT, "shim", "exports.txt"))
    pg = {l.split()[0] for l in open(os.path.join(ROOT, "shim", "pg_api.txt"), encoding="utf-8")
          if l.strip() and not l.startswith("#")}
    names = {e[0] for e in exports}
    for n in pg | set(NOTES):
        if n not in names:
            sys.exit("api_matrix: %s is not in shim/exports.txt" % n)
    for n in NOTES:
        if n not in pg:
            sys.exit("api_matrix: NOTES has %s, which has no PostgreSQL implementation "
                     "(shim/pg_api.txt)" % n)
    rows = {}
    counts = {"supported": 0, "partial": 0, "library": 0, "unsupported": 0}
    for name, handle, _ in exports:
        if name in pg:
            status = "partial" if name in NOTES else "supported"
        elif not handle:
            status = "library"
        else:
            status = "unsupported"
        counts[status] += 1
        fam = "Library (no handle)" if status == "library" else family(name, handle)
        rows.setdefault(fam, []).append((name, status, NOTES.get(name, "")))
    out = []
    w = out.append
    w("<!-- Generated by tests/docs/api_matrix.py from shim/exports.txt and shim/pg_api.txt;")
    w("     edit those (or the notes in the script) and run: tests/docs/api_matrix.py --write"
      " docs/compatibility-api.md -->")
    w("# sqlite3 API compatibility on PostgreSQL")
    w("")
    w("Every function `libliteshift.so` exports (the %d functions of Debian's libsqlite3.so.0,"
      " SQLite 3.40.1) and what it does on a connection served by PostgreSQL"
      " (`USE_POSTGRES=1`). With `USE_POSTGRES` unset, and on connections that stay on SQLite"
      " (`:memory:` by default), every function is the real SQLite's." % len(exports))
    w("")
    w("| status | meaning | functions |")
    w("|---|---|---:|")
    w("| supported | implemented for PostgreSQL handles, behaving as SQLite's | %d |" % counts["supported"])
    w("| partial | implemented, with the difference noted | %d |" % counts["partial"])
    w("| library | takes no connection/statement/value handle: always the real SQLite's, the same on both backends | %d |" % counts["library"])
    w("| unsupported | on a PostgreSQL handle returns `SQLITE_ERROR` (or its failure value) with the message \"*function* is not supported on the PostgreSQL backend\"; never a crash | %d |" % counts["unsupported"])
    w("| **total** | | **%d** |" % len(exports))
    w("")
    order = [f[0] for f in FAMILIES] + ["Library (no handle)"]
    for fam in order:
        if fam not in rows:
            continue
        w("## %s" % fam)
        w("")
        w("| function | on PostgreSQL | note |")
        w("|---|---|---|")
        for name, status, note in sorted(rows[fam]):
            w("| `%s` | %s | %s |" % (name, status, note))
        w("")
    return "\n".join(out)


def main(argv):
    if len(argv) != 3 or argv[1] not in ("--write", "--check"):
        print(__doc__, file=sys.stderr)
        return 2
    text = render()
    if argv[1] == "--write":
        with open(argv[2], "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    try:
        have = open(argv[2], encoding="utf-8").read()
    except OSError as e:
        print("FAIL: %s" % e)
        return 1
    if have != text:
        import difflib
        print("FAIL: %s is not the matrix of shim/exports.txt and shim/pg_api.txt"
              " (run tests/docs/api_matrix.py --write %s)" % (argv[2], argv[2]))
        sys.stdout.writelines(difflib.unified_diff(have.splitlines(True), text.splitlines(True),
                                                   "documented", "generated", n=0))
        return 1
    listed = len(re.findall(r"^\| `sqlite3", have, re.M))
    print("ok: %s lists all %d exported functions with their PostgreSQL status" % (argv[2], listed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
