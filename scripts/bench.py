#!/usr/bin/env python3
"""make bench's report: bench.py <all.tsv> <bench.md> <bench.png>

all.tsv lines: variant, boot, scenario, case, rep, value, unit (see
scripts/guest/bench.sh). Per case: the median of every run of every boot,
the spread (lowest and highest), the ratio patched/baseline of the
medians, and the noise floor (the baseline's first boot against its
second). Then the issue's targets, each with the figures it rests on, and
a plot (gnuplot) of the context-switch cost against the PMUs in use and
against registered PMUs without events. Reports; never fails on a figure.
"""
import collections
import os
import shutil
import statistics
import subprocess
import sys
import time

VARIANTS = ('baseline', 'patched')


def load(path):
    runs = collections.defaultdict(list)      # (v, sc, case) -> values
    boots = collections.defaultdict(list)     # (v, sc, case, boot) -> values
    units, na, order = {}, {}, []
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) != 7:
            continue
        v, b, sc, case, _rep, val, unit = f
        if (sc, case) not in order:
            order.append((sc, case))
        if val == 'NA':
            na[(v, sc, case)] = unit
            continue
        runs[(v, sc, case)].append(float(val))
        boots[(v, sc, case, b)].append(float(val))
        units[(sc, case)] = unit
    return runs, boots, units, na, order


def med(xs):
    return statistics.median(xs) if xs else None


def fmt(x, nd=3):
    return '-' if x is None else ('%.*f' % (nd, x))


def main():
    tsv, md, png = sys.argv[1:4]
    runs, boots, units, na, order = load(tsv)
    m = {k: med(v) for k, v in runs.items()}

    def get(v, sc, case):
        return m.get((v, sc, case))

    def noise(sc, case):
        b = sorted({k[3] for k in boots if k[:3] == ('baseline', sc, case)})
        if len(b) < 2:
            return None
        x, y = med(boots[('baseline', sc, case, b[0])]), med(boots[('baseline', sc, case, b[1])])
        return y / x if x else None

    def ratio(a, b):
        return a / b if a is not None and b else None

    nboots = len({k[3] for k in boots})
    nreps = max((len(v) for v in boots.values()), default=0)
    out = ['# make bench', '',
           'Generated %s by `make bench` (scripts/bench.sh): bench kernels (no debug checks) '
           'under QEMU TCG `-icount shift=0,sleep=off`, one vCPU, so guest time counts guest '
           'instructions; %d run(s) per boot (full mode: after a discarded warm-up), %d boot(s) per kernel, '
           'booted in turn. Figures are medians over all runs and boots, [lowest-highest]; '
           'ratio = patched / baseline; noise = the baseline\'s second boot / its first.'
           % (time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), nreps, nboots // 1 if nboots else 0),
           '', '| scenario | case | unit | baseline | patched | ratio | noise |',
           '|---|---|---|---|---|---|---|']
    for sc, case in order:
        cells = []
        for v in VARIANTS:
            xs = runs.get((v, sc, case))
            if xs:
                cells.append('%s [%s-%s]' % (fmt(med(xs)), fmt(min(xs)), fmt(max(xs))))
            else:
                cells.append('n/a (%s)' % na.get((v, sc, case), 'not run'))
        out.append('| %s | %s | %s | %s | %s | %s | %s |' % (
            sc, case, units.get((sc, case), ''), cells[0], cells[1],
            fmt(ratio(get('patched', sc, case), get('baseline', sc, case))),
            fmt(noise(sc, case))))

    # The targets of the benchmark issue.
    t = []

    def target(name, value, limit, detail, le=True):
        ok = None if value is None else (value <= limit if le else value >= limit)
        t.append('| %s | %s | %s | %s | %s |' % (
            name, fmt(value), ('<= ' if le else '>= ') + fmt(limit, 2),
            {True: 'met', False: '**missed**', None: 'not measured'}[ok], detail))

    P, B = 'patched', 'baseline'
    target('context switch, task events on one PMU', ratio(get(P, 'ctxsw', 'pmu1'), get(B, 'ctxsw', 'pmu1')),
           1.01, 'ctxsw/pmu1 patched / baseline')
    target('hardware + software events in one task', ratio(get(P, 'ctxsw', 'pmu1+sw'), get(B, 'ctxsw', 'pmu1+sw')),
           1.00, 'ctxsw/pmu1+sw patched / baseline')
    target('64 registered PMUs without events', ratio(get(P, 'idle', 'M64'), get(P, 'idle', 'M0')),
           1.01, 'idle/M64 / idle/M0, patched (baseline: %s)'
           % fmt(ratio(get(B, 'idle', 'M64'), get(B, 'idle', 'M0'))))
    none = get(P, 'ctxsw', 'none')
    inc1 = None if none is None or get(P, 'ctxsw', 'pmu1') is None else get(P, 'ctxsw', 'pmu1') - none
    worst, parts = None, []
    for k in (2, 4, 8):
        x = get(P, 'ctxsw', 'pmu%d' % k)
        if x is None or not inc1 or none is None:
            continue
        r = (x - none) / (k * inc1)
        parts.append('k=%d: %.3f' % (k, r))
        worst = r if worst is None else max(worst, r)
    target('cost linear in PMUs in use', worst, 1.00,
           'increment over no events / (k x the one-PMU increment), patched: ' + (', '.join(parts) or '-'))
    target('cgroup switch, 16 non-cgroup PMUs', ratio(get(P, 'cgroup', 'M16'), get(B, 'cgroup', 'M16')),
           1.02, 'cgroup/M16 patched / baseline')
    target('open/close with 100 events on 8 PMUs, against none', ratio(get(P, 'openclose', 'N100'), get(P, 'openclose', 'N0')),
           1.05, 'openclose/N100 / N0, patched (baseline: %s)'
           % fmt(ratio(get(B, 'openclose', 'N100'), get(B, 'openclose', 'N0'))))
    target('open/close with 100 events, against the baseline', ratio(get(P, 'openclose', 'N100'), get(B, 'openclose', 'N100')),
           1.00, 'openclose/N100 patched / baseline')

    def memd(v, case):
        a, b = get(v, 'mem', case), get(v, 'mem', 'k0')
        return None if a is None or b is None else a - b
    mp, mb = memd(P, 'k1'), memd(B, 'k1')
    target('memory per task context, events on one PMU (KiB, patched - baseline)',
           None if mp is None or mb is None else mp - mb, 0.0,
           'slab KiB per task over no events: patched %s, baseline %s (patched k=8: %s); '
           'noise of mem/k1 and mem/k0: %s, %s'
           % (fmt(mp), fmt(mb), fmt(memd(P, 'k8')), fmt(noise('mem', 'k1')), fmt(noise('mem', 'k0'))))
    out += ['', '## Targets (patched against baseline, same run)', '',
            '| target | value | limit | | figures |', '|---|---|---|---|---|'] + t

    # Derived: multiplexing slowdowns and per-PMU costs.
    out += ['', '## Derived', '']
    for v in VARIANTS:
        n = get(v, 'mux', 'none')
        if n:
            out.append('- %s, workload slowdown from multiplexing: %s' % (v, ', '.join(
                '%s %.3f' % (c, get(v, 'mux', c) / n) for c in ('task1', 'cpu1', 'cpu4') if get(v, 'mux', c))))
    for v in VARIANTS:
        n = get(v, 'ctxsw', 'none')
        if n:
            out.append('- %s, context switch cost over no events (us/op): %s' % (v, ', '.join(
                '%s +%.3f' % (c, get(v, 'ctxsw', c) - n) for c in ('sw', 'pmu1', 'pmu1+sw', 'pmu2', 'pmu4', 'pmu8')
                if get(v, 'ctxsw', c) is not None)))
    for v in VARIANTS:
        if get(v, 'mem', 'k0') is not None:
            out.append('- %s, slab KiB per task over no events: %s' % (v, ', '.join(
                '%s %+.2f' % (c, memd(v, c)) for c in ('k1', 'k2', 'k4', 'k8', 'k1+sw') if memd(v, c) is not None)))

    # The plot.
    plotted = plot(png, runs, get)
    if plotted is True:
        out += ['', '![context switch cost](%s)' % os.path.basename(png)]
    else:
        out += ['', '(no plot: %s)' % plotted]
    with open(md, 'w') as f:
        f.write('\n'.join(out) + '\n')
    print('\n'.join(out))


