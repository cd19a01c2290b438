#!/usr/bin/env bash
# Build and install the perf selftests of a kernel source tree against its
# exported headers: build-selftests.sh <srcdir> <objdir> <outdir>
# Every directory tools/testing/selftests/perf* is taken, so tests the series
# adds there are picked up without changing the rig. Each installed
# directory gets tests.list (from lib.mk's emit_tests).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
src=$(realpath "${1:?srcdir}")
obj=$(realpath "${2:?objdir}")
out=${3:?outdir}
rm -rf "$out"
mkdir -p "$out"
out=$(realpath "$out")
[ -d "$obj/usr/include/linux" ] || die "no exported headers in $obj/usr/include (make headers)"
# An arm64 kernel's selftests: Debian's cross compiler.
cross=()
grep -qx 'CONFIG_ARM64=y' "$obj/.config" && cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
for d in "$src"/tools/testing/selftests/perf*/; do
	name=$(basename "$d")
	log "building selftests/$name"
	mkdir -p "$out/.build/$name"
	# CFLAGS in the environment: lib.mk appends to it.
	CFLAGS="-O2 -g" make -s -C "$d" "${cross[@]}" OUTPUT="$out/.build/$name" \
		KHDR_INCLUDES="-isystem $obj/usr/include" \
		INSTALL_PATH="$out/$name" install >&2
	make -s --no-print-directory -C "$d" "${cross[@]}" OUTPUT="$out/.build/$name" emit_tests |
		sed 's/^[^:]*://' >"$out/$name/tests.list"
done
