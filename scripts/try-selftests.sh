#!/usr/bin/env bash
# Development aid: build the test kernel of build/linux (patched) and its
# selftests, then run only the named programs of selftests/perf_events in
# one guest: try-selftests.sh <prog>... (output under results/runs/try,
# or $TRY_OUT).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || die "usage: try-selftests.sh <prog>..."
obj=$("$TOP/scripts/build-kernel.sh" test patched)
sel=$BUILD/selftests/$(basename "$obj")
"$TOP/scripts/build-selftests.sh" "$TREE" "$obj" "$sel"
exec "$TOP/scripts/vm-run.sh" --timeout "${TRY_TIMEOUT:-900}" "$obj" "${TRY_OUT:-$RESULTS/runs/try}" \
	"$TOP/scripts/guest/progs.sh" "$sel/perf_events" "$@"
