#!/usr/bin/env bash
# make export: regenerate patches/ (numbered patches, cover letter, series)
# from base..HEAD of build/linux. The baseline mark in patches/series is kept
# after the same number of patches (the tree's "baseline" tag moves with it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$TREE/.git" ] || die "no tree at $TREE"
[ ! -d "$TREE/.git/rebase-apply" ] || die "$TREE has an unfinished git am"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=normal)" ] ||
	die "$TREE has uncommitted or untracked files: commit them first"
nb=${BASELINE_PATCHES:-$(series_patches baseline | wc -l)}
n=$(git -C "$TREE" rev-list --count base..HEAD)
[ "$nb" -le "$n" ] || die "the tree has fewer patches ($n) than the baseline mark ($nb)"
[ "$n" = 0 ] || [ -f "$TOP/patches/cover.in" ] ||
	die "write patches/cover.in first (subject line, blank line, the letter)"
rm -f "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch
if [ "$n" -gt 0 ]; then
	git -C "$TREE" "${GIT_ID[@]}" format-patch -q --cover-letter --no-signature --zero-commit \
		--base=base -o "$TOP/patches" base..HEAD
	# The cover letter's subject and text come from patches/cover.in (first
	# line: subject; the rest: the letter), which is kept across exports.
	python3 - "$TOP/patches/0000-cover-letter.patch" "$TOP/patches/cover.in" <<'PY'
import sys
cover, src = sys.argv[1], open(sys.argv[2]).read().split('\n', 1)
text = open(cover).read()
text = text.replace('*** SUBJECT HERE ***', src[0].strip())
text = text.replace('*** BLURB HERE ***', src[1].strip('\n') if len(src) > 1 else '')
open(cover, 'w').write(text)
PY
fi
{
	echo "# perfctx series against Linux $BASE_VERSION, applied in this order."
	echo "# Patches before the '# baseline' mark are the base-compatible test"
	echo "# infrastructure: base + them = the baseline kernel; all = patched."
	i=0
	for f in "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -f "$f" ] || continue
		f=$(basename "$f")
		[ "${f#0000-}" = "$f" ] || continue
		[ "$i" = "$nb" ] && echo "# baseline"
		echo "$f"
		i=$((i + 1))
	done
	[ "$i" -gt "$nb" ] || echo "# baseline"
} >"$TOP/patches/series"
if [ "$nb" = 0 ]; then git -C "$TREE" tag -f baseline base >/dev/null
else git -C "$TREE" tag -f baseline "$(git -C "$TREE" rev-list --reverse base..HEAD | sed -n "${nb}p")" >/dev/null
fi
log "exported $n patches ($nb before the baseline mark)"
git -C "$TREE" tag -f exported HEAD >/dev/null
