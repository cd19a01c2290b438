#!/usr/bin/env bash
# Build the test kernel of a variant and its selftests, boot it and run every
# suite: run-suites.sh <patched|baseline> <rundir> [suites...]
# Leaves <rundir>/results.json. Exit status is vm-run.sh's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
variant=${1:?variant}
run=${2:?rundir}
shift 2
suites=${*:-selftests perftest}
obj=$("$TOP/scripts/build-kernel.sh" test "$variant")
src=$TREE
[ "$variant" = baseline ] && [ -d "$BUILD/linux-baseline" ] && [ "$obj" = "$BUILD/obj/test-baseline" ] &&
	src=$BUILD/linux-baseline
sel=$BUILD/selftests/$(basename "$obj")
"$TOP/scripts/build-selftests.sh" "$src" "$obj" "$sel"
set +e
"$TOP/scripts/vm-run.sh" --timeout "${SUITE_TIMEOUT:-4200}" "$obj" "$run" \
	"$TOP/scripts/guest/suites.sh" "$sel" $suites
rc=$?
set -e
"$TOP/scripts/results.py" parse "$run" >&2 || rc=1
exit $rc
