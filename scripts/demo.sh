#!/usr/bin/env bash
# The main job on shipped data: install what is missing, build, then run the
# nightly crawl over a realistic day of newly seen names (data/samples/),
# storing state in squatguard.db and printing the ranked new alerts.
# Run it again and nothing new is raised.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# Exit code 1 means "new alerts were raised": that is the demo working.
status=0
./build/cli/squatguard crawl feed data/samples/day-2026-11-24.jsonl --db squatguard.db --format table || status=$?
[[ $status == 0 || $status == 1 ]] || exit "$status"
