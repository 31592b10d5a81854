#!/usr/bin/env bash
# npm test: OS packages the tests need, type checks, lint, then the whole suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/setup/install-os-deps.sh
npm run --silent typecheck
npm run --silent lint
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$report" "$@" || status=$?
# One plain closing line for CI: "N passed, N failed".
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);' "$report" || true
exit $status
