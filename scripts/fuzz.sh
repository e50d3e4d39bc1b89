#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for MINUTES minutes each and prints, per target,
# the executions, the coverage reached and whether it crashed.
#
#   scripts/fuzz.sh MINUTES [TARGET...]      # default: all five targets, one at a time
#   JOBS=2 scripts/fuzz.sh 10                # two targets at once (never more on two cores)
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). The fuzz crate is its
# own workspace with its own target dir (fuzz/target). Each target starts from the committed
# seed corpus fuzz/corpus/<target> and keeps what it finds in fuzz/target/corpus/<target>
# (not committed); crashes are written to fuzz/artifacts/<target>/ — turn each into a
# regression test in tests/integration/hostile.rs. Logs: fuzz/target/logs/<target>.log.
set -uo pipefail
cd "$(dirname "$0")/.."

minutes=${1:?usage: scripts/fuzz.sh MINUTES [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(text docx html xlsx review)
fi
jobs=${JOBS:-1}
seconds=$((minutes * 60))

# Inputs larger than a real report are refused by the limits before any parsing; the fuzzer's
# time is better spent on report-sized inputs.
max_len() {
  case "$1" in
    text | html) echo 131072 ;;
    docx | xlsx) echo 262144 ;;
    review) echo 65536 ;;
  esac
}

# `cargo fuzz build` takes one target (or builds all of them when given none).
for t in "${targets[@]}"; do
  cargo +nightly fuzz build -a "$t" >/dev/null || exit 1
done
mkdir -p fuzz/target/logs

run_one() {
  local t=$1
  mkdir -p "fuzz/target/corpus/$t" "fuzz/artifacts/$t"
  # -timeout: one input taking 10 s is a finding (the limits promise 2 s for a whole file);
  # -rss_limit_mb: a run over 2 GB is a finding (the limits promise 200 MB).
  nice -n 10 cargo +nightly fuzz run -a "$t" "fuzz/target/corpus/$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
    -print_final_stats=1 >"fuzz/target/logs/$t.log" 2>&1
  echo $? >"fuzz/target/logs/$t.status"
}

running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  echo "fuzzing $t for $minutes min…"
  run_one "$t" &
  running=$((running + 1))
done
wait

failed=0
printf '%-8s %14s %10s %8s  %s\n' target executions exec/s cov result
for t in "${targets[@]}"; do
  log=fuzz/target/logs/$t.log
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  status=$(cat "fuzz/target/logs/$t.status" 2>/dev/null || echo '?')
  if [ "$status" = 0 ]; then
    result=ok
  else
    result="FAILED (exit $status): $(grep -m1 -E 'panicked|ERROR: libFuzzer|SUMMARY' "$log")"
    failed=1
  fi
  printf '%-8s %14s %10s %8s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "${cov:-?}" "$result"
done
exit $failed
