#!/usr/bin/env bash
# npm test: OS packages the tests need, type checks, lint, then the whole suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/setup/install-os-deps.sh
npm run --silent typecheck
npm run --silent lint
npx vitest run "$@"
