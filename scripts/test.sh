#!/usr/bin/env bash
# Runs every test: unit tests, the integration suite (seed reports, formats, checks, export,
# review store, the window under egui_kittest, hostile inputs), examples and benchmarks in test
# mode. Ends with one summary line: "tests: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
# The property tests (tests/integration/props.rs) draw random inputs. This command runs them from
# one fixed seed, so that a CI run is reproducible; `cargo test` alone explores new inputs (and
# proptest keeps a failure it finds in tests/proptest-regressions/: make it a fixed test, as
# props::detached_labels_with_dashes_in_table_two was).
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED-20261203}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --all-targets 2>&1 | tee "$log" || status=$?
passed=$(grep -oE '^test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE '; [0-9]+ failed' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
echo
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
