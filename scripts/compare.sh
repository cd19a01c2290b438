#!/usr/bin/env bash
# make compare: build and run the baseline kernel (base + test patches) and
# the patched kernel (whole series) in the same way; write the side-by-side
# table to results/compare.md and the baseline's results to
# results/baseline.json (committed; make check compares against it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/deps.sh"
"$TOP/scripts/mktree.sh" --if-missing
mkdir -p "$RESULTS"
bad=0
for v in baseline patched; do
	reused=0
	set +e
	# While no patch follows the baseline mark the two are one kernel
	# (build-kernel.sh shares the build): one run stands for both,
	# unless COMPARE_RERUN=1 asks for a second run of it.
	if [ "$v" = patched ] && [ "${COMPARE_RERUN:-0}" != 1 ] &&
		[ "$(series_patches patched | wc -l)" = "$(series_patches baseline | wc -l)" ]; then
		log "patched = baseline (no patch after the mark): reusing the baseline run"
		rm -rf "$RESULTS/runs/patched"
		cp -a "$RESULTS/runs/baseline" "$RESULTS/runs/patched"
		reused=1
		st=$(cat "$RESULTS/runs/baseline/vm-status" 2>/dev/null || echo 0)
	else
		"$TOP/scripts/run-suites.sh" "$v" "$RESULTS/runs/$v" bench selftests perftest
		st=$?
		echo "$st" >"$RESULTS/runs/$v/vm-status"
	fi
	set -e
	[ -f "$RESULTS/runs/$v/results.json" ] || die "the $v run left no results"
	# arm64, merged under "arm64/" and "arm64-icount/" (a shared run
	# already has them).
	if [ "$reused" = 0 ]; then
		set +e
		"$TOP/scripts/run-arm64.sh" "$v" "$RESULTS/runs/$v" perftest
		st64=$?
		set -e
		[ "$st64" -le 1 ] || { err "the $v arm64 run had a splat or hang (status $st64)"; bad=1; }
	fi
	# Only a clean run may become the recorded baseline.
	[ "$st" = 0 ] || [ "$st" = 1 ] || { err "the $v run had a splat or hang (status $st)"; bad=1; }
	obj=$(sed -n 1p "$RESULTS/runs/$v/kernel")
	src=$TREE
	[ "$obj" = "$BUILD/obj/test-baseline" ] && src=$BUILD/linux-baseline
	n=$("$TOP/scripts/lint.sh" "$src" "$obj" "$RESULTS/runs/$v/lint.tsv")
	"$TOP/scripts/results.py" lint "$RESULTS/runs/$v" "$RESULTS/runs/$v/lint.tsv"
	python3 - "$RESULTS/runs/$v/results.json" "$n" <<'PY'
import json, sys
p, n = sys.argv[1], int(sys.argv[2])
r = json.load(open(p))
r['sparse_kernel_events'] = n
json.dump(r, open(p, 'w'), indent=1, sort_keys=True)
PY
done
"$TOP/scripts/results.py" table "$RESULTS/runs/baseline" "$RESULTS/runs/patched" --md "$RESULTS/compare.md"
[ "$bad" = 0 ] || die "not recording results/baseline.json from a run with splats or a hang"
python3 - "$RESULTS/runs/baseline/results.json" "$RESULTS/baseline.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r['kernel'] = 'baseline: base %s + the patches before the baseline mark' % '6.1.176'
# lint of the baseline patches is not a property of a kernel
r['tests'] = {k: v for k, v in r['tests'].items() if not k.startswith('lint|checkpatch')}
json.dump(r, open(sys.argv[2], 'w'), indent=1, sort_keys=True)
open(sys.argv[2], 'a').write('\n')
PY
log "recorded results/baseline.json; table in results/compare.md"
