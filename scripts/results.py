#!/usr/bin/env python3
"""Parse guest runs into per-test results and compare baseline with patched.

  results.py parse <rundir>                 -> <rundir>/results.json
  results.py lint <rundir> <lint.tsv>       merge lint results into a run
  results.py compare <baseline.json> <patched.json> [--md FILE]
        [--allow-xfail] [--xfail-list FILE]
  results.py table <baseline-run> <patched-run> --md FILE
        (make compare: side-by-side table, no judgement)

Statuses: pass, fail, skip, xfail (expected to fail, with the reason).
"""
import json
import os
import re
import sys

TAP = re.compile(r'^(not ok|ok)\s+(\d+)\s*(?:-\s+)?([^#]*?)\s*(?:#\s*(?:(SKIP|XFAIL|TODO)\b:?\s*)?(.*))?$',
                 re.I)
PLAN = re.compile(r'^1\.\.(\d+)')
PERFTEST = re.compile(r'^\s*(\d+(?:\.\d+)?):\s+(.*?)\s*:\s*(Ok|Skip|FAILED!|Not supported)(?!\S)\s*(.*)$')
TS = re.compile(r'^\[\s*\d+\.\d+\]\s?')


def read(path, default=''):
    try:
        with open(path, errors='replace') as f:
            return f.read()
    except OSError:
        return default


RANK = {'pass': 0, 'skip': 1, 'xfail': 2, 'fail': 3}


def put(tests, key, entry):
    """Record a result; a name reported twice keeps its worst status."""
    old = tests.get(key)
    if old is None or RANK[entry['status']] > RANK[old['status']]:
        tests[key] = entry


def tap_status(ok, directive, note):
    d = (directive or '').upper()
    if d == 'SKIP':
        return 'skip'
    if d == 'XFAIL':
        return 'xfail'
    return 'pass' if ok == 'ok' else 'fail'


def parse_tap(text):
    """A kselftest program's TAP: (plan, tests seen, any failed, {name: entry})."""
    plan, seen, failed = None, 0, False
    found = {}
    diag = []
    for line in text.splitlines():
        m = PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = TAP.match(line)
        if not m:
            # the harness's diagnostics of the test that follows
            if line.startswith('#  RUN'):
                diag = []
            elif line.startswith('#'):
                diag.append(line)
            continue
        seen += 1
        st = tap_status(m.group(1), m.group(4), m.group(5))
        failed |= st == 'fail'
        entry = {'status': st, 'note': (m.group(5) or '').strip() if m.group(4) else ''}
        if st == 'fail':
            entry['log'] = diag[-12:]
        put(found, m.group(3), entry)
        diag = []
    return plan, seen, failed, found


def parse_selftests(base, tests):
    root = os.path.join(base, 'selftests')
    if not os.path.isdir(root):
        return
    for coll in sorted(os.listdir(root)):
        cdir = os.path.join(root, coll)
        progs = sorted(f[:-4] for f in os.listdir(cdir) if f.endswith('.out'))
        for prog in progs:
            text = read(os.path.join(cdir, prog + '.out'))
            rc = int((read(os.path.join(cdir, prog + '.rc')) or '1').strip() or 1)
            secs = float(read(os.path.join(cdir, prog + '.sec'), '0') or 0)
            suite = 'selftests:' + coll
            plan, seen, failed, found = parse_tap(text)
            rerun = read(os.path.join(cdir, prog + '.rerun'), None)
            if rerun is not None:
                # A test that failed and passed when its program ran again
                # (suites.sh rerun_if_flaky) counts as passed, noted.
                again = parse_tap(rerun)[3]
                for name, entry in found.items():
                    if entry['status'] == 'fail' and again.get(name, {}).get('status') == 'pass':
                        first = [d for d in entry.get('log', []) if not re.search(
                            r'Expected|Test failed at step|#\s+FAIL\s', d)][:2]
                        found[name] = {'status': 'pass', 'flaky': entry.get('log', []),
                                       'note': 'failed, passed on a re-run: ' +
                                       ' / '.join(d.lstrip('# ') for d in first)}
                failed = any(e['status'] == 'fail' for e in found.values())
                if not failed:
                    rc = 0
            for name, entry in found.items():
                put(tests, '%s|%s/%s' % (suite, prog, name), entry)
            if seen == 0:
                st = {0: 'pass', 2: 'xfail', 4: 'skip'}.get(rc, 'fail')
                note = 'timed out' if rc in (124, 137) else ('exit %d' % rc if rc else '')
                tests['%s|%s' % (suite, prog)] = {'status': st, 'note': note, 'seconds': secs}
                continue
            if rc in (124, 137):
                tests['%s|%s [run]' % (suite, prog)] = {
                    'status': 'fail', 'note': 'timed out after %d of %s tests' % (seen, plan)}
            elif plan is not None and seen < plan:
                tests['%s|%s [run]' % (suite, prog)] = {
                    'status': 'fail', 'note': 'only %d of %d tests reported (exit %d)' % (seen, plan, rc)}
            elif rc not in (0, 4) and not failed:
                tests['%s|%s [run]' % (suite, prog)] = {
                    'status': 'fail', 'note': 'exit %d with no failing test' % rc}


