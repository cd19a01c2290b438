#!/usr/bin/env bash
# Create build/linux: a git repo whose first commit is the base (tag "base")
# followed by the series applied with git am, one commit per patch. The tag
# "exported" marks the commit that patches/ was last made from (or made
# into the tree); "baseline" marks the end of the test infrastructure.
#
# make tree (no argument): replace the tree; WIP=1 also applies patches/wip. Refused when it holds work that
#   patches/ does not have (commits after "exported", uncommitted or
#   untracked files, an unfinished git am), unless FORCE=1.
# --if-missing (make check/demo/kernel): keep an existing tree as it is,
#   edits and all; create it if missing; recreate it if it is clean and
#   exported but patches/series has changed since (say, after a pull).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series_ids() {
	local f
	series_patches patched | while read -r f; do
		git patch-id --stable <"$TOP/patches/$f" | awk '{print $1}'
	done
}
tree_ids() {
	local c
	for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
		git -C "$TREE" format-patch --stdout -1 "$c" | git patch-id --stable | awk '{print $1}'
	done
}
# Empty when the tree has nothing that patches/ lacks; else the reason.
unexported() {
	[ -d "$TREE/.git/rebase-apply" ] && { echo "an unfinished git am"; return; }
	git -C "$TREE" rev-parse -q --verify exported >/dev/null ||
		{ echo "no 'exported' tag"; return; }
	[ "$(git -C "$TREE" rev-parse HEAD)" = "$(git -C "$TREE" rev-parse exported)" ] ||
		{ echo "commits not exported to patches/"; return; }
	[ -z "$(git -C "$TREE" status --porcelain --untracked-files=normal)" ] ||
		{ echo "uncommitted or untracked files"; return; }
}

if [ -d "$TREE/.git" ] && git -C "$TREE" rev-parse -q --verify base >/dev/null 2>&1; then
	why=$(unexported)
	if [ "${1:-}" = --if-missing ]; then
		[ -d "$TREE/.git/rebase-apply" ] &&
			die "$TREE has an unfinished git am: fix it, or FORCE=1 make tree"
		# Work in progress: build what is there.
		[ -n "$why" ] && exit 0
		[ "$(tree_ids)" = "$(series_ids)" ] && exit 0
		log "patches/series changed since the tree was made: recreating it"
	elif [ -n "$why" ] && [ "${FORCE:-0}" != 1 ]; then
		die "$TREE has $why; 'make export' (and commit) first, or FORCE=1"
	fi
fi

tarball=$("$TOP/scripts/fetch-base.sh")
new=$TREE.new
rm -rf "$new"
mkdir -p "$new"
log "extracting base into $new"
# --touch: a file a dropped patch had changed must look newer than its object.
tar -C "$new" --strip-components=1 --touch -xJf "$tarball"
cd "$new"
git init -q -b master
git "${GIT_ID[@]}" add -A -f .
GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
	git "${GIT_ID[@]}" commit -q -m "Linux $BASE_VERSION (base)"
git tag base
mapfile -t pats < <(series_patches patched)
if [ "${#pats[@]}" -gt 0 ]; then
	log "applying ${#pats[@]} patches"
	git "${GIT_ID[@]}" am -q --keep-cr "${pats[@]/#/$TOP/patches/}" ||
		die "git am failed: the series does not apply (the attempt is left in $new)"
fi
# Work in progress (WIP=1): patches/wip/*.patch, in name order, on top.
# They are not part of the series: "exported" stays at the series' end,
# so the tree counts as unexported work and 'make export-wip' rewrites
# patches/wip from exported..HEAD.
wip=()
if [ "${WIP:-0}" = 1 ]; then
	shopt -s nullglob
	wip=("$TOP"/patches/wip/[0-9][0-9][0-9][0-9]-*.patch)
	shopt -u nullglob
	[ "${#wip[@]}" -gt 0 ] || die "WIP=1 but patches/wip has no patches"
fi
exported=$(git rev-parse HEAD)
if [ "${#wip[@]}" -gt 0 ]; then
	log "applying ${#wip[@]} work-in-progress patches from patches/wip"
	git "${GIT_ID[@]}" am -q --keep-cr "${wip[@]}" ||
		die "git am of patches/wip failed (the attempt is left in $new)"
fi
# The baseline commit: the base plus the patches before the mark.
nb=$(series_patches baseline | wc -l)
if [ "$nb" = 0 ]; then git tag -f baseline base >/dev/null
else git tag -f baseline "$(git rev-list --reverse base..HEAD | sed -n "${nb}p")" >/dev/null
fi
git tag -f exported "$exported" >/dev/null
cd "$TOP"
rm -rf "$TREE" "$BUILD/linux-baseline" "$BUILD/linux-at"
mv "$new" "$TREE"
git -C "$TREE" worktree prune
log "tree ready: $(git -C "$TREE" rev-list --count base..HEAD) patches on base"
