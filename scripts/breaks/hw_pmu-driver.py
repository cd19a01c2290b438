# Run from the tree (build/linux): python3 <this file>; build, run, then git checkout the files.
# Deliberately broken arm64 PMU driver, to show each hw_pmu test can fail.
p='arch/arm64/kernel/perf_event.c'; s=open(p).read()
def rep(a,b):
    global s
    assert s.count(a)==1, a
    s=s.replace(a,b)
# user_access: no index in the user page
rep("""	if (event->hw.idx == ARMV8_IDX_CYCLE_COUNTER)
		return ARMV8_IDX_CYCLE_COUNTER_USER;

	return event->hw.idx;""", """	return 0;""")
# rejected: exclude_idle accepted
rep("""	if (attr->exclude_idle)
		return -EPERM;
""", "")
# chain_event: the chain event schedulable
rep("""	if (hw_event_id == ARMV8_PMUV3_PERFCTR_CHAIN)
		return -EOPNOTSUPP;
""", "")
open(p,'w').write(s)
p='drivers/perf/arm_pmu.c'; s=open(p).read()
# cycles_*, group: the cycle counter never advances; instructions_task,
# multiplex: the other counters count 32 times too much
rep("""	delta = (new_raw_count - prev_raw_count) & max_period;
""", """	delta = (new_raw_count - prev_raw_count) & max_period;
	if (hwc->idx == 0)	/* ARMV8_IDX_CYCLE_COUNTER */
		delta = 0;
	else
		delta <<= 5;
""")
open(p,'w').write(s)
