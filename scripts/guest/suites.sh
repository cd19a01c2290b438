#!/bin/bash
# Runs in the guest (see scripts/guest/init): the test suites.
#   suites.sh <selftests-dir> [suite...]    suites: selftests perftest
# Raw outputs go to $PERFCTX_OUT/suites/; scripts/results.py parses them
# (and the KUnit KTAP from the console log) on the host.
sel=${1:?selftests dir}
shift
suites=${*:-selftests perftest}
suites=${suites//,/ }
out=$PERFCTX_OUT/suites
mkdir -p "$out"
shopt -s nullglob
echo "$suites" >"$out/requested"
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# Unprivileged users may use perf in the tests that drop privileges.
echo -1 >/proc/sys/kernel/perf_event_paranoid
echo 0 >/proc/sys/kernel/kptr_restrict

# The emu_pmu_* tests compare counts of clocks: when the host stalls a
# vCPU, its clock jumps by milliseconds at the next tick, and a jump that
# falls between two events' enables goes into one count only. A program
# with failed tests (not a timeout) runs once more; results.py counts a
# test that failed and then passed as passed, with the first failure in
# its note, and make check lists it as FLAKY.
rerun_if_flaky() {
	local dir=$1 o=$2 t=$3 tmo=$4 rc=$5 start
	case "$t" in emu_pmu_*) ;; *) return 0 ;; esac
	[ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$rc" != 137 ] || return 0
	grep -q '^not ok' "$o/$t.out" || return 0
	echo "== selftests/$(basename "$o")/$t again: $(grep -c '^not ok' "$o/$t.out") failed"
	start=$(now)
	(cd "$dir" && timeout -k 5 "$tmo" "./$t") >"$o/$t.rerun" 2>&1
	echo "   rc=$? in $(elapsed "$start") s"
}

run_selftests() {
	local dir name t tmo start rc
	[ -d "$sel" ] || { echo "no selftests directory $sel"; return 1; }
	for dir in "$sel"/*/; do
		name=$(basename "$dir")
		mkdir -p "$out/selftests/$name"
		tmo=$(sed -n 's/^timeout=//p' "$dir/settings" 2>/dev/null)
		tmo=${tmo:-45}
		while read -r t; do
			[ -n "$t" ] || continue
			echo "== selftests/$name/$t (limit ${tmo}s)"
			start=$(now)
			(cd "$dir" && timeout -k 5 "$tmo" "./$t") >"$out/selftests/$name/$t.out" 2>&1
			rc=$?
			echo "$rc" >"$out/selftests/$name/$t.rc"
			elapsed "$start" >"$out/selftests/$name/$t.sec"
			echo "   rc=$rc in $(cat "$out/selftests/$name/$t.sec") s"
			rerun_if_flaky "$dir" "$out/selftests/$name" "$t" "$tmo" "$rc"
		done <"$dir/tests.list"
	done
}

# perf tests that cannot finish, or cannot pass, in this guest on any
# kernel, the base included (measured 2026-11-25): two ran into the 180 s
# limit under TCG; the attr test stops at a tool-side mismatch after 77 s
# (perf 6.1.176 sets sample_type 65927 for "record -C 0", its own
# tests/attr/test-record-C0 expects 455), so it only cost time.
perftest_not_run() {
	case "$1" in
	"daemon operations") echo "perf daemon never settles under TCG, 180 s timeout on the base" ;;
	"kernel lock contention analysis test") echo "180 s timeout on the base under TCG" ;;
	"Setup struct perf_event_attr") echo "fails on the base: test-record-C0 expects sample_type 455, perf 6.1.176 sets 65927" ;;
	esac
}

# Limits above the default for tests that need longer in this guest on
# every kernel: "PMU events" parses perf's built-in metric tables in user
# space (no kernel work); it took 150 s on the base here and ran into the
# 180 s limit on a slower CI machine.
perftest_limit() {
	case "$1" in
	"PMU events") echo 480 ;;
	*) echo "${PERFTEST_TIMEOUT:-180}" ;;
	esac
}

run_perftest() {
	local n start rc
	mkdir -p "$out/perftest"
	perf version >"$out/perftest/version.txt" 2>&1
	perf test list >"$out/perftest/list.txt" 2>&1 || return 1
	for n in $(sed -n 's/^ *\([0-9][0-9]*\):.*/\1/p' "$out/perftest/list.txt" | sort -un); do
		desc=$(sed -n "s/^ *$n: //p" "$out/perftest/list.txt")
		why=$(perftest_not_run "$desc")
		if [ -n "$why" ]; then
			# Recorded as a skip with the reason, on every kernel alike.
			printf ' %s: %s : Skip (not run: %s)\n' "$n" "$desc" "$why" >"$out/perftest/$n.out"
			echo 0 >"$out/perftest/$n.rc"
			echo 0 >"$out/perftest/$n.sec"
			continue
		fi
		echo "== perf test $n"
		start=$(now)
		timeout -k 5 "$(perftest_limit "$desc")" perf test "$n" >"$out/perftest/$n.out" 2>&1
		rc=$?
		echo "$rc" >"$out/perftest/$n.rc"
		elapsed "$start" >"$out/perftest/$n.sec"
		echo "   rc=$rc in $(cat "$out/perftest/$n.sec") s"
	done
}

status=0
for s in $suites; do
	start=$(now)
	"run_$s" || status=1
	printf '%s\t%s\n' "$s" "$(elapsed "$start")" >>"$out/times.tsv"
done
exit $status
