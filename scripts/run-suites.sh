#!/usr/bin/env bash
# Build the test kernel of a variant and its selftests, boot it and run every
# suite: run-suites.sh <patched|baseline> <rundir> [suites...]
# (KARCH=arm64: the arm64 kernel, booted by vm-run.sh on the arm64 root;
# VM_OPTS: more vm-run.sh options, such as "--icount-shift 4".)
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
case " $suites " in *" bench "*) gcc -O2 -Wall -Wextra -o "$sel/perfbench" "$TOP/scripts/bench/perfbench.c" ;; esac
# BASELINE_FAILURES=<results json>: its failed selftests (those of keys
# starting with BASELINE_FAILURES_PREFIX, such as "arm64/") are expected
# to fail; another failed selftest makes its program run once more.
rm -f "$sel/baseline-failures"
if [ -n "${BASELINE_FAILURES:-}" ]; then
	python3 - "$BASELINE_FAILURES" "${BASELINE_FAILURES_PREFIX:-}" >"$sel/baseline-failures" <<-'EOF'
	import json, sys
	for key, t in sorted(json.load(open(sys.argv[1]))['tests'].items()):
	    if not key.startswith(sys.argv[2]):
	        continue
	    suite, _, name = key[len(sys.argv[2]):].partition('|')
	    if suite.startswith('selftests:') and t['status'] == 'fail':
	        print(suite[len('selftests:'):] + '/' + name)
	EOF
fi
set +e
# shellcheck disable=SC2086
"$TOP/scripts/vm-run.sh" --timeout "${SUITE_TIMEOUT:-4200}" ${VM_OPTS:-} "$obj" "$run" \
	"$TOP/scripts/guest/suites.sh" "$sel" $suites
rc=$?
set -e
"$TOP/scripts/results.py" parse "$run" >&2 || rc=1
exit $rc
