#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: start it, run a command with CROFTON_TEST_PG set,
# stop it and remove it. The command's exit code is this script's.
#
#   tools/test_postgres.sh .venv/bin/python -m pytest -q tests/unit/store tests/unit/services
#
# Installs Debian's postgresql package if no initdb is found (needs root). PostgreSQL refuses
# to run as root, so as root the server runs as the `postgres` user (made if absent).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]   (runs COMMAND with CROFTON_TEST_PG naming a fresh server)" >&2
  exit 2
fi

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then
    echo "$found"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

PGBIN=$(find_bin)
if [ -z "$PGBIN" ]; then
  echo "installing PostgreSQL (Debian's postgresql package) for the tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PGBIN=$(find_bin)
fi
if [ -z "$PGBIN" ]; then
  echo "no PostgreSQL server found (initdb), and it could not be installed" >&2
  exit 1
fi

# Run server commands as an unprivileged user when we are root.
as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  as_server_user=(runuser -u postgres --)
fi

PGROOT=$(mktemp -d -t crofton-pg-XXXXXX)
chmod 700 "$PGROOT"
[ "${#as_server_user[@]}" -gt 0 ] && chown postgres "$PGROOT"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

stop_server() {
  "${as_server_user[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap stop_server EXIT

"${as_server_user[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >"$PGROOT/initdb.log" 2>&1 || {
  cat "$PGROOT/initdb.log" >&2
  exit 1
}
"${as_server_user[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 \
  -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
      -c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PGROOT \
      -c max_connections=200" \
  start >/dev/null || {
  cat "$PGROOT/server.log" >&2
  exit 1
}

# A role with a password (the tests check a wrong one is refused) that may create databases
# (the fixture makes one per test from a template). Password auth on TCP, trust on the socket.
"${as_server_user[@]}" "$PGBIN/psql" -q -h "$PGROOT" -p "$PORT" -U postgres -d postgres \
  -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE crofton LOGIN CREATEDB PASSWORD 'crofton-test'" \
  -c "CREATE DATABASE crofton OWNER crofton" >/dev/null
sed -i 's/^host\(.*\)trust$/host\1scram-sha-256/' "$PGROOT/data/pg_hba.conf"
"${as_server_user[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" reload >/dev/null

export CROFTON_TEST_PG="postgresql://crofton:crofton-test@127.0.0.1:$PORT/crofton"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (CROFTON_TEST_PG set)"
set +e
"$@"
status=$?
set -e
exit "$status"
