#!/usr/bin/env bash
# make export-wip: write the tree's commits after the "exported" tag (work
# that does not pass yet) to patches/wip/ as numbered patches, replacing
# what was there. patches/series and the "exported" tag are left alone;
# 'WIP=1 make tree' applies them again on top of the series.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$TREE/.git" ] || die "no tree at $TREE"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=normal)" ] ||
	die "$TREE has uncommitted or untracked files: commit them first"
n=$(git -C "$TREE" rev-list --count exported..HEAD)
[ "$n" -gt 0 ] || die "no commits after the 'exported' tag"
mkdir -p "$TOP/patches/wip"
rm -f "$TOP"/patches/wip/[0-9][0-9][0-9][0-9]-*.patch
git -C "$TREE" "${GIT_ID[@]}" format-patch -q --no-signature --zero-commit \
	-o "$TOP/patches/wip" exported..HEAD
log "exported $n work-in-progress patches to patches/wip"
