#!/usr/bin/env bash
# Idle runner CPU: one runner (32 shards) on a fresh namespace; wait WARM s after ready, then
# utime+stime from /proc/<pid>/stat over WINDOW s. Stops the runner by its pid and removes its
# streams, schema and keys. `npm run bench:idle` (WARM=15 WINDOW=20 by default; THREADS=1 per thread).
set -euo pipefail
WARM=${WARM:-15}; WINDOW=${WINDOW:-20}
cd "$(dirname "$0")/../.."
ID="t_$(head -c8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
LOG_DIR="${TMPDIR:-/tmp}/larder-bench"; mkdir -p "$LOG_DIR"; LOG="$LOG_DIR/idle-runner-$ID.log"
NATS_URL=nats://127.0.0.1:4222 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 \
LARDER_NAMESPACE=$ID LARDER_SHARDS=32 LARDER_DB_SCHEMA=$ID LARDER_REDIS_PREFIX="$ID:" LOG_LEVEL=info \
  node --conditions=development --import tsx apps/inventory-actors/src/main.ts >"$LOG" 2>&1 &
PID=$!
for _ in $(seq 1 240); do grep -q '"runner ready"' "$LOG" && break; sleep 0.5; done
grep -q '"runner ready"' "$LOG" || { echo "not ready"; kill -TERM $PID; exit 1; }
sleep "$WARM"
TCK=$(getconf CLK_TCK)
t() { awk '{print $14+$15}' /proc/$PID/stat; }
threads() { for f in /proc/$PID/task/*/stat; do sed 's/^\([0-9]*\) (.*) /\1 /' "$f" | awk -v p=$PID '{print ($1==p?"main":"thread-"$1)"|"$13"|"$14}'; done | sort; }
T0=$(threads); A=$(t); S=$(date +%s.%N); sleep "$WINDOW"; B=$(t); E=$(date +%s.%N); T1=$(threads)
if [ -n "${THREADS:-}" ]; then join -t'|' <(echo "$T0") <(echo "$T1") | awk -F'|' -v h=$(getconf CLK_TCK) -v w=$WINDOW '{d=($4-$2)+($5-$3); if(d>0) printf "  %-22s user %5.2f%%  sys %5.2f%%\n", $1, 100*($4-$2)/h/w, 100*($5-$3)/h/w}'; fi
awk -v a=$A -v b=$B -v s=$S -v e=$E -v h=$TCK 'BEGIN{printf "idle runner CPU: %.2f%% of one core (%.2f s CPU over %.1f s)\n", 100*(b-a)/h/(e-s), (b-a)/h, e-s}'
kill -TERM $PID; wait $PID || true
grep -cE '"level":(40|50|60)' "$LOG" | sed "s/^/warn+error lines: /" || true
node --input-type=module -e "
import { connect } from '@nats-io/transport-node'; import { jetstreamManager } from '@nats-io/jetstream';
const nc = await connect({ servers: '127.0.0.1:4222' }); const jsm = await jetstreamManager(nc);
for await (const n of jsm.streams.names()) if (n.toLowerCase().includes('$ID')) await jsm.streams.delete(n);
await nc.close();" || true
psql -q postgresql://postgres@127.0.0.1:5432/postgres -c "drop schema if exists $ID cascade" >/dev/null 2>&1 || true
redis-cli --scan --pattern "$ID:*" | xargs -r redis-cli del >/dev/null || true
