#!/bin/bash
# Runs in the guest: the scenarios of make bench (scripts/bench.sh).
#   bench.sh <full|short> <perfbench> [tsv]
# Appends "<scenario>\t<case>\t<rep>\t<value>\t<unit>" lines to the tsv
# (default $PERFCTX_OUT/bench.tsv). A case the kernel cannot run (task
# events on more PMUs than take them: 6.1 lets one PMU count per task) gets
# one line with value "NA" and the reason as its unit. "short" runs every
# case once, with small loops, to show that the harness still works (make
# check); "full" discards a warm-up run and keeps $BENCH_REPS (5) runs.
# Meant for one vCPU under -icount, where guest time counts instructions.
set -u
mode=${1:?full or short}
pb=${2:?perfbench binary}
tsv=${3:-$PERFCTX_OUT/bench.tsv}
if [ "$mode" = short ]; then
	reps=1 warm=0 pipe_l=50 cg_l=50 ev_l=5 fork_l=3 hold_n=2 spin_l=20000
else
	reps=${BENCH_REPS:-5} warm=1 pipe_l=20000 cg_l=20000 ev_l=2000
	fork_l=500 hold_n=500 spin_l=50000000
fi
echo -1 >/proc/sys/kernel/perf_event_paranoid
echo 0 >/proc/sys/kernel/kptr_restrict
# No NMI watchdog, no kernel samples of perf's own: only the case's events.
{ echo 0 >/proc/sys/kernel/nmi_watchdog; } 2>/dev/null
log=$(dirname "$tsv")/bench.log

# load <module args>: (re)load test_perf_pmu.
load() {
	modprobe -r test_perf_pmu || { echo "cannot unload test_perf_pmu" >>"$log"; return 1; }
	modprobe --first-time test_perf_pmu "$@" || { echo "modprobe test_perf_pmu $*: failed" >>"$log"; return 1; }
}

# How many test PMUs accept task events (6.1: one; the rewrite: all).
task_pmus() {
	grep -l '^task_events 1' /sys/kernel/debug/test_perf_pmu/test_pmu*/stats 2>/dev/null | wc -l
}

# pmu_events <first> <count> [event]: "test_pmuF/ns/,...".
pmu_events() {
	local i s=
	for ((i = $1; i < $1 + $2; i++)); do s+=${s:+,}test_pmu$i/${3:-ns}/; done
	echo "$s"
}

na() { printf '%s\t%s\t0\tNA\t%s\n' "$1" "$2" "$3" >>"$tsv"; }

# measure <scenario> <case> <command...>: runs the command (which prints
# "<value> <unit>" as its last such line) warm+reps times, records reps.
# A perf stat in the command writes to /tmp/stat.txt: an event that did
# not count there voids the case (NA with perf's word for it).
measure() {
	local sc=$1 c=$2 i v u line bad
	shift 2
	for ((i = 1 - warm; i <= reps; i++)); do
		rm -f /tmp/stat.txt
		line=$("$@" 2>>"$log" | awk '$2 ~ /^(us|us\/op|KiB\/task|usecs\/op)$/ { v = $1; u = $2 } END { if (v != "") print v, u }')
		bad=$(grep -ohE '<not (supported|counted)>' /tmp/stat.txt 2>/dev/null | head -1)
		if [ -n "$bad" ]; then
			na "$sc" "$c" "event $bad"
			{ echo "$sc/$c: $*"; cat /tmp/stat.txt; } >>"$log"
			return
		fi
		read -r v u <<<"$line"
		[ -n "${v:-}" ] || { na "$sc" "$c" "no figure"; echo "$sc/$c: no figure" >>"$log"; return; }
		[ "$i" -ge 1 ] && printf '%s\t%s\t%d\t%s\t%s\n' "$sc" "$c" "$i" "$v" "${u/usecs/us}" >>"$tsv"
	done
}

pstat() { perf stat -o /tmp/stat.txt "$@"; }
pipe() { taskset -c 0 perf bench sched pipe -l "$pipe_l"; }

# 1. Context switch: perf bench sched pipe, both tasks on CPU 0.
load nr_pmus=8 nr_counters=2
measure ctxsw none pipe
measure ctxsw sw pstat -e task-clock -- taskset -c 0 perf bench sched pipe -l "$pipe_l"
measure ctxsw pmu1 pstat -e test_pmu0/ns/ -- taskset -c 0 perf bench sched pipe -l "$pipe_l"
measure ctxsw pmu1+sw pstat -e test_pmu0/ns/,task-clock -- taskset -c 0 perf bench sched pipe -l "$pipe_l"
for k in 2 4 8; do
	if [ "$(task_pmus)" -lt "$k" ]; then
		na ctxsw "pmu$k" "$(task_pmus) PMU(s) take task events"
		continue
	fi
	measure ctxsw "pmu$k" pstat -e "$(pmu_events 0 "$k")" -- taskset -c 0 perf bench sched pipe -l "$pipe_l"
done

# 2. The task's events on test_pmu0 (the one 6.1 lets count per task),
# and M more PMUs registered without events.
for m in 0 8 32 64; do
	load nr_pmus=$((m + 1)) || { na idle "M$m" "module refused"; continue; }
	measure idle "M$m" pstat -e test_pmu0/ns/ -- taskset -c 0 perf bench sched pipe -l "$pipe_l"
