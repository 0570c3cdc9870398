#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a test with the environment of the server that the pg_start fixture started.
#   with_env.sh STATE_DIR CMD [ARGS]
# Fails (never skips) when the server is not there: a test that cannot reach PostgreSQL fails.
set -euo pipefail
state=$1; shift
[ -f "$state/env" ] || { echo "with_env: no PostgreSQL at $state (did pg_start run?)" >&2; exit 1; }
# shellcheck disable=SC1091
. "$state/env"
exec "$@"
