#!/usr/bin/env bash
# Series lint: lint.sh <srcdir> <objdir> <out.tsv> [baseline-sparse-count]
#  - scripts/checkpatch.pl --strict on every patch of patches/series
#  - sparse (C=2) on kernel/events/ of the tree built in <objdir>; with a
#    baseline count it fails when the patched tree has more warnings.
# Writes "test<TAB>status<TAB>note" lines; prints the sparse count on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
src=$(realpath "${1:?srcdir}")
obj=$(realpath "${2:?objdir}")
out=${3:?out.tsv}
want=${4:-}
command -v sparse >/dev/null || die "sparse is not installed"
: >"$out"
while read -r p; do
	[ -n "$p" ] || continue
	# Debian's python3 first: checkpatch's SPDX check (spdxcheck.py) needs
	# python3-ply and python3-git (deps.sh). With -q a clean patch prints
	# nothing; any output (a finding, or a check that could not run) fails.
	if report=$(cd "$TREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict -q \
		"$TOP/patches/$p" 2>&1) && [ -z "$report" ]; then
		printf 'checkpatch %s\tpass\t\n' "$p" >>"$out"
	else
		printf 'checkpatch %s\tfail\t%s\n' "$p" \
			"$(printf '%s' "$report" | grep -E '^(ERROR|WARNING|CHECK)|Error' | head -3 | tr '\t\n' '  ')" >>"$out"
		printf '%s\n' "$report" >&2
	fi
done < <(series_patches patched)
[ -s "$out" ] || printf 'checkpatch (empty series)\tpass\tno patches\n' >>"$out"

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
log "sparse (C=2) on kernel/events/"
spout=$(mktemp)
make -C "$src" O="$obj" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" C=2 kernel/events/ >"$spout" 2>&1 ||
	{ cat "$spout" >&2; rm -f "$spout"; die "make C=2 kernel/events/ failed"; }
sp=$(grep -E ': (warning|error):' "$spout" || true)
rm -f "$spout"
n=0
[ -z "$sp" ] || n=$(printf '%s\n' "$sp" | wc -l)
[ -z "$sp" ] || printf '%s\n' "$sp" >"$(dirname "$out")/sparse.txt"
if [ -n "$want" ] && [ "$n" -gt "$want" ]; then
	printf 'sparse kernel/events\tfail\t%d warnings, baseline has %d\n' "$n" "$want" >>"$out"
	printf '%s\n' "$sp" >&2
else
	printf 'sparse kernel/events\tpass\t%d warnings (baseline %s)\n' "$n" "${want:-?}" >>"$out"
fi
echo "$n"
