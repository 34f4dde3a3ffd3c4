#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan, into build-fuzz/) and
# runs each one for FUZZ_SECONDS, FUZZ_JOBS at a time.
#
#   bash scripts/fuzz.sh                       # every harness, 10 minutes each
#   FUZZ_SECONDS=3600 bash scripts/fuzz.sh engine_check normalize
#
# Each run starts from the committed regression inputs (fuzz/regressions/<h>,
# which must all pass), the hand-written seeds (fuzz/seeds/<h>) and seeds
# sampled from real registry names (../shared/corpora when it is there, else
# data/); new coverage is kept in build-fuzz/corpus/<h> for the next run.
# A crash, leak, timeout or violated property stops that harness and fails
# the script; the input is saved under build-fuzz/artifacts/<h>/. To keep it
# as a regression: minimise it (build-fuzz/fuzz/<h>_fuzzer -minimize_crash=1
# -runs=10000 FILE), fix the bug, and commit it to fuzz/regressions/<h>/.
#
# Environment: FUZZ_SECONDS (default 600), FUZZ_JOBS (default: cores),
# FUZZ_BUILD_DIR (default build-fuzz), CC/CXX (default clang/clang++),
# SQUATGUARD_SHARED_DIR (default ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-600}
jobs=${FUZZ_JOBS:-$(nproc)}
build=${FUZZ_BUILD_DIR:-build-fuzz}
harnesses=(normalize protected_list feed engine_check output
           hf_response pypi_response npm_response mlflow_response cloud_response)
