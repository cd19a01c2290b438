#!/usr/bin/env bash
# make demo: build the patched kernel, boot it under QEMU and show perf stat
# counting per-task events of several PMUs at once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/deps.sh"
"$TOP/scripts/mktree.sh" --if-missing
obj=$("$TOP/scripts/build-kernel.sh" test patched)
run=$RESULTS/runs/demo
set +e
"$TOP/scripts/vm-run.sh" --timeout 900 "$obj" "$run" "$TOP/scripts/guest/demo.sh"
rc=$?
set -e
echo
if [ -f "$run/demo-table.txt" ]; then
	cat "$run/demo-table.txt"
else
	err "no table; guest log:"
	cat "$run/guest.log" >&2 || true
fi
exit $rc