done
# ... and M uncore-like PMUs (test_pmu1-M: the uncore mask covers
# test_pmu0-63, so at most 63) whose per-CPU events count all along, on
# CPU 0 too (the guest has one CPU).
for m in 8 32 63; do
	load nr_pmus=$((m + 1)) uncore="$(printf '0x%x' $((((1 << m) - 1) << 1)))" ||
		{ na uncore "M$m" "module refused"; continue; }
	perf stat -a -o /tmp/uncore.txt -e "$(pmu_events 1 "$m")" &
	bg=$!
	sleep 2
	if ! kill -0 "$bg" 2>/dev/null; then
		na uncore "M$m" "per-CPU events did not open"
		cat /tmp/uncore.txt >>"$log"
		continue
	fi
	measure uncore "M$m" pstat -e test_pmu0/ns/ -- taskset -c 0 perf bench sched pipe -l "$pipe_l"
	kill -INT "$bg"
	wait "$bg"
	if grep -qE '<not (supported|counted)>' /tmp/uncore.txt; then
		sed -i "/^uncore\tM$m\t/d" "$tsv"
		na uncore "M$m" "the per-CPU events did not count"
		cat /tmp/uncore.txt >>"$log"
	fi
done

# 3. cgroup switch: two tasks in two cgroups on CPU 0, cgroup events on
# test_pmu0 for both cgroups; with 0 or 16 PMUs of plain per-CPU events.
load nr_pmus=17 nr_counters=2
# cgroup2 perf events get ENOENT here until some controller is enabled
# below the root (nothing like systemd did it at boot), and also once a
# v1 perf_event hierarchy has held the controller (the emu_pmu selftests
# mount one when cgroup2 fails them): so make check runs this suite
# first, and the controller is disabled again afterwards.
enabled=
for ctl in cpuset pids cpu memory; do
	{ echo "+$ctl" >/sys/fs/cgroup/cgroup.subtree_control; } 2>/dev/null && enabled=$ctl && break
done
mkdir -p /sys/fs/cgroup/bench_a /sys/fs/cgroup/bench_b
measure cgroup none "$pb" cgswitch "$cg_l" bench_a bench_b
measure cgroup M0 pstat -a -e test_pmu0/ns/,test_pmu0/ns/ -G bench_a,bench_b -- "$pb" cgswitch "$cg_l" bench_a bench_b
measure cgroup M16 pstat -a -e test_pmu0/ns/,test_pmu0/ns/ -G bench_a,bench_b -e "$(pmu_events 1 16)" -- "$pb" cgswitch "$cg_l" bench_a bench_b
# (The tasks are reaped, but their cgroup exit can lag a bit.)
for i in $(seq 50); do
	rmdir /sys/fs/cgroup/bench_a /sys/fs/cgroup/bench_b 2>/dev/null
	[ -d /sys/fs/cgroup/bench_a ] || [ -d /sys/fs/cgroup/bench_b ] || break
	sleep 0.1
done
[ -z "$enabled" ] || { echo "-$enabled" >/sys/fs/cgroup/cgroup.subtree_control; } 2>>"$log"

# 4. Open, enable, disable and close a task event on test_pmu0, with 0
# or 100 per-CPU events on 8 other PMUs (12-13 each on 8 counters: the
# rotation is slowed to once in 100 s, so that it does not count here).
load nr_pmus=9 nr_counters=8
types=()
for i in 0 1 2 3 4 5 6 7 8; do
	types+=("$(cat /sys/bus/event_source/devices/test_pmu$i/type)")
	echo 100000 >/sys/bus/event_source/devices/test_pmu$i/perf_event_mux_interval_ms
done
measure openclose N0 "$pb" evloop "$ev_l" "${types[0]}" 0
measure openclose N100 "$pb" evloop "$ev_l" "${types[0]}" 0 100 "${types[@]:1}"

# 5. Multiplexing: a fixed user-space workload with more events than
# counters (2 per PMU): 3 task events on one PMU; 3 per-CPU events on
# one PMU and on 4.
load nr_pmus=4 nr_counters=2
# ev3 <k>: three events (two ns, one sched_in) on each of test_pmu0..k-1.
ev3() { local i s=; for ((i = 0; i < $1; i++)); do s+=${s:+,}test_pmu$i/ns/,test_pmu$i/sched_in/,test_pmu$i/ns/; done; echo "$s"; }
measure mux none "$pb" spin "$spin_l"
measure mux task1 pstat -e "$(ev3 1)" -- taskset -c 0 "$pb" spin "$spin_l"
measure mux cpu1 pstat -a -e "$(ev3 1)" -- taskset -c 0 "$pb" spin "$spin_l"
measure mux cpu4 pstat -a -e "$(ev3 4)" -- taskset -c 0 "$pb" spin "$spin_l"

# 6. fork + exit of children inheriting the events, and the slab memory
# of a task whose context has events on k PMUs.
load nr_pmus=8 nr_counters=2
measure fork k0 "$pb" forkexit "$fork_l"
measure mem k0 "$pb" hold "$hold_n"
for k in 1 2 4 8; do
	if [ "$(task_pmus)" -lt "$k" ]; then
		na fork "k$k" "$(task_pmus) PMU(s) take task events"
		na mem "k$k" "$(task_pmus) PMU(s) take task events"
		continue
	fi
	measure fork "k$k" pstat -e "$(pmu_events 0 "$k")" -- "$pb" forkexit "$fork_l"
	measure mem "k$k" pstat -e "$(pmu_events 0 "$k")" -- "$pb" hold "$hold_n"
done
measure fork k1+sw pstat -e test_pmu0/ns/,task-clock -- "$pb" forkexit "$fork_l"
measure mem k1+sw pstat -e test_pmu0/ns/,task-clock -- "$pb" hold "$hold_n"
rmmod test_perf_pmu
exit 0