def parse_bench(base, tests):
    """Suite "bench" (guest/bench.sh short): a figure per case. A case the
    kernel cannot run because too few PMUs take task events (6.1) is a
    skip; any other missing figure, or a run that failed, is a failure."""
    d = os.path.join(base, 'bench')
    if not os.path.isdir(d):
        return
    rc = read(os.path.join(d, 'run.rc')).strip()
    for line in read(os.path.join(d, 'bench.tsv')).splitlines():
        f = line.split('\t')
        if len(f) != 5:
            continue
        sc, case, _rep, val, unit = f
        key = 'bench|%s/%s' % (sc, case)
        if val != 'NA':
            put(tests, key, {'status': 'pass', 'note': ''})
        elif unit.endswith('take task events'):
            put(tests, key, {'status': 'skip', 'note': unit})
        else:
            put(tests, key, {'status': 'fail', 'note': unit})
    if rc != '0':
        put(tests, 'bench|[run]', {'status': 'fail', 'note': 'bench.sh exit %s' % (rc or '?'),
                                   'log': read(os.path.join(d, 'run.out')).splitlines()[-10:]})


def parse_perftest(base, tests):
    root = os.path.join(base, 'perftest')
    if not os.path.isdir(root):
        return
    nums = [f[:-4] for f in os.listdir(root) if f.endswith('.out')]
    for n in sorted(nums, key=int):
        text = read(os.path.join(root, n + '.out'))
        rc = int((read(os.path.join(root, n + '.rc')) or '1').strip() or 1)
        found = False
        for line in text.splitlines():
            m = PERFTEST.match(line)
            if not m or m.group(1).split('.')[0] != n:
                continue
            found = True
            res = m.group(3)
            st = {'Ok': 'pass', 'FAILED!': 'fail'}.get(res, 'skip')
            entry = {'status': st, 'note': m.group(4).strip(' ()')}
            if entry['note'].startswith('not run by make check'):
                entry['notrun'] = True
            put(tests, 'perftest|%s: %s' % (m.group(1), m.group(2)), entry)
        if found and (rc in (124, 137) or rc >= 128):
            put(tests, 'perftest|%s [run]' % n, {
                'status': 'fail', 'note': 'timed out' if rc in (124, 137) else 'killed (exit %d)' % rc})
        if not found:
            desc = ''
            for line in read(os.path.join(root, 'list.txt')).splitlines():
                m = re.match(r'^\s*%s:\s+(.*)$' % n, line)
                if m:
                    desc = m.group(1).strip()
            tests['perftest|%s: %s' % (n, desc)] = {
                'status': 'fail', 'note': 'timed out' if rc in (124, 137) else 'no result (exit %d)' % rc}


def parse_kunit(dmesg, tests):
    names = {}
    for raw in dmesg.splitlines():
        line = TS.sub('', raw.rstrip())
        body = line.lstrip(' ')
        ind = len(line) - len(body)
        m = re.match(r'^#\s*Subtest:\s*(\S+)', body)
        if m:
            names[ind] = m.group(1)
            for k in [k for k in names if k > ind]:
                del names[k]
            continue
        m = TAP.match(body)
        if not m:
            continue
        entry = {'status': tap_status(m.group(1), m.group(4), m.group(5)),
                 'note': (m.group(5) or '').strip() if m.group(4) else ''}
        if ind == 0:
            # a suite's own result: catches suites that fail to initialise
            put(tests, 'kunit|%s [suite]' % m.group(3), entry)
            continue
        if ind not in names:
            continue
        path = [names[k] for k in sorted(names) if k <= ind] + [m.group(3)]
        put(tests, 'kunit|' + '.'.join(path), entry)


