#!/usr/bin/env bash
# Create build/linux: a git repo whose first commit is the base (ref "base")
# followed by the series applied with git am, one commit per patch.
# Refuses to replace a tree with unexported commits or uncommitted edits
# unless FORCE=1. With --if-missing, an existing tree (with its base tag) is
# kept as it is, edits and all: that is the tree being worked on.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The ordered patch ids and subjects of the tree and of the series agree.
tree_matches_series() {
	local t p c f
	t=$(for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
		git -C "$TREE" format-patch --stdout -1 "$c" | git patch-id --stable | awk '{print $1}'
		git -C "$TREE" log -1 --format=%s "$c"
	done)
	p=$(series_patches patched | while read -r f; do
		git patch-id --stable <"$TOP/patches/$f" | awk '{print $1}'
		git mailinfo /dev/null /dev/null <"$TOP/patches/$f" | sed -n 's/^Subject: //p'
	done)
	[ "$t" = "$p" ]
}

if [ "${1:-}" = --if-missing ] && git -C "$TREE" rev-parse -q --verify base >/dev/null 2>&1; then
	exit 0
fi

if [ -d "$TREE/.git" ]; then
	if [ "${FORCE:-0}" != 1 ]; then
		[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
			die "$TREE has uncommitted edits; commit and 'make export', or FORCE=1"
		git -C "$TREE" rev-parse -q --verify base >/dev/null ||
			die "$TREE has no base ref; FORCE=1 to recreate"
		tree_matches_series ||
			die "$TREE has commits not in patches/ (or lacks some); 'make export' or FORCE=1"
	fi
	rm -rf "$TREE" "$BUILD/linux-baseline"
fi

tarball=$("$TOP/scripts/fetch-base.sh")
mkdir -p "$TREE"
log "extracting base into $TREE"
# --touch: a file a dropped patch had changed must look newer than its object.
tar -C "$TREE" --strip-components=1 --touch -xJf "$tarball"
cd "$TREE"
git init -q -b master
git "${GIT_ID[@]}" add -A -f .
GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
	git "${GIT_ID[@]}" commit -q -m "Linux $BASE_VERSION (base)"
git tag base
mapfile -t pats < <(series_patches patched)
if [ "${#pats[@]}" -gt 0 ]; then
	log "applying ${#pats[@]} patches"
	(cd "$TOP/patches" && git -C "$TREE" "${GIT_ID[@]}" am -q --keep-cr "${pats[@]/#/$TOP/patches/}") ||
		die "git am failed; the series does not apply (see 'git -C $TREE am --show-current-patch')"
fi
# The baseline commit: the base plus the patches before the mark.
nb=$(series_patches baseline | wc -l)
git tag -f baseline "base~0" >/dev/null
[ "$nb" -eq 0 ] || git tag -f baseline "$(git rev-list --reverse base..HEAD | sed -n "${nb}p")" >/dev/null
log "tree ready: $(git rev-list --count base..HEAD) patches on base"
