#!/usr/bin/env bash
# The arm64 part of make check and make compare: the arm64 test kernel of a
# variant booted under QEMU -M virt -cpu max (PMUv3) on the Debian arm64
# root, twice: every suite with plain TCG, then the real-PMU selftest
# (hw_pmu) under -icount shift=4, where PMUv3 also has the instructions
# event. Both runs' results join <rundir>/results.json under "arm64/" and
# "arm64-icount/".
#   run-arm64.sh <patched|baseline> <rundir> <perftest|perftest_check>
# Exit status: the worse of the two vm-run.sh statuses (0 ok, 1 failures,
# 2 splat, 3 hang).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
variant=${1:?variant}
run=${2:?rundir}
perf=${3:-perftest}
export KARCH=arm64 BASELINE_FAILURES_PREFIX=arm64/
worst=0
for mode in plain icount; do
	sub=$run-arm64
	suites=(selftests "$perf")
	opts=""
	if [ "$mode" = icount ]; then
		sub=$run-arm64-icount suites=(hw_pmu) opts="--icount-shift 4"
		BASELINE_FAILURES_PREFIX=arm64-icount/
	fi
	set +e
	VM_OPTS=$opts "$TOP/scripts/run-suites.sh" "$variant" "$sub" "${suites[@]}"
	st=$?
	set -e
	echo "$st" >"$sub/vm-status"
	[ -f "$sub/results.json" ] || die "the arm64 ($mode) run left no results (status $st)"
	prefix=arm64/
	[ "$mode" = icount ] && prefix=arm64-icount/
	"$TOP/scripts/results.py" merge "$run" "$sub" "$prefix"
	[ "$st" -gt "$worst" ] && worst=$st
done
exit "$worst"
