#!/usr/bin/env python3
"""Helpers of scripts/check-arches.sh (make check-arches).

  arches.py files <patched-tree> <baseline-tree>
      The C files to build on every architecture, one per line: every C file
      the series changes, and every C file that uses a name the series removed
      or changed (identifiers of the '-' lines of its header diffs, found with
      git grep in both trees), or includes a changed header of a driver family.
  arches.py enabled <tree> <objdir> <srcarch> <file.c>...
      Those of the files that the configuration of <objdir> builds for
      <srcarch> (read from the Makefiles: obj-$(CONFIG_X) += file.o, dir/,
      composite objects), one per line.
  arches.py compare <arch> <baseline.log> <patched.log> <files> <md-out>
      Compares the compiler messages of the two builds, per file and message
      without line numbers; prints a table row and the new messages.
      Exit 1 when the patched build has a warning or error the baseline
      build does not.
"""
import collections
import os
import re
import subprocess
import sys

# Headers every kernel file includes: their changed names are found by name,
# their includers are not all users.
UNIVERSAL = {'include/linux/perf_event.h', 'include/linux/sched.h'}
# Identifiers of removed lines that name no interface (too common to mean one).
COMMON = {'list_head', '__percpu', 'perf_event', 'sched_in', 'nr_events', 'nr_active',
          'task_ctx'}


def git(tree, *args):
    return subprocess.run(['git', '-C', tree] + list(args), check=True,
                          capture_output=True, text=True).stdout


def changed_names(tree):
    """Identifiers on the removed lines of the series' header diffs."""
    diff = git(tree, 'diff', 'baseline', 'HEAD', '--', '*.h')
    names = set()
    for line in diff.splitlines():
        if line.startswith('-') and not line.startswith('---'):
            code = re.sub(r'/\*.*?(\*/|$)|^\s*\*.*', '', line[1:])
            names.update(w for w in re.findall(r'\b[A-Za-z_]\w*\b', code)
                         if '_' in w.strip('_') and len(w) >= 8 and w not in COMMON)
    return sorted(names)


def grep_files(tree, pattern, *paths):
    r = subprocess.run(['git', '-C', tree, 'grep', '-l', '-w', '-E', pattern, '--'] + list(paths),
                       capture_output=True, text=True)
    return set(r.stdout.split())


def cmd_files(patched, baseline):
    names = changed_names(patched)
    changed = set(git(patched, 'diff', '--name-only', 'baseline', 'HEAD').split())
    users = set()
    for tree in (patched, baseline):
        hits = grep_files(tree, '|'.join(names), '*.c', '*.h')
        perf = grep_files(tree, 'perf_event|perf_event_open|pmu', '*.c', '*.h')
        users |= hits & perf
    # A header a driver family shares: its includers.
    for h in sorted(changed | users):
        if not h.endswith('.h') or h in UNIVERSAL or 'include/uapi/' in h:
            continue
        if h.startswith('include/'):
            inc = grep_files(patched, r'#include\s+<' + re.escape(h[len('include/'):]) + '>', '*.c')
        else:
            # "perf_event.h", "../perf_event.h": includers below its parent.
            d = os.path.dirname(os.path.dirname(h))
            inc = {f for f in grep_files(patched, r'#include\s+"[^"]*' +
                                         re.escape(os.path.basename(h)) + '"', d + '/')
                   if f.endswith('.c') and os.path.normpath(os.path.join(
                       os.path.dirname(f), re.search(r'#include\s+"([^"]*' + re.escape(
                           os.path.basename(h)) + ')"', open(os.path.join(patched, f),
                           errors='replace').read()).group(1))) == h}
        users |= inc
    files = sorted(f for f in (changed | users) if f.endswith('.c') and
                   not f.startswith(('tools/', 'Documentation/', 'samples/', 'scripts/')) and
                   os.path.exists(os.path.join(patched, f)))
    sys.stderr.write('arches.py: %d names of removed lines: %s\n' % (len(names), ' '.join(names)))
    print('\n'.join(files))


def read_config(objdir):
    cfg = {}
    for line in open(os.path.join(objdir, '.config')):
        m = re.match(r'(CONFIG_\w+)=(.*)', line)
        if m:
            cfg[m.group(1)] = m.group(2).strip('"')
    return cfg


