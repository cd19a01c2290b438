#!/usr/bin/env bash
# Install the Debian packages the rig needs (idempotent: apt runs only when
# something is missing). Needs root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio rsync kmod xz-utils
	ccache sparse git python3 perl qemu-system-x86 busybox-static
	procps util-linux clang llvm python3-ply python3-git coccinelle
	gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-powerpc64le-linux-gnu gcc-s390x-linux-gnu
	qemu-system-arm qemu-user-static debootstrap gnuplot-nox)
# The guest runs on this machine's root: tools perf test looks for (clang and
# llc for its BPF compile tests, objdump) must be the same on every machine.
# perf test numbers and names must not move between the recorded baseline
# and a later run: pin Debian's linux-perf to the base's own version.
perf_pkg=linux-perf=${BASE_VERSION}-1
# The guest mounts the test kernel's modules on /lib/modules/<release> of
# this machine's root (see guest/init): the directory must exist.
if [ ! -d /lib/modules ]; then
	[ "$(id -u)" = 0 ] || die "need root to create /lib/modules"
	mkdir -p /lib/modules
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ "$(dpkg-query -W -f='${Version}' linux-perf 2>/dev/null)" = "${BASE_VERSION}-1" ] || missing+=("$perf_pkg")
[ "${#missing[@]}" -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]}"
log "installing: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --allow-downgrades \
	"${missing[@]}" >/dev/null