def parse(run):
    tests = {}
    suites = os.path.join(run, 'suites')
    # The console keeps all of boot's KTAP; dmesg's ring buffer may not.
    parse_kunit(read(os.path.join(run, 'console.log')), tests)
    if not any(k.startswith('kunit|') for k in tests):
        put(tests, 'kunit|[run]', {'status': 'fail', 'note': 'no KUnit results in the console log'})
    parse_selftests(suites, tests)
    parse_perftest(suites, tests)
    parse_bench(suites, tests)
    times = {}
    for line in read(os.path.join(suites, 'times.tsv')).splitlines():
        k, v = line.split('\t')
        times[k] = float(v)
    for want in read(os.path.join(suites, 'requested')).split():
        prefix = {'selftests': 'selftests:', 'perftest': 'perftest|',
                  'perftest_check': 'perftest|', 'hw_pmu': 'selftests:'}.get(want, want + '|')
        if want not in times:
            put(tests, '%s|[run]' % want, {'status': 'fail', 'note': 'suite did not finish'})
        elif not any(k.startswith(prefix) for k in tests):
            put(tests, '%s|[run]' % want, {'status': 'fail', 'note': 'suite produced no results'})
    splats = [s for s in read(os.path.join(run, 'splats.txt')).splitlines() if s]
    res = {
        'kernel': read(os.path.join(run, 'kernel')).strip(),
        'perf_version': read(os.path.join(suites, 'perftest', 'version.txt')).strip(),
        'boot_seconds': float(read(os.path.join(run, 'boot-seconds'), '0').strip() or 0),
        'wall_seconds': float(read(os.path.join(run, 'wall-seconds'), '0').strip() or 0),
        'suite_seconds': times,
        'splats': splats,
        'tests': dict(sorted(tests.items())),
    }
    with open(os.path.join(run, 'results.json'), 'w') as f:
        json.dump(res, f, indent=1, sort_keys=True)
        f.write('\n')
    return res


def load(path):
    if os.path.isdir(path):
        path = os.path.join(path, 'results.json')
    with open(path) as f:
        return json.load(f)


def fmt(t):
    if t is None:
        return '-'
    s = t['status']
    if t.get('note') and (s in ('xfail', 'fail', 'skip') or t.get('flaky')):
        s += ' (%s)' % t['note'][:100]
    return s


def verdict(b, p, allow_xfail, xfail_ok):
    """Return (counted-as, reason) for one test: counted-as is one of
    passed, failed, skipped, baseline-failure."""
    bs = b['status'] if b else None
    ps = p['status'] if p else None
    if ps is None:
        return 'failed', 'missing on the patched kernel'
    if ps == 'pass':
        return 'passed', ''
    if p.get('notrun'):
        # make check's shorter perf test run (guest/suites.sh): make
        # compare runs these on both kernels.
        return 'skipped', 'not run by make check'
    if bs == 'pass':
        return 'failed', 'regression: passes on the baseline'
    if bs == 'xfail' and ps != 'xfail':
        return 'failed', 'expected-to-fail on the baseline, must pass on the patched kernel'
    if ps == 'skip':
        return 'skipped', ''
    if ps == 'xfail':
        if bs == 'xfail' and (allow_xfail or xfail_ok):
            return 'skipped', 'expected to fail on both until the rewrite lands'
        if bs == 'xfail':
            return 'failed', 'expected-to-fail on the baseline, must pass on the patched kernel'
        return 'failed', 'expected-to-fail on the patched kernel only'
    # ps == 'fail'
    if bs == 'fail':
        return 'baseline-failure', 'fails on the baseline too'
    return 'failed', 'fails on the patched kernel'


def compare(argv):
    md = None
    allow_xfail = False
    xfail_list = set()
    args = []
    it = iter(argv)
    for a in it:
        if a == '--md':
            md = next(it)
        elif a == '--allow-xfail':
            allow_xfail = True
        elif a == '--xfail-list':
            for line in read(next(it)).splitlines():
                line = line.split('#')[0].strip()
                if line:
                    xfail_list.add(line)
        else:
            args.append(a)
    base, pat = load(args[0]), load(args[1])
    if base.get('perf_version') != pat.get('perf_version'):
        print('FAIL perf version differs: baseline "%s", patched "%s" (re-run make compare)' % (
            base.get('perf_version'), pat.get('perf_version')))
        print('0 passed, 1 failed')
        return 1
    bt, pt = base['tests'], pat['tests']
    counts = {'passed': 0, 'failed': 0, 'skipped': 0, 'baseline-failure': 0}
    rows = []
    # Subtests of a perf test that make check did not run (its notrun
    # entry stands for them).
    notrun = set(k.split(':')[0] for k, v in pt.items() if v.get('notrun'))
    for k in sorted(set(bt) | set(pt)):
        if k not in pt and k.split('.')[0].split(':')[0] in notrun:
            counts['skipped'] += 1
            rows.append((k, bt.get(k), None, 'skipped', 'not run by make check'))
            continue
        c, why = verdict(bt.get(k), pt.get(k), allow_xfail, k in xfail_list)
        counts[c] += 1
        rows.append((k, bt.get(k), pt.get(k), c, why))
    failures = [r for r in rows if r[3] == 'failed']
    for s in pat.get('splats', []):
        failures.append(('kernel|splat', None, {'status': 'fail', 'note': s}, 'failed', 'kernel splat'))
        counts['failed'] += 1
    out = []
    out.append('| suite | test | baseline | patched | verdict |')
    out.append('|---|---|---|---|---|')
    for k, b, p, c, why in rows:
        suite, test = k.split('|', 1)
        out.append('| %s | %s | %s | %s | %s |' % (suite, test.replace('|', '/'), fmt(b), fmt(p),
                                                  c + (': ' + why if why else '')))
    if md:
        with open(md, 'w') as f:
            f.write('\n'.join(out) + '\n')
    flaky = [(k, p) for k, b, p, c, why in rows if p and p.get('flaky')]
    for k, p in flaky:
        print('FLAKY %s: %s' % (k.replace('|', ' / '), p['note']))
    for k, b, p, c, why in failures:
        print('FAIL %s: %s [baseline %s, patched %s]' % (k.replace('|', ' / '), why, fmt(b), fmt(p)))
        for d in (p or {}).get('log', []):
            print('    ' + d)
    print('%d passed%s, %d failed, %d skipped, %d baseline-failures' % (
        counts['passed'], ' (%d after a re-run)' % len(flaky) if flaky else '',
        counts['failed'], counts['skipped'], counts['baseline-failure']))
    return 1 if counts['failed'] else 0


