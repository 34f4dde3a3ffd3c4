#!/usr/bin/env bash
# Installs what is missing (clang and its sanitizer and libFuzzer runtimes
# included), then runs every test three ways; .ci/run calls this.
#
#   1. release  Release build (build/) and ctest.
#   2. asan     AddressSanitizer + UndefinedBehaviorSanitizer build
#               (build-asan/, clang -O1 -g) and ctest with SQUATGUARD_SANITIZED=1;
#               any sanitizer report fails. (clang builds it in 3/4 of gcc's
#               time and its UBSan checks more, float-to-int overflow included.)
#   3. fuzz     libFuzzer build (build-fuzz/, clang) and every harness for
#               FUZZ_SECONDS (default 40) through scripts/fuzz.sh, starting
#               from the committed regression inputs, which must all pass.
#
# Every stage runs even when an earlier one failed, so one CI run shows all
# problems; the script fails if any stage failed, and prints each stage's
# time. Environment: SQUATGUARD_STAGES (default "release asan fuzz"),
# FUZZ_SECONDS, SANITIZER_CC/SANITIZER_CXX (default clang/clang++; gcc works too).
set -uo pipefail
cd "$(dirname "$0")/.."

stages=${SQUATGUARD_STAGES:-release asan fuzz}
jobs=$(nproc)
failed=()
timings=()
start_all=$SECONDS

stage() {  # stage NAME COMMAND...: runs and times one stage
  local name=$1 start=$SECONDS
  shift
  echo "=== $name" >&2
  if "$@"; then
    timings+=("$(printf '%-8s %4ds  ok' "$name" $((SECONDS - start)))")
  else
    timings+=("$(printf '%-8s %4ds  FAILED' "$name" $((SECONDS - start)))")
    failed+=("$name")
  fi
}

release() {
  scripts/build.sh &&
    ctest --test-dir build --output-on-failure -j"$jobs" --timeout 900
}

asan() {
  local dir=build-asan reports
  reports=$PWD/$dir/sanitizer-reports
  CC=${SANITIZER_CC:-clang} CXX=${SANITIZER_CXX:-clang++} cmake -S . -B "$dir" \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DSQUATGUARD_SANITIZE=ON -DSQUATGUARD_BUILD_BENCH=OFF >/dev/null &&
    cmake --build "$dir" -j"$jobs" || return 1
  # Leak checking needs ptrace-like thread suspension; use it where it works.
  local leaks=1
  if ASAN_OPTIONS=detect_leaks=1 "$dir/cli/squatguard" --version 2>&1 |
      grep -q "LeakSanitizer has encountered a fatal error"; then
    echo "asan: LeakSanitizer cannot run here; leak checks are off" >&2
    leaks=0
  fi
  # Reports go to files as well as failing the process, so a report from a
  # child process whose exit status a test does not look at still fails CI.
  rm -rf "$reports" && mkdir -p "$reports"
  local ok=0
  SQUATGUARD_SANITIZED=1 \
  ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=$leaks:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:log_path=$reports/asan" \
  UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$reports/ubsan" \
    ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 900 || ok=1
  if compgen -G "$reports/*" >/dev/null; then
    echo "asan: sanitizer reports:" >&2
    for f in "$reports"/*; do
      echo "--- $f" >&2
      head -60 "$f" >&2
    done
    ok=1
  fi
  return $ok
}

fuzz() {
  FUZZ_SECONDS=${FUZZ_SECONDS:-40} bash scripts/fuzz.sh
}

SQUATGUARD_WITH_CLANG=1 scripts/install-deps.sh || exit 1
for s in $stages; do
  case $s in
    release | asan | fuzz) stage "$s" "$s" ;;
    *) echo "test.sh: unknown stage '$s'" >&2; exit 2 ;;
  esac
done

echo "=== stage times (total $((SECONDS - start_all))s)" >&2
printf '%s\n' "${timings[@]}" >&2
if ((${#failed[@]} > 0)); then
  echo "test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
