#!/usr/bin/env bash
# Flakiness proof for the browser suite (issue 11): N runs in a row (default 5) while two busy
# loops keep both cores busy. Run from a built checkout (npm run build) with PostgreSQL and Redis up.
# Nothing else should run meanwhile: extra load makes a run's timeouts, not the suite, the subject.
set -u
cd "$(dirname "$0")/.."
runs=${1:-5}
node -e 'for(;;){}' & L1=$!
node -e 'for(;;){}' & L2=$!
trap 'kill $L1 $L2 2>/dev/null' EXIT
echo "busy loops $L1 $L2 from $(date -u +%T)"
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  npx jest --config e2e/jest.config.js --runInBand > "/tmp/load-proof-run$i.log" 2>&1
  rc=$?
  echo "run $i: rc=$rc $(grep -E '^Tests:' "/tmp/load-proof-run$i.log") $(( $(date +%s) - start )) s (load $(cut -d' ' -f1-3 /proc/loadavg))"
  [ $rc -ne 0 ] && exit 1
done
echo "all $runs runs passed"
