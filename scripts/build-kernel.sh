#!/usr/bin/env bash
# Build a kernel: build-kernel.sh <test|bench> <patched|baseline|at:<commit>>
# KARCH=arm64 builds for arm64 with the Debian cross compiler (default
# x86_64); objects then go to build/obj/<kind>-arm64-<variant>.
# patched  = the whole tree in build/linux (HEAD plus any uncommitted edits)
# baseline = the base plus the patches before the "# baseline" mark in
#            patches/series (a git worktree at the tree's "baseline" tag),
#            or the patched build itself when the two are the same commit.
# Objects go to build/obj/<kind>-<variant>; ccache is used; rebuilds are
# incremental. Prints the object directory on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:?kind}
variant=${2:?variant}
[ -f "$TOP/configs/$kind.config" ] || die "no configs/$kind.config"

"$TOP/scripts/mktree.sh" --if-missing >&2

src=$TREE
if [ "$variant" = baseline ]; then
	if [ "$(git -C "$TREE" rev-parse baseline)" = "$(git -C "$TREE" rev-parse HEAD)" ] &&
		[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
		variant=patched # identical source: share the build
	else
		src=$BUILD/linux-baseline
		worktree_at "$src" baseline
	fi
elif [ "${variant#at:}" != "$variant" ]; then
	# at:<commit> (make bisect): that commit of the tree.
	rev=$(git -C "$TREE" rev-parse --verify "${variant#at:}^{commit}") || die "no commit ${variant#at:}"
	src=$BUILD/linux-at
	worktree_at "$src" "$rev"
	variant=at
fi
karch=${KARCH:-x86_64}
case "$karch" in
x86_64) cross="" obj=$BUILD/obj/$kind-$variant ;;
arm64) cross=aarch64-linux-gnu- obj=$BUILD/obj/$kind-arm64-$variant ;;
*) die "KARCH=$karch: x86_64 or arm64" ;;
esac
mkdir -p "$obj"
# One kernel build at a time on this machine.
exec 9>"$BUILD/.build.lock"
flock 9

kbuild_env
mk=(make -C "$src" O="$obj" ARCH="$karch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" -j"$(nproc)")

# The configuration: tinyconfig plus our fragments; regenerated when a
# fragment changes. Every symbol a fragment asks for must be there.
frags=("$TOP/configs/test.config" "$TOP/configs/test-$karch.config")
[ "$kind" = test ] || frags+=("$TOP/configs/$kind.config")
# Options the series adds (marked "# series-only: CONFIG_X" in a fragment)
# are only checked where the tree defines them, so that the baseline builds
# from the same fragments; which of them the tree defines is part of the
# stamp, so a tree that gains one (make bisect, one patch after another)
# is configured again.
series_only=$(sed -n 's/^# series-only: *\(CONFIG_[A-Za-z0-9_]*\).*/\1/p' "${frags[@]}")
defined() { grep -rqsx --include='Kconfig*' "config ${1#CONFIG_}" "$src"; }
have=""
for sym in $series_only; do defined "$sym" && have+=" $sym"; done
stamp=$({ cat "${frags[@]}"; echo "defined:$have"; } | sha256sum | awk '{print $1}')
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.perfctx-config" 2>/dev/null)" != "$stamp" ]; then
	log "configuring $obj"
	{
		"${mk[@]}" -s tinyconfig
		(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "${frags[@]}")
		"${mk[@]}" -s olddefconfig
	} >"$obj/.perfctx-config.log" 2>&1 || { cat "$obj/.perfctx-config.log" >&2; die "configuration failed"; }
	missing=0
	while read -r line; do
		sym=${line%%=*}
		if [ "${line#CONFIG_}" != "$line" ] && grep -qxF "$sym" <<<"$series_only" &&
			[[ "$have " != *" $sym "* ]]; then
			continue
		fi
		case "$line" in
		CONFIG_*=*) grep -qxF "$line" "$obj/.config" || { err "config: $line did not stick"; missing=1; } ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$obj/.config" && { err "config: $sym is set but should not be"; missing=1; } ;;
		esac
	done < <(cat "${frags[@]}" | awk '!seen[$0]++' | tac | awk '{
		k = $0; sub(/^# /, "", k); sub(/[= ].*/, "", k)
		if (!(k in seen)) { seen[k] = 1; print }
	}')
	[ "$missing" = 0 ] || die "configuration incomplete"
	echo "$stamp" >"$obj/.perfctx-config"
fi

log "building $kind-$variant kernel in $obj"
start=$(date +%s)
"${mk[@]}" -s all headers >&2
# The guest finds this kernel's modules in <obj>/modroot (see guest/init).
rm -rf "$obj/modroot"
if grep -qx 'CONFIG_MODULES=y' "$obj/.config"; then
	"${mk[@]}" -s INSTALL_MOD_PATH="$obj/modroot" modules_install >&2
	# No build/source links: perf test would find a kernel build tree
	# through them and run its (slow) BPF kbuild tests against it.
	rm -f "$obj"/modroot/lib/modules/*/build "$obj"/modroot/lib/modules/*/source
fi
log "built $kind-$variant in $(($(date +%s) - start)) s"
echo "$obj"
