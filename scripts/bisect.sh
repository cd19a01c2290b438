#!/usr/bin/env bash
# make bisect: the series is bisectable after the baseline mark. For every
# commit of build/linux after the "baseline" tag, in order: build the test
# kernel at that commit (a worktree, build/linux-at; objects in
# build/obj/test-at, so each step is incremental) and its perf selftests,
# boot it and run a smoke test with the emulated PMUs loaded (emu_pmu_count,
# or BISECT_PROGS). With BISECT_ARCHES=1, also make check-arches at that
# commit (W=1 builds of every user of the changed interfaces on x86_64,
# arm64, arm, ppc64le and s390x against the baseline). Any build error,
# failed smoke test, new cross-build warning or kernel splat fails.
# The table goes to the terminal and results/bisect.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/deps.sh"
"$TOP/scripts/mktree.sh" --if-missing
progs=${BISECT_PROGS:-emu_pmu_count}
mapfile -t revs < <(git -C "$TREE" rev-list --reverse baseline..HEAD)
[ "${#revs[@]}" -gt 0 ] || die "no commits after the baseline mark"
out=$RESULTS/runs/bisect
rm -rf "$out"
mkdir -p "$out"
t0=$(date +%s)
rows=() fail=0 i=0
for rev in "${revs[@]}"; do
	i=$((i + 1))
	subj=$(git -C "$TREE" log -1 --format=%s "$rev")
	short=$(git -C "$TREE" rev-parse --short=12 "$rev")
	log "bisect $i/${#revs[@]}: $short $subj"
	start=$(date +%s)
	if ! obj=$("$TOP/scripts/build-kernel.sh" test "at:$rev" 2>"$out/$i.build.log"); then
		rows+=("| $i | $subj | build failed | - | $(($(date +%s) - start)) |")
		fail=1
		tail -20 "$out/$i.build.log" >&2
		continue
	fi
	sel=$BUILD/selftests/test-at
	if ! "$TOP/scripts/build-selftests.sh" "$BUILD/linux-at" "$obj" "$sel" 2>>"$out/$i.build.log"; then
		rows+=("| $i | $subj | selftests failed to build | - | $(($(date +%s) - start)) |")
		fail=1
		continue
	fi
	set +e
	"$TOP/scripts/vm-run.sh" --timeout "${BISECT_TIMEOUT:-900}" "$obj" "$out/$i" \
		"$TOP/scripts/guest/progs.sh" "$sel/perf_events" $progs >"$out/$i.run.log" 2>&1
	rc=$?
	set -e
	case $rc in
	0) res=pass ;;
	1) res="fail ($progs)"; fail=1 ;;
	2) res="kernel splat"; fail=1 ;;
	*) res="hang or no boot"; fail=1 ;;
	esac
	totals=$(grep -h '^# Totals' "$out/$i/guest.log" 2>/dev/null | tr '\n' ' ' | sed 's/# Totals: //g')
	arches=""
	if [ "${BISECT_ARCHES:-0}" = 1 ]; then
		if "$TOP/scripts/check-arches.sh" --at "$rev" >"$out/$i.arches.log" 2>&1; then
			arches=" | ok"
		else
			arches=" | new warnings or errors: $(grep -c '^  new ' "$out/$i.arches.log")"
			fail=1
		fi
	fi
	rows+=("| $i | $subj | ok | $res ${totals:+($totals)}$arches | $(($(date +%s) - start)) |")
done
{
	echo "# make bisect: every patch after the baseline mark builds, boots and passes $progs"
	echo
	echo "$(date -u +%F), $(git -C "$TREE" rev-list --count baseline..HEAD) patches, $(($(date +%s) - t0)) s."
	echo
	if [ "${BISECT_ARCHES:-0}" = 1 ]; then
		echo "| # | patch | build | boot + $progs | check-arches | seconds |"
		echo "|---|---|---|---|---|---|"
	else
		echo "| # | patch | build | boot + $progs | seconds |"
		echo "|---|---|---|---|---|"
	fi
	printf '%s\n' "${rows[@]}"
} >"$RESULTS/bisect.md"
cat "$RESULTS/bisect.md"
[ "$fail" = 0 ] || die "bisect: a patch failed (see $out)"
log "bisect: all ${#revs[@]} patches build, boot and pass"
