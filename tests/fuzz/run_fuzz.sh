#!/bin/sh
# A short libFuzzer run, as a test: run_fuzz.sh FUZZER SEED_DIR [DICT]
# Runs VSW_FUZZ_SECONDS (default 20) from the checked-in seeds; new inputs go
# to a scratch directory, crashes to VSW_FUZZ_ARTIFACTS (default: the
# current directory) as fuzz-crash-*. Exits non-zero on any finding.
set -eu
fuzzer=$1
seeds=$2
dict=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
set -- -max_total_time="${VSW_FUZZ_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="${VSW_FUZZ_ARTIFACTS:-$PWD}/fuzz-"
[ -n "$dict" ] && set -- "$@" -dict="$dict"
exec "$fuzzer" "$@" "$work" "$seeds"
