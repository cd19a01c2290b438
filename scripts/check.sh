#!/usr/bin/env bash
# make check: every suite on the patched kernel, compared against the
# recorded baseline results (results/baseline.json), plus the series lint.
# Ends with "N passed, N failed, N skipped, N baseline-failures".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
t0=$(date +%s)
[ -f "$RESULTS/baseline.json" ] ||
	die "no results/baseline.json: run 'make compare' and commit results/baseline.json"
"$TOP/scripts/deps.sh"
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sparse_kernel_events"])' \
	"$RESULTS/baseline.json") || die "results/baseline.json has no sparse count: re-run make compare"
"$TOP/scripts/mktree.sh" --if-missing
run=$RESULTS/runs/check
rm -rf "$run"
set +e
# perftest_check: perf test without its tool-only tests (guest/suites.sh);
# make compare runs them all. bench: make bench's guest script, short, first
# (its cgroup2 events fail once the selftests' v1 perf_event mount was made).
BASELINE_FAILURES=$RESULTS/baseline.json \
	"$TOP/scripts/run-suites.sh" patched "$run" bench selftests perftest_check
vm=$?
set -e
[ -f "$run/results.json" ] || die "the guest run left no results (status $vm)"
# arm64 (QEMU -M virt -cpu max: PMUv3), its results under "arm64/".
set +e
BASELINE_FAILURES=$RESULTS/baseline.json "$TOP/scripts/run-arm64.sh" patched "$run" perftest_check
vm64=$?
set -e
"$TOP/scripts/lint.sh" "$TREE" "$BUILD/obj/test-patched" "$run/lint.tsv" "$want" >/dev/null ||
	printf 'lint\tfail\tlint.sh failed\n' >>"$run/lint.tsv"
if [ "$vm" != 0 ]; then
	printf 'guest run\tfail\tvm-run status %s (1 script, 2 splat, 3 hang/timeout)\n' "$vm" >>"$run/lint.tsv"
fi
if [ "$vm64" -ge 2 ]; then
	printf 'arm64 guest run\tfail\tvm-run status %s (2 splat, 3 hang/timeout)\n' "$vm64" >>"$run/lint.tsv"
fi
# The cross builds (make check-arches): a warning or error the baseline
# does not have, on any architecture, fails the check.
if "$TOP/scripts/check-arches.sh" >"$run/arches.log" 2>&1; then
	printf 'check-arches\tpass\t%s architectures, no new warning\n' "$(grep -c '| ok |$' "$BUILD/arches/table.md")" >>"$run/lint.tsv"
else
	printf 'check-arches\tfail\t%s\n' "$(grep -E '^  new |error' "$run/arches.log" | head -3 | tr '\t\n' '  ')" >>"$run/lint.tsv"
	cat "$run/arches.log" >&2
fi
"$TOP/scripts/results.py" lint "$run" "$run/lint.tsv"
opts=()
# Until patches follow the baseline mark, expected-to-fail stays so on both.
[ "$(series_patches patched | wc -l)" = "$(series_patches baseline | wc -l)" ] && opts+=(--allow-xfail)
[ -f "$RESULTS/xfail-patched.txt" ] && opts+=(--xfail-list "$RESULTS/xfail-patched.txt")
log "check took $(($(date +%s) - t0)) s (guest: boot $(cat "$run/boot-seconds" 2>/dev/null) s, whole run $(cat "$run/wall-seconds") s); table in $run/compare.md"
exec "$TOP/scripts/results.py" compare "$RESULTS/baseline.json" "$run/results.json" --md "$run/compare.md" "${opts[@]}"