def table(argv):
    """Side-by-side table of two runs for make compare."""
    md = argv[argv.index('--md') + 1] if '--md' in argv else None
    args = [a for i, a in enumerate(argv) if a != '--md' and (i == 0 or argv[i - 1] != '--md')]
    base, pat = load(args[0]), load(args[1])
    bt, pt = base['tests'], pat['tests']
    lines = ['| suite | test | baseline | patched |', '|---|---|---|---|']
    same = 0
    keys = sorted(set(bt) | set(pt))
    for k in keys:
        suite, test = k.split('|', 1)
        b, p = bt.get(k), pt.get(k)
        same += (b and p and b['status'] == p['status']) or 0
        lines.append('| %s | %s | %s | %s |' % (suite, test.replace('|', '/'), fmt(b), fmt(p)))
    lines.append('')
    lines.append('%d tests, %d with the same result on both; splats: baseline %d, patched %d.' % (
        len(keys), same, len(base.get('splats', [])), len(pat.get('splats', []))))
    tm = ['', '| timing (s) | baseline | patched |', '|---|---|---|',
          '| boot to script | %.1f | %.1f |' % (base['boot_seconds'], pat['boot_seconds'])]
    for s in sorted(set(base['suite_seconds']) | set(pat['suite_seconds'])):
        tm.append('| suite %s | %s | %s |' % (s, base['suite_seconds'].get(s, '-'),
                                              pat['suite_seconds'].get(s, '-')))
    tm.append('| whole guest run (wall) | %.0f | %.0f |' % (base['wall_seconds'], pat['wall_seconds']))
    text = '\n'.join(lines + tm) + '\n'
    print(text)
    if md:
        with open(md, 'w') as f:
            f.write('# Baseline vs patched\n\nGenerated by `make compare`.\n\n' + text)
    return 0


def lint(argv):
    run, tsv = argv
    res = load(run)
    for line in read(tsv).splitlines():
        test, st, note = (line.split('\t') + ['', ''])[:3]
        res['tests']['lint|' + test] = {'status': st, 'note': note}
    res['tests'] = dict(sorted(res['tests'].items()))
    with open(os.path.join(run, 'results.json'), 'w') as f:
        json.dump(res, f, indent=1, sort_keys=True)
        f.write('\n')
    return 0


def merge(argv):
    """merge <run> <other-run> <prefix>: the other run's tests (another
    architecture, another QEMU mode) join the run's under <prefix>, with
    its suite times and its splats."""
    run, other, prefix = argv
    res, o = load(run), load(other)
    for k, t in o['tests'].items():
        res['tests'][prefix + k] = t
    res['tests'] = dict(sorted(res['tests'].items()))
    for k, v in o['suite_seconds'].items():
        res['suite_seconds'][prefix + k] = v
    res['suite_seconds'][prefix + 'boot'] = o['boot_seconds']
    res['suite_seconds'][prefix + 'whole guest run'] = o['wall_seconds']
    res['splats'] = res.get('splats', []) + [prefix + s for s in o.get('splats', [])]
    with open(os.path.join(run, 'results.json'), 'w') as f:
        json.dump(res, f, indent=1, sort_keys=True)
        f.write('\n')
    return 0


def main():
    cmd, argv = sys.argv[1], sys.argv[2:]
    if cmd == 'parse':
        res = parse(argv[0])
        n = {}
        for t in res['tests'].values():
            n[t['status']] = n.get(t['status'], 0) + 1
        print('%s: %s' % (argv[0], ', '.join('%d %s' % (v, k) for k, v in sorted(n.items()))))
        return 0
    return {'compare': compare, 'table': table, 'lint': lint, 'merge': merge}[cmd](argv)


if __name__ == '__main__':
    sys.exit(main())
