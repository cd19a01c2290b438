#!/usr/bin/env bash
# make check: every suite on the patched kernel, compared against the
# recorded baseline results (results/baseline.json), plus the series lint.
# Ends with "N passed, N failed, N skipped, N baseline-failures".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
t0=$(date +%s)
"$TOP/scripts/deps.sh"
"$TOP/scripts/mktree.sh" --if-missing
run=$RESULTS/runs/check
set +e
"$TOP/scripts/run-suites.sh" patched "$run"
vm=$?
set -e
[ -f "$run/results.json" ] || die "the guest run left no results (status $vm)"
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("sparse_kernel_events", ""))' \
	"$RESULTS/baseline.json")
"$TOP/scripts/lint.sh" "$TOP/build/obj/test-patched" "$run/lint.tsv" "$want" >/dev/null
"$TOP/scripts/results.py" lint "$run" "$run/lint.tsv"
opts=()
# Until patches follow the baseline mark, expected-to-fail stays so on both.
[ "$(series_patches patched | wc -l)" = "$(series_patches baseline | wc -l)" ] && opts+=(--allow-xfail)
[ -f "$RESULTS/xfail-patched.txt" ] && opts+=(--xfail-list "$RESULTS/xfail-patched.txt")
log "check took $(($(date +%s) - t0)) s (guest: boot $(cat "$run/boot-seconds" 2>/dev/null) s, run $(cat "$run/wall-seconds") s)"
set +e
"$TOP/scripts/results.py" compare "$RESULTS/baseline.json" "$run/results.json" --md "$run/compare.md" "${opts[@]}"
rc=$?
set -e
[ "$vm" = 0 ] || [ "$rc" != 0 ] || { err "guest run status $vm"; rc=1; }
exit $rc