if (($# > 0)); then harnesses=("$@"); fi

CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S . -B "$build" \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DSQUATGUARD_SANITIZE=ON -DSQUATGUARD_FUZZ=ON \
  -DSQUATGUARD_BUILD_TESTS=OFF -DSQUATGUARD_BUILD_BENCH=OFF >/dev/null
targets=()
for h in "${harnesses[@]}"; do targets+=("${h}_fuzzer"); done
if ! cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >"$build/build.log" 2>&1; then
  grep -E "error|Error" "$build/build.log" | head -40 >&2
  echo "fuzz: build failed (log: $build/build.log)" >&2
  exit 1
fi

# --- Seeds from real names -------------------------------------------------
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"
names=$seeds/names.txt
shared_dir=${SQUATGUARD_SHARED_DIR:-../shared}
shared=$shared_dir/corpora
if [[ -d $shared ]]; then
  {
    tail -n +2 "$shared/pypi-names.tsv" | cut -f1 | shuf -n 1500 --random-source=<(yes)
    tail -n +2 "$shared/npm-names.tsv" | cut -f1 | shuf -n 1000 --random-source=<(yes)
    grep -v '^#' "$shared/hf-models.txt" | shuf -n 400 --random-source=<(yes)
    grep -v '^#' "$shared/hf-orgs.txt" | shuf -n 100 --random-source=<(yes)
  } >"$names"
else
  grep -ho '"name": "[^"]*"' data/protected/*.jsonl data/samples/*.jsonl |
    sed 's/^"name": "//; s/"$//' | shuf -n 3000 --random-source=<(yes) >"$names"
fi
grep -v '^[[:space:]]*$' "$names" >"$names.tmp" && mv "$names.tmp" "$names"

# One file per line of stdin, in folder $1.
one_per_line() {
  mkdir -p "$1"
  awk -v d="$1" '{ f = sprintf("%s/s%05d", d, NR); printf "%s", $0 > f; close(f) }'
}
# Lines of stdin grouped $2 to a file, in folder $1 (one record per line).
grouped() {
  mkdir -p "$1"
  awk -v d="$1" -v n="$2" '{ f = sprintf("%s/g%05d", d, int((NR - 1) / n)); print > f }
                           NR % n == 0 { close(sprintf("%s/g%05d", d, int((NR - 1) / n))) }'
}
# Names as JSON string contents.
json_names() { sed 's/\\/\\\\/g; s/"/\\"/g' "$names"; }

one_per_line "$seeds/normalize" <"$names"
one_per_line "$seeds/engine_check" <"$names"
awk 'NR % 7 == 0 { print "pypi:" $0; next } NR % 11 == 0 { print "hf:" $0; next } { print }' "$names" |
  one_per_line "$seeds/engine_check/prefixed"
if [[ -f $shared_dir/eval/dev-pairs.tsv ]]; then
  tail -n +2 "$shared_dir/eval/dev-pairs.tsv" | awk -F'\t' '{ printf "%s:%s\t%s:%s\n", $1, $2, $1, $3 }' |
    one_per_line "$seeds/engine_check/pairs"
fi
json_names | awk 'NR % 3 == 0 { printf "{\"name\": \"%s\", \"ecosystem\": \"pypi\", \"account\": \"u%d\", \"created_at\": \"2024-05-01T12:00:00Z\", \"rank\": %d}\n", $0, NR, NR; next }
                  NR % 3 == 1 { print "npm:" $0; next } { print }' | grouped "$seeds/feed" 20
json_names | awk '{ printf "{\"name\": \"%s\", \"kind\": \"package\", \"ecosystem\": \"pypi\", \"rank\": %d}\n", $0, NR }' |
  grouped "$seeds/protected_list" 20
grep -hv '^#' data/protected/*.jsonl | grep -v '^$' | shuf -n 1000 --random-source=<(yes) |
  grouped "$seeds/protected_list/shipped" 20
json_names | awk '{ printf "%s\t%s-x\t'"'"'%s'"'"' looks like it\tnote %d\n", $0, $0, $0, NR }' |
  one_per_line "$seeds/output"

# Registry responses carrying the names, 25 to a response.
json_names | awk '
  { printf "{\"_id\": \"%024x\", \"id\": \"%s\", \"author\": \"a%d\", \"createdAt\": \"2024-05-%02dT12:00:00.000Z\"}\n", NR, $0, NR, NR % 28 + 1 }' |
  grouped "$seeds/hf_response.parts" 25
json_names | awk '{ printf "{\"name\": \"%s\", \"_last-serial\": %d}\n", $0, NR }' |
  grouped "$seeds/pypi_response.parts" 25
json_names | awk '{ printf "{\"seq\": %d, \"id\": \"%s\", \"changes\": [{\"rev\": \"1-%x\"}]}\n", NR, $0, NR }' |
  grouped "$seeds/npm_response.parts" 25
json_names | awk '{ printf "{\"name\": \"%s\", \"creation_timestamp\": %d000, \"user_id\": \"u%d\", \"aliases\": [{\"alias\": \"champion\", \"version\": \"1\"}]}\n", $0, 1700000000 + NR, NR }' |
  grouped "$seeds/mlflow_response.parts" 25
json_names | awk '{ printf "%s\n", $0 }' | grouped "$seeds/cloud_response.parts" 25
for h in hf_response pypi_response npm_response mlflow_response cloud_response; do
  mkdir -p "$seeds/$h"
  for part in "$seeds/$h.parts"/*; do
    items=$(paste -sd, "$part")
    out=$seeds/$h/$(basename "$part")
    case $h in
      hf_response) printf '</api/models?cursor=%s>; rel="next"\n[%s]' "$(basename "$part")" "$items" >"$out" ;;
      pypi_response) printf '{"meta": {"api-version": "1.1"}, "projects": [%s]}' "$items" >"$out" ;;
      npm_response) printf '{"results": [%s], "last_seq": 99}' "$items" >"$out" ;;
      mlflow_response)
        printf '{"registered_models": [%s], "next_page_token": "t%s"}\n--\n{"model_versions": [{"name": "m", "version": "1", "creation_timestamp": 1700000000000, "status": "READY", "current_stage": "Production", "run_id": "r1", "source": "s3://b/m"}]}' \
          "$items" "$(basename "$part")" >"$out" ;;
      cloud_response)  # a first byte of 0, 1, 2: SageMaker, Vertex AI, Azure ML
        n=$(basename "$part" | tr -dc 0-9)
        case $((10#$n % 3)) in
          0) printf '\000{"ModelPackageGroupSummaryList": [%s], "NextToken": "t"}\n--\n{"ModelPackageSummaryList": [{"ModelPackageVersion": 1, "ModelApprovalStatus": "Approved", "CreationTime": 1716552000.5}, {"ModelPackageVersion": 2, "ModelApprovalStatus": "Rejected"}]}' \
               "$(awk '{ printf "%s{\"ModelPackageGroupName\": \"%s\", \"CreationTime\": %d.25}", (NR > 1 ? "," : ""), $0, 1700000000 + NR }' "$part")" >"$out" ;;
          1) printf '\001{"models": [%s], "nextPageToken": "p"}\n--\n{"models": [{"versionId": "1", "versionAliases": ["default", "champion"]}, {"versionId": "2"}]}' \
               "$(awk '{ printf "%s{\"name\": \"projects/1/locations/l/models/%d\", \"displayName\": \"%s\", \"createTime\": \"2024-05-24T12:00:00Z\"}", (NR > 1 ? "," : ""), NR, $0 }' "$part")" >"$out" ;;
          2) printf '\002{"value": [%s], "nextLink": "/next?page=2"}\n--\n{"value": [{"name": "1", "properties": {"isArchived": false}}, {"name": "2", "properties": {}}]}' \
               "$(awk '{ printf "%s{\"name\": \"%s\", \"properties\": {\"latestVersion\": \"2\"}, \"systemData\": {\"createdAt\": \"2024-05-24T12:00:00Z\"}}", (NR > 1 ? "," : ""), $0 }' "$part")" >"$out" ;;
        esac ;;
    esac
  done
  rm -rf "$seeds/$h.parts"
done

# --- Runs ----------------------------------------------------------------
dict_for() {
  case $1 in
    normalize | engine_check | output) echo fuzz/dict/names.dict ;;
    *) echo fuzz/dict/json.dict ;;
  esac
}
max_len_for() {
  case $1 in
    normalize | engine_check | output) echo 2048 ;;
    *) echo 16384 ;;
  esac
}

rm -rf "$build/logs"
mkdir -p "$build/logs"
run_one() {
  local h=$1
  local corpus=$build/corpus/$h artifacts=$build/artifacts/$h/
  mkdir -p "$corpus" "$artifacts"
  local dirs=("$corpus" "$seeds/$h")
  for extra in fuzz/regressions/$h fuzz/seeds/$h; do
    [[ -d $extra ]] && dirs+=("$extra")
  done
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:handle_abort=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$build/fuzz/${h}_fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
      -max_len="$(max_len_for "$h")" -dict="$(dict_for "$h")" -print_final_stats=1 \
      -artifact_prefix="$artifacts" "${dirs[@]}" >"$build/logs/$h.log" 2>&1
}

echo "fuzz: ${#harnesses[@]} harnesses, ${seconds}s each, $jobs at a time (logs in $build/logs/)" >&2
declare -A status
running=()
for h in "${harnesses[@]}"; do
  while ((${#running[@]} >= jobs)); do
    wait -n || true
    still=()
    for p in "${running[@]}"; do kill -0 "$p" 2>/dev/null && still+=("$p"); done
    running=("${still[@]}")
  done
  (set +e; run_one "$h"; echo $? >"$build/logs/$h.rc") &
  running+=($!)
done
wait

failed=0
printf '%-16s %10s %12s %8s %8s  %s\n' harness execs/s "total execs" "new" "rss MB" result
for h in "${harnesses[@]}"; do
  log=$build/logs/$h.log
  rc=$(cat "$build/logs/$h.rc" 2>/dev/null || echo 1)
  stat_of() { grep -o "stat::$1: *[0-9]*" "$log" | tail -1 | grep -o '[0-9]*$' || echo '?'; }
  result=ok
  if [[ $rc != 0 ]]; then
    result="FAILED (exit $rc; see $log)"
    failed=1
  fi
  printf '%-16s %10s %12s %8s %8s  %s\n' "$h" "$(stat_of average_exec_per_sec)" \
    "$(stat_of number_of_executed_units)" "$(stat_of new_units_added)" "$(stat_of peak_rss_mb)" "$result"
done
if ((failed)); then
  for h in "${harnesses[@]}"; do
    if [[ $(cat "$build/logs/$h.rc" 2>/dev/null || echo 1) != 0 ]]; then
      echo "--- $h (last 40 lines of $build/logs/$h.log)" >&2
      tail -40 "$build/logs/$h.log" >&2
      ls "$build/artifacts/$h/" >&2 || true
    fi
  done
  exit 1
fi
