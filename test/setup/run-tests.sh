#!/usr/bin/env bash
# npm test: OS packages the tests need, type checks, lint, formatting, then the whole suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/setup/install-os-deps.sh
npm run --silent typecheck
npm run --silent lint
npm run --silent format:check
# Every temp file and directory the tests (and the proxies, servers and browsers they start) make
# goes in one directory of this run's, removed at the end, so runs leave nothing in /tmp.
# Under /tmp, not under a TMPDIR the machine may set: Unix socket paths must stay short.
TMPDIR=$(mktemp -d /tmp/mcp-guard-tests-XXXXXX)
export TMPDIR
trap 'rm -rf "$TMPDIR" || true' EXIT
report="$TMPDIR/vitest-report.json"
status=0
bash test/setup/keyring-session.sh npx vitest run --reporter=default --reporter=json --outputFile="$report" "$@" || status=$?
# One plain closing line for CI: "N passed, N failed".
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);' "$report" || true
exit $status
