#!/usr/bin/env bash
# The whole test suite: unit and integration tests of the engine. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --all-targets --no-fail-fast
  # nextest does not run doctests; there are none in this binary crate, so nothing is skipped.
else
  cargo test --all-targets --no-fail-fast
fi
