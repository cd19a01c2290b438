#!/usr/bin/env bash
# Build the test kernel of a variant and its selftests, boot it and run every
# suite: run-suites.sh <patched|baseline> <rundir> [suites...]
# (KARCH=arm64: the arm64 kernel, booted by vm-run.sh on the arm64 root.)
# Leaves <rundir>/results.json. Exit status is vm-run.sh's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
variant=${1:?variant}
run=${2:?rundir}
shift 2
suites=${*:-selftests perftest}
obj=$("$TOP/scripts/build-kernel.sh" test "$variant")
src=$TREE
[ "$variant" = baseline ] && [ -d "$BUILD/linux-baseline" ] && [ "${obj%-baseline}" != "$obj" ] &&
	src=$BUILD/linux-baseline
sel=$BUILD/selftests/$(basename "$obj")
"$TOP/scripts/build-selftests.sh" "$src" "$obj" "$sel"
# BASELINE_FAILURES=<results json>: its failed selftests are expected to
# fail; another failed selftest makes its program run once more.
rm -f "$sel/baseline-failures"
if [ -n "${BASELINE_FAILURES:-}" ]; then
	python3 - "$BASELINE_FAILURES" >"$sel/baseline-failures" <<-'EOF'
	import json, sys
	for key, t in sorted(json.load(open(sys.argv[1]))['tests'].items()):
	    suite, _, name = key.partition('|')
	    if suite.startswith('selftests:') and t['status'] == 'fail':
	        print(suite[len('selftests:'):] + '/' + name)
	EOF
fi
set +e
"$TOP/scripts/vm-run.sh" --timeout "${SUITE_TIMEOUT:-4200}" "$obj" "$run" \
	"$TOP/scripts/guest/suites.sh" "$sel" $suites
rc=$?
set -e
"$TOP/scripts/results.py" parse "$run" >&2 || rc=1
exit $rc
