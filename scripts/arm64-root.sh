#!/usr/bin/env bash
# The arm64 guest's root file system, made once into the cache with
# debootstrap and qemu-user-static (binfmt_misc): Debian bookworm, minbase,
# plus linux-perf at the base's version (bookworm's main suite has it) and
# what the guest scripts use. Prints its path.
#   arm64-root.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

root=$CACHE/arm64-root
pkgs=linux-perf,kmod,procps,util-linux,coreutils,gawk,grep,sed,findutils,iproute2,python3
want="$pkgs perf=${BASE_VERSION}-1 v1"
if [ "$(cat "$root/.perfctx-root" 2>/dev/null)" = "$want" ]; then
	echo "$root"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "need root to make the arm64 root file system"
"$TOP/scripts/deps.sh"

# arm64 programs run through qemu-aarch64-static: register it with
# binfmt_misc when the machine has not (a container, a fresh machine).
bm=/proc/sys/fs/binfmt_misc
[ -e "$bm/register" ] || mount -t binfmt_misc binfmt_misc "$bm" || die "cannot mount binfmt_misc"
if [ ! -e "$bm/qemu-aarch64" ]; then
	conf=/usr/lib/binfmt.d/qemu-aarch64.conf
	[ -f "$conf" ] || die "no $conf (qemu-user-static)"
	cat "$conf" >"$bm/register"
fi

# The Debian archive this machine's apt uses (deb822 or one-line sources).
mirror=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' \
	/etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
	/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
[ -n "$mirror" ] || die "no bookworm entry in the apt sources to take the archive from"

log "debootstrap arm64 bookworm into $root ($mirror)"
rm -rf "$root.new"
debootstrap --arch=arm64 --variant=minbase --include="$pkgs" bookworm "$root.new" "$mirror" \
	>"$CACHE/arm64-root.log" 2>&1 || { tail -20 "$CACHE/arm64-root.log" >&2; die "debootstrap failed"; }
v=$(chroot "$root.new" dpkg-query -W -f='${Version}' linux-perf)
[ "$v" = "${BASE_VERSION}-1" ] || die "arm64 linux-perf is $v, not ${BASE_VERSION}-1"
# Mount points of the guest: the rig's checkout (9p), results (/mnt).
mkdir -p "$root.new$TOP" "$root.new/mnt" "$root.new/lib/modules"
rm -rf "$root.new/var/cache/apt/archives"/*.deb
rm -rf "$root"
mv "$root.new" "$root"
echo "$want" >"$root/.perfctx-root"
log "arm64 root ready: $(du -sh "$root" | cut -f1), linux-perf $v"
echo "$root"
