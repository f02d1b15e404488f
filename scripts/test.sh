#!/usr/bin/env bash
# The whole test suite: unit and integration tests of the engine, then browser and HTML-validator tests of the
# shipped site (tests/browser/). Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0

if cargo nextest --version >/dev/null 2>&1; then
  # Not --all-targets: the benchmarks are programs (harness = false), not tests.
  cargo nextest run --lib --bins --tests --no-fail-fast || status=$?
  # nextest does not run doctests; there are none in this binary crate, so nothing is skipped.
else
  cargo test --lib --bins --tests --no-fail-fast || status=$?
fi

# --- Browser and HTML-validator tests ---------------------------------------------------------------------
# Every page of the shipped site in Debian's Chromium (axe, CSP, no requests to other hosts, 320px reflow,
# skip link) and through the Nu Html Checker; see tests/browser/site.test.mjs.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium fonts-liberation)
command -v java >/dev/null 2>&1 || apt_packages+=(default-jre-headless)
if [ "${#apt_packages[@]}" -gt 0 ]; then
  echo "test.sh: installing ${apt_packages[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${apt_packages[@]}"
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: Node.js and npm are needed for tests/browser/" >&2
  exit 2
fi

# --ignore-scripts: vnu-jar's postinstall would only fetch a Java runtime, and Java is installed above.
(cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts)

tmpdir="$(mktemp -d)"
trap 'rm -rf "$tmpdir"' EXIT
cargo run --release -- build --output "$tmpdir/public"

# The spec reporter ends with the counts (tests, pass, fail, duration_ms); keep that the last output.
SITE_DIR="$tmpdir/public" node --test --test-reporter=spec tests/browser/*.test.mjs || status=$?

exit "$status"
