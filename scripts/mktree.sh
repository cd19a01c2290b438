#!/usr/bin/env bash
# Create build/linux: a git repo whose first commit is the base (ref "base")
# followed by the series applied with git am, one commit per patch.
# Refuses to replace a tree with unexported commits or uncommitted edits
# unless FORCE=1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree_matches_series() {
	local t p
	t=$(git -C "$TREE" format-patch --stdout base..HEAD | git patch-id --stable | awk '{print $1}' | sort)
	p=$(series_patches patched | while read -r f; do cat "$TOP/patches/$f"; done |
		git patch-id --stable | awk '{print $1}' | sort)
	[ "$t" = "$p" ]
}

if [ -d "$TREE/.git" ]; then
	if [ "${FORCE:-0}" != 1 ]; then
		[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
			die "$TREE has uncommitted edits; commit and 'make export', or FORCE=1"
		git -C "$TREE" rev-parse -q --verify base >/dev/null ||
			die "$TREE has no base ref; FORCE=1 to recreate"
		tree_matches_series ||
			die "$TREE has commits not in patches/ (or lacks some); 'make export' or FORCE=1"
		if [ "${1:-}" = --if-missing ]; then
			log "tree $TREE is up to date with the series"
			exit 0
		fi
	fi
	rm -rf "$TREE"
fi

tarball=$("$TOP/scripts/fetch-base.sh")
mkdir -p "$TREE"
log "extracting base into $TREE"
tar -C "$TREE" --strip-components=1 -xJf "$tarball"
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
