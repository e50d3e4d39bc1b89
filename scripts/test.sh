#!/usr/bin/env bash
# Runs every test: unit tests, the integration suite on the seed reports, and doc tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --all-targets
cargo test --doc
