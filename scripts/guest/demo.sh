#!/bin/bash
# Runs in the guest: count per-task events of several PMUs at once on one
# workload with perf stat, and print them as a table.
# The workload makes N read() syscalls of 4 KiB (dd), so the syscall-bound
# events have a known expected count.
N=${1:-20000}
echo -1 >/proc/sys/kernel/perf_event_paranoid
echo 0 >/proc/sys/kernel/kptr_restrict
out=$PERFCTX_OUT
pmus=$(ls /sys/bus/event_source/devices | tr '\n' ' ')
ksym=$(awk '$3 == "ksys_read" { print $1; exit }' /proc/kallsyms)
libc=$(ldd /bin/dd | awk '/libc.so/ { print $3 }')
perf probe -q -a vfs_read || echo "perf probe vfs_read failed"
perf probe -q -x "$libc" -a libc_read=read || echo "perf probe -x $libc read failed"
events=(
	"software|task-clock||"
	"software|context-switches||"
	"software|page-faults||"
	"tracepoint|syscalls:sys_enter_read|$N|read() syscalls"
	"tracepoint|sched:sched_process_exec|1|"
	"kprobe|probe:vfs_read|$N|"
	"uprobe|probe_libc:libc_read|$N|libc read()"
	"breakpoint|mem:0x$ksym:x|$N|exec breakpoint on ksys_read"
	"msr|msr/tsc/||"
)
ev=(); for e in "${events[@]}"; do ev+=(-e "$(cut -d"|" -f2 <<<"$e")"); done
perf stat -x, -o "$out/demo-stat.csv" "${ev[@]}" -- \
	dd if=/dev/zero of=/dev/null bs=4k count="$N" status=none
rc=$?
{
	echo "PMUs in the guest: $pmus"
	echo "Workload: dd if=/dev/zero of=/dev/null bs=4k count=$N  (perf stat, per task)"
	echo
	printf '%-12s %-28s %16s %10s  %s\n' PMU event count expected note
	printf '%-12s %-28s %16s %10s  %s\n' ---------- -------------------------- -------------- -------- ----
	for e in "${events[@]}"; do
		IFS='|' read -r pmu name exp note <<<"$e"
		line=$(awk -F, -v n="$name" '$3 == n { print; exit }' "$out/demo-stat.csv")
		val=$(cut -d, -f1 <<<"$line")
		unit=$(cut -d, -f2 <<<"$line")
		[ -n "$val" ] || val="<missing>"
		[ "$unit" = msec ] && val="$val ms"
		printf '%-12s %-28s %16s %10s  %s\n' "$pmu" "$name" "$val" "${exp:--}" "$note"
	done
} >"$out/demo-table.txt"
cat "$out/demo-table.txt"
perf probe -q -d 'probe:*' -d 'probe_libc:*' >/dev/null 2>&1
exit $rc
