# Common settings and helpers for the perfctx scripts (sourced, not run).
# shellcheck shell=bash
BASE_VERSION=6.1.176
BASE_SHA256=9aad4025973feea3f0d978e82ab7db97d8d5ce3f59fcc6b1f316153d66e3a504
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${PERFCTX_BUILD:-$TOP/build}
TREE=$BUILD/linux
RESULTS=${PERFCTX_RESULTS:-$TOP/results}
# Kept outside the clone so later clones and CI runs reuse it: base tarball, ccache.
CACHE=${PERFCTX_CACHE:-${HOME:-/root}/.cache/perfctx}
GIT_ID=(-c user.name=perfctx -c user.email=perfctx@perfctx.invalid)

log() { printf '[perfctx %s] %s\n' "$(date +%T)" "$*" >&2; }
err() { printf '[perfctx] error: %s\n' "$*" >&2; }
die() { err "$*"; exit 1; }

# The series file lists patches one per line; a line "# baseline" (the
# mark) ends the base-compatible test infrastructure. Prints the patch
# names before the mark (baseline) or all of them (patched).
series_patches() {
	local which=$1 f=$TOP/patches/series
	[ -f "$f" ] || return 0
	awk -v which="$which" '
		/^[[:space:]]*#[[:space:]]*baseline([[:space:]]|$)/ { if (which == "baseline") exit; next }
		/^[[:space:]]*(#|$)/ { next }
		{ print $1 }' "$f"
}

# A worktree of the tree at <rev> in <dir> (kept, and moved, between runs).
worktree_at() {
	local dir=$1 rev=$2
	if ! git -C "$dir" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		rm -rf "$dir"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$dir" "$rev" >&2
	fi
	git -C "$dir" checkout -q --detach "$rev"
}

# The build environment every kernel build of the rig shares: one ccache
# (paths relative to build/, so worktrees hit each other's objects) and a
# fixed build stamp.
kbuild_env() {
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros,include_file_mtime
	export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=perfctx KBUILD_BUILD_HOST=perfctx
	mkdir -p "$CCACHE_DIR"
	ccache -M 20G >/dev/null 2>&1 || true
}
