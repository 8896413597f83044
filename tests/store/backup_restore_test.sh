#!/usr/bin/env bash
# scripts/backup-store, as docs/deployment.md tells an operator to use it:
# the demo's store (SQLite, or PostgreSQL with a test server's folder as
# $2) is backed up, restored into an empty target, and the restored store
# gives the same SafeLives return, keeps the audit head recorded before the
# backup, and verifies. A second restore into the filled target is refused.
#   backup_restore_test.sh BUILD_BIN_DIR [POSTGRES_TEST_DIR]
set -euo pipefail
bin=$1
pg_dir=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/marac-backup-XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ -n "$pg_dir" ]; then
  server=$(cat "$pg_dir/uri")
  suffix=$$
  for db in "backup_src_$suffix" "backup_dst_$suffix"; do
    psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
      -c "CREATE DATABASE $db"
  done
  trap 'rm -rf "$work"; for db in backup_src_$suffix backup_dst_$suffix; do psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; done' EXIT
  source_store="$server/backup_src_$suffix"
  target_store="$server/backup_dst_$suffix"
  "$bin/marac" demo --out "$work/demo" --store "$source_store" >/dev/null
else
  "$bin/marac" demo --out "$work/demo" >/dev/null
  source_store="$work/demo/marac.db"
  target_store="$work/restored.db"
fi

head=$("$bin/marac" audit verify --store "$source_store" --user backup-test |
  sed -n 's/.*head \([0-9]*:[0-9a-f]*\).*/\1/p')
[ -n "$head" ] || { echo "FAIL: no audit head from the source"; exit 1; }
"$bin/marac" return safelives --store "$source_store" --quarter 2026Q3 \
  --format csv --user backup-test >"$work/before.csv"

"$root/scripts/backup-store" backup "$source_store" "$work/marac.backup"
"$root/scripts/backup-store" restore "$work/marac.backup" "$target_store"

"$bin/marac" audit verify --store "$target_store" --expect-head "$head" \
  --user backup-test >"$work/verify.txt" ||
  { cat "$work/verify.txt"; echo "FAIL: the restored audit chain"; exit 1; }
grep -q "intact" "$work/verify.txt"
"$bin/marac" return safelives --store "$target_store" --quarter 2026Q3 \
  --format csv --user backup-test >"$work/after.csv"
cmp "$work/before.csv" "$work/after.csv" ||
  { echo "FAIL: the restored store gives another return"; exit 1; }
if "$root/scripts/backup-store" restore "$work/marac.backup" "$target_store" \
  2>"$work/refused.txt"; then
  echo "FAIL: a restore over a filled store was not refused"
  exit 1
fi
grep -q -E "not empty|exists" "$work/refused.txt"
echo "backup and restore: the restored store verifies from head $head and gives the same return"
