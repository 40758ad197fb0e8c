#!/usr/bin/env bash
# Builds the fuzz targets (fuzz/, cargo fuzz, libFuzzer) and runs each for a while, one
# after another. See ARCHITECTURE.md, "Fuzzing".
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      default 60
#
# Environment:
#   FUZZ_TARGETS="jsonl time"   only these targets (default: all of them)
#   FUZZ_RUNS=10000000          stop each target after this many executions instead of
#                               after SECONDS_PER_TARGET (whichever comes first when both)
#   FUZZ_SEED=1                 libFuzzer's random seed (default: a new one each run); CI
#                               fixes it, so its short run repeats and a failure there is
#                               a regression, not a lucky find
#   FUZZ_SANITIZER=address      build with ASan (default: none, 2-3x faster; the code is
#                               safe Rust, and panics, overflow (debug assertions are on),
#                               stack overflow, timeouts and memory blow-ups are caught
#                               without it)
#
# Prints executions, time and exit status per target; exits non-zero if any target found a
# crash, a timeout or an out-of-memory input, naming the saved input (fuzz/artifacts/...).
# Reproduce one with: cargo +nightly fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...
# The corpus each run grows is kept in fuzz/corpus/TARGET (git-ignored) and reused by the
# next run; committed seeds are in fuzz/seeds/TARGET, seeds from ../shared (if built by
# scripts/fuzz-seeds.sh) in fuzz/corpus-shared/TARGET.
set -uo pipefail
cd "$(dirname "$0")/.."

SECS="${1:-60}"
case "$SECS" in '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET]" >&2; exit 2 ;; esac
SAN="${FUZZ_SANITIZER:-none}"
ALL="jsonl readers html time pipeline"
TARGETS="${FUZZ_TARGETS:-$ALL}"

# Per target: the longest input (bytes) and the time one input may take (s).
max_len() {
  case "$1" in
    jsonl) echo 16384 ;; readers | html) echo 65536 ;; time) echo 4096 ;; pipeline) echo 16384 ;;
    *) echo 16384 ;;
  esac
}
timeout_of() {
  case "$1" in pipeline | html | readers) echo 20 ;; *) echo 10 ;; esac
}

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz.sh: the nightly toolchain is required (cargo fuzz needs it):" >&2
  echo "  rustup toolchain install nightly --profile minimal" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz (cargo install cargo-fuzz --locked)"
  cargo install cargo-fuzz --locked || { echo "fuzz.sh: cannot install cargo-fuzz" >&2; exit 2; }
fi

echo "== cargo +nightly fuzz build -s $SAN ($(cargo fuzz --version))"
start=$(date +%s)
if ! cargo +nightly fuzz build -s "$SAN"; then
  echo "fuzz.sh: the fuzz targets do not build" >&2
  exit 2
fi
echo "build: $(($(date +%s) - start)) s"

mkdir -p fuzz/logs
failed=0
summary=()
for t in $TARGETS; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  dirs=("fuzz/corpus/$t" "fuzz/seeds/$t")
  [ -d "fuzz/corpus-shared/$t" ] && dirs+=("fuzz/corpus-shared/$t")
  opts=(-max_total_time="$SECS" -max_len="$(max_len "$t")" -timeout="$(timeout_of "$t")"
        -rss_limit_mb=2048 -print_final_stats=1)
  [ -n "${FUZZ_RUNS:-}" ] && opts+=(-runs="$FUZZ_RUNS")
  [ -n "${FUZZ_SEED:-}" ] && opts+=(-seed="$FUZZ_SEED")
  log="fuzz/logs/$t.log"
  echo "== $t: ${dirs[*]} ${opts[*]}"
  t0=$(date +%s)
  cargo +nightly fuzz run -s "$SAN" "$t" "${dirs[@]}" -- "${opts[@]}" >"$log" 2>&1
  rc=$?
  wall=$(($(date +%s) - t0))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  done_line=$(grep -E '^Done [0-9]+ runs in' "$log" | tail -1)
  grep -E '^(#[0-9]+ *DONE|Done [0-9]+ runs|stat::)' "$log" | sed 's/^/   /'
  line="$t: ${execs:-?} executions, ${wall} s, exit $rc"
  if [ "$rc" -ne 0 ]; then
    failed=1
    # The panic message or libFuzzer's reason, and where the input was saved.
    grep -E "panicked at|^==[0-9]+== ERROR|ERROR: libFuzzer|SUMMARY: libFuzzer" "$log" | head -5 | sed 's/^/   /'
    art=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -1 | sed 's/Test unit written to //')
    line="$line: FAILED, input saved at ${art:-?} (full log $log)"
  fi
  [ -n "$done_line" ] || [ "$rc" -ne 0 ] || line="$line (no final stats in $log)"
  echo "$line"
  summary+=("$line")
done

echo "== summary (${SECS} s per target${FUZZ_RUNS:+, at most $FUZZ_RUNS runs})"
printf '%s\n' "${summary[@]}"
exit "$failed"
