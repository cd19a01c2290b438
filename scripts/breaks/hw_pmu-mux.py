# Run from the tree (build/linux): python3 <this file>; build, run, then git checkout the files.
# Deliberately broken arm_pmu: no rotation within a test's time (the
# multiplexing timer fires once in 1000 s), to show hw.multiplex can fail.
p='drivers/perf/arm_pmu.c'; s=open(p).read()
a="		.capabilities	= PERF_PMU_CAP_EXTENDED_REGS,\n"
assert s.count(a)==1
s=s.replace(a, a+"		.hrtimer_interval_ms = 1000000,\n")
open(p,'w').write(s)
