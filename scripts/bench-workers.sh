#!/usr/bin/env bash
# Worker throughput on the PostgreSQL queue: the same articles processed by 1 worker and by
# 2 workers (each with one extraction thread), on a fresh database each time.
#
#   eval "$(scripts/pg-test-server.sh start)"
#   scripts/bench-workers.sh [CORPUS.jsonl] [ARTICLES]
#
# Prints articles/s for each and the ratio. Uses target/release/chronicle (build it first).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/bbc_news_2225/bbc_news_2225.jsonl}
n=${2:-1000}
bin=target/release/chronicle
: "${CHRONICLE_TEST_PG:?start a server: eval \"\$(scripts/pg-test-server.sh start)\"}"
base=${CHRONICLE_TEST_PG%/*}
tmp=$(mktemp -d)
head -n "$n" "$corpus" > "$tmp/in.jsonl"
declare -A rate
for k in 1 2; do
  db=chronicle_bench_w$k
  psql -q "$CHRONICLE_TEST_PG" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  url=$base/$db
  "$bin" enqueue --db "$url" "$tmp/in.jsonl" 2>/dev/null
  # The clock includes each worker's start-up (models load in about 0.1 s).
  start=$(date +%s.%N)
  pids=()
  for i in $(seq 1 "$k"); do
    "$bin" worker --db "$url" --exit-when-empty -j 1 --batch 32 --name "w$i" 2>/dev/null & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  secs=$(python3 -c "print(f'{$end - $start:.2f}')")
  rate[$k]=$(python3 -c "print(f'{$n / ($end - $start):.1f}')")
  echo "$k worker(s): $n articles in $secs s = ${rate[$k]} articles/s ($("$bin" status --db "$url" | head -1))"
done
python3 -c "print(f'2 workers / 1 worker = {${rate[2]} / ${rate[1]}:.2f}x')"
rm -rf "$tmp"
