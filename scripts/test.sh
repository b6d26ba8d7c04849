#!/usr/bin/env bash
# `npm test`: installs what the tests need, builds, then runs unit/integration tests
# (Vitest) and end-to-end tests (Playwright driving real Chromium against the real server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
[ -d node_modules ] || npm ci
npm run build
npm run typecheck
npm run lint
npx vitest run
npm run test:e2e
