#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster of its own, then remove the cluster.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/selfdirect-pg.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$work"
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as_owner[@]}" "$bindir/initdb" -D "$work/data" -A trust -U postgres --no-sync >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$work/data" -l "$work/log" -w \
  -o "-k $work -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
export DATABASE_URL="postgres://postgres@/selfdirect?host=$work&port=$port"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running for the tests on socket $work port $port"
"$@"
