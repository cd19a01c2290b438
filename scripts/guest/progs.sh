#!/bin/bash
# Runs in the guest: the named selftest programs of one directory, each
# under its settings timeout; output in $PERFCTX_OUT/<prog>.out.
#   progs.sh <selftests-dir>/<suite> <prog>...
dir=${1:?dir}
shift
echo -1 >/proc/sys/kernel/perf_event_paranoid
tmo=$(sed -n 's/^timeout=//p' "$dir/settings" 2>/dev/null)
rc=0
for t in "$@"; do
	echo "== $t (limit ${tmo:-45}s)"
	start=$(cut -d' ' -f1 /proc/uptime)
	(cd "$dir" && timeout -k 5 "${tmo:-45}" "./$t") >"$PERFCTX_OUT/$t.out" 2>&1 || rc=1
	grep -E '^(ok|not ok)|^# (Totals|PASSED|FAILED)' "$PERFCTX_OUT/$t.out"
	echo "   $(awk -v a="$start" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s"
done
exit $rc