class Kbuild:
    def __init__(self, tree, cfg, srcarch):
        self.tree, self.cfg, self.srcarch = tree, cfg, srcarch
        self.cache = {}

    def rules(self, d):
        """[(variable, [values])] of the Makefile/Kbuild of directory d."""
        if d in self.cache:
            return self.cache[d]
        text = ''
        for name in ('Kbuild', 'Makefile'):
            p = os.path.join(self.tree, d, name)
            if os.path.exists(p):
                text += open(p, errors='replace').read() + '\n'
        text = re.sub(r'\\\n', ' ', text)
        out = []
        for line in text.splitlines():
            m = re.match(r'\s*([\w$()\-]+?)\s*(\+=|:=|=)\s*(.*)', line.split('#')[0])
            if m:
                out.append((m.group(1), m.group(3).split()))
        self.cache[d] = out
        return out

    def on(self, cond):
        if cond in ('y', 'm', 'objs'):
            return True
        m = re.fullmatch(r'\$\((CONFIG_\w+)\)', cond)
        if m:
            return self.cfg.get(m.group(1)) in ('y', 'm')
        return False

    def roots(self):
        return {'kernel', 'mm', 'fs', 'ipc', 'security', 'crypto', 'block', 'init', 'lib',
                'drivers', 'sound', 'net', 'virt', 'arch/' + self.srcarch}

    def enabled(self, d, token, depth=0):
        """Is token ('x.o' or 'sub/') of directory d built?"""
        if depth > 20:
            return False
        for var, vals in self.rules(d):
            if token not in vals and token.rstrip('/') not in vals:
                continue
            m = re.fullmatch(r'(obj|lib|core|drivers)-(.+)', var)
            if m:
                if self.on(m.group(2)):
                    return self.dir_enabled(d, depth + 1)
                continue
            m = re.fullmatch(r'([\w\-]+)-(y|objs|\$\(CONFIG_\w+\))', var)
            if m and self.on(m.group(2)):
                if self.enabled(d, m.group(1) + '.o', depth + 1):
                    return True
        return False

    def dir_enabled(self, d, depth):
        if d in self.roots() or d == '':
            return True
        parts = d.split('/')
        for i in range(len(parts) - 1, 0, -1):
            parent, rel = '/'.join(parts[:i]), '/'.join(parts[i:]) + '/'
            if any(rel in vals or rel.rstrip('/') in vals for _, vals in self.rules(parent)):
                return self.enabled(parent, rel, depth)
            if parent in self.roots():
                break
        return parts[0] in self.roots() or d in self.roots()


def cmd_enabled(tree, objdir, srcarch, files):
    kb = Kbuild(tree, read_config(objdir), srcarch)
    for f in files:
        if f.startswith('arch/') and not f.startswith('arch/%s/' % srcarch):
            continue
        d, b = os.path.split(f)
        if kb.enabled(d, b[:-2] + '.o'):
            print(f)


MSG = re.compile(r'^(?:.*?/)?((?:arch|drivers|kernel|include|lib|mm|fs|net|init|virt|sound|'
                 r'security|block|crypto|ipc|tools|scripts)/[^:\s]+):(\d+):(?:\d+:)?\s*'
                 r'(warning|error|fatal error):\s*(.*)$')


def messages(log):
    c = collections.Counter()
    for line in open(log, errors='replace'):
        m = MSG.match(line.rstrip())
        if m:
            c[(m.group(1), m.group(3).replace('fatal error', 'error'), m.group(4))] += 1
    return c


def cmd_compare(arch, blog, plog, nfiles, md):
    b, p = messages(blog), messages(plog)
    new = [(k, p[k] - b[k]) for k in sorted(p) if p[k] > b[k]]
    gone = sum(b[k] - p[k] for k in b if b[k] > p[k])
    err = lambda c: sum(v for k, v in c.items() if k[1] == 'error')
    warn = lambda c: sum(v for k, v in c.items() if k[1] == 'warning')
    verdict = 'FAIL' if new else 'ok'
    row = '| %s | %s | %d | %d | %d | %d | %d | %d | %s |' % (
        arch, nfiles, warn(b), err(b), warn(p), err(p), len(new), gone, verdict)
    with open(md, 'a') as f:
        f.write(row + '\n')
    print(row)
    for (fn, kind, text), n in new:
        print('  new %s in %s%s: %s' % (kind, fn, ' (x%d)' % n if n > 1 else '', text))
    return 1 if new else 0


def main():
    cmd = sys.argv[1]
    if cmd == 'files':
        cmd_files(sys.argv[2], sys.argv[3])
    elif cmd == 'enabled':
        cmd_enabled(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif cmd == 'compare':
        sys.exit(cmd_compare(*sys.argv[2:7]))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