def plot(png, runs, get):
    gp = shutil.which('gnuplot')
    if not gp:
        return 'gnuplot is not installed; scripts/deps.sh installs it'
    d = os.path.dirname(os.path.abspath(png))
    data = os.path.join(d, '.bench-plot.dat')
    rows = []

    def row(tag, x, v, sc, case):
        xs = runs.get((v, sc, case))
        if xs:
            rows.append('%s %d %f %f %f' % (tag, x, med(xs), min(xs), max(xs)))
    for v in ('baseline', 'patched'):
        for k, c in ((0, 'none'), (1, 'pmu1'), (2, 'pmu2'), (4, 'pmu4'), (8, 'pmu8')):
            row('use_' + v, k, v, 'ctxsw', c)
        for mm in (0, 8, 32, 64):
            row('idle_' + v, mm, v, 'idle', 'M%d' % mm)
        for mm in (8, 32, 63):
            row('uncore_' + v, mm, v, 'uncore', 'M%d' % mm)
    if not rows:
        return 'no figures to plot'
    tags = {r.split()[0] for r in rows}
    with open(data, 'w') as f:
        f.write('\n'.join(rows) + '\n')
    def plots(*pairs):
        p = ['"< grep ^%s %s" using 2:3:4:5 with yerrorlines title "%s"' % (tag, data, title)
             for tag, title in pairs if tag in tags]
        return ', \\\n     '.join(p) or '0 notitle'
    script = '''
set terminal pngcairo size 1200,480 font ",10"
set output "%s"
set multiplot layout 1,2
set grid
set key top left
set title "context switch (perf bench sched pipe), task events on k emulated PMUs"
set xlabel "k: PMUs with events in the switching tasks"
set ylabel "us/op of guest time (-icount)"
set xrange [-0.5:8.5]
plot %s
set title "the same with events on one PMU, M other PMUs registered"
set xlabel "M: registered PMUs without events"
set xrange [-4:68]
plot %s
unset multiplot
''' % (png, plots(('use_patched', 'patched'), ('use_baseline', 'baseline (6.1: one PMU per task)')),
       plots(('idle_patched', 'patched, idle PMUs'), ('idle_baseline', 'baseline, idle PMUs'),
             ('uncore_patched', 'patched, uncore-like PMUs counting'),
             ('uncore_baseline', 'baseline, uncore-like PMUs counting')))
    r = subprocess.run([gp], input=script, text=True, capture_output=True)
    os.unlink(data)
    if r.returncode:
        sys.stderr.write(r.stderr)
        return 'gnuplot failed: ' + (r.stderr.strip().splitlines() or ['?'])[-1]
    return True


if __name__ == '__main__':
    main()
