#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Client stack: the sqlite3 shell reading tests/stacks/shell.sql (run by stack.sh in a fresh
# directory); its exit status is part of the output compared between backends.
sqlite3 stack.db <"$(dirname "$0")/shell.sql"
echo "exit status $?"
