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
perf probe -q -d 'probe:*' -d 'probe_libc:*' >/dev/null 2>&1

# The emulated hardware PMUs (lib/test_perf_pmu.c): the same workload,
# counted per task on every one of them at once. Their "ns" event counts
# the time it was programmed, which must equal the task's task-clock.
nemu=4
if modprobe test_perf_pmu nr_pmus=$nemu; then
	ev=(-e task-clock)
	for i in $(seq 0 $((nemu - 1))); do ev+=(-e "test_pmu$i/ns/"); done
	ev+=(-e test_pmu0/sched_in/)
	perf stat -x, -o "$out/demo-emu.csv" "${ev[@]}" -- \
		dd if=/dev/zero of=/dev/null bs=4k count="$N" status=none || rc=1
	tc=$(awk -F, '$3 == "task-clock" { print $1; exit }' "$out/demo-emu.csv")
	{
		echo
		echo "Emulated hardware PMUs (test_perf_pmu, $nemu PMUs x 2 counters), same workload:"
		echo
		printf '%-12s %-28s %16s %10s  %s\n' PMU event count expected note
		printf '%-12s %-28s %16s %10s  %s\n' ---------- -------------------------- -------------- -------- ----
		printf '%-12s %-28s %16s %10s  %s\n' software task-clock "$tc ms" - ""
		for i in $(seq 0 $((nemu - 1))) sched; do
			name=test_pmu$i/ns/
			[ "$i" = sched ] && name=test_pmu0/sched_in/
			val=$(awk -F, -v n="$name" '$3 == n { print $1; exit }' "$out/demo-emu.csv")
			note=""
			case "$val" in
			"") val="<missing>" ;;
			"<not supported>") note="6.1: one hardware PMU per task" ;;
			*)
				[ "$i" = sched ] || note=$(awk -v v="$val" -v t="$tc" \
					'BEGIN { if (t > 0) printf "%.4f x task-clock", v / 1e6 / t }')
				;;
			esac
			exp="= tc"
			[ "$i" = sched ] && exp=">0"
			printf '%-12s %-28s %16s %10s  %s\n' "${name%%/*}" "$name" "$val" "$exp" "$note"
		done
		stats=/sys/kernel/debug/test_perf_pmu
		echo
		echo "PMU stats after the run (any bad_cpu, bad_state or token_mismatches is a core bug):"
		for d in "$stats"/*/; do
			printf '  %-10s %s\n' "$(basename "$d")" "$(awk '$1 ~ /^(task_events|adds|add_fails|bad_cpu|bad_state|token_mismatches)$/ { printf "%s=%s ", $1, $2 }' "$d/stats")"
		done
	} >>"$out/demo-table.txt"
	# The tasks that had events have exited; the module unloads once
	# nothing points at its PMUs any more.
	for _ in $(seq 20); do rmmod test_perf_pmu 2>/dev/null && break; sleep 0.2; done
else
	echo "test_perf_pmu: module not available in this kernel" >>"$out/demo-table.txt"
fi
cat "$out/demo-table.txt"
exit $rc
