#!/usr/bin/env bash
# Boot a built kernel under QEMU (TCG, no KVM) and run a guest script.
#
#   vm-run.sh [options] <objdir> <outdir> <guest-script> [args...]
#     --timeout S   wall-clock limit for the whole run (default 1800)
#     --icount      -icount shift=0,sleep=off: guest time counts guest
#                   instructions (single-threaded TCG) - for benchmarks
#     --icount-shift N  -icount shift=N (arm64: shift=4 gives the PMU's
#                   instructions event a usable speed)
#     --cpus N      vCPUs (default 4)       --mem M   MiB (default 4096)
#     --append S    more kernel command line
#
# The host root is the guest root, read-only over 9p; <outdir> is the
# writable results share (/mnt in the guest). An arm64 kernel (<objdir>/
# arch/arm64/boot/Image) boots under qemu-system-aarch64 -M virt -cpu max
# (PMUv3) on the Debian arm64 root of scripts/arm64-root.sh, with this
# checkout shared at its host path (guest/preinit mounts it). Keeps console.log, dmesg.txt,
# guest.log, kmemleak.txt and writes splats.txt.
# Exit: 0 ok; 1 the script failed; 2 kernel splat; 3 hang/timeout/no boot.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

timeout=1800 icount=0 shift=0 cpus=4 mem=4096 extra=
while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) timeout=$2; shift 2 ;;
	--icount) icount=1; shift ;;
	--icount-shift) icount=1; shift=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--append) extra=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
obj=$(realpath "${1:?objdir}")
out=${2:?outdir}
script=$(realpath "${3:?guest script}")
shift 3
args="$*"
if [ -f "$obj/arch/arm64/boot/Image" ]; then
	arch=arm64 kernel=$obj/arch/arm64/boot/Image
	root=$("$TOP/scripts/arm64-root.sh")
	# The checkout's mount point, and the first program, in the arm64 root.
	mkdir -p "$root$TOP"
	cmp -s "$TOP/scripts/guest/preinit" "$root/perfctx-preinit" ||
		install -m 755 "$TOP/scripts/guest/preinit" "$root/perfctx-preinit"
else
	arch=x86_64 kernel=$obj/arch/x86/boot/bzImage root=/
fi
[ -f "$kernel" ] || die "no kernel at $kernel"

rm -rf "$out"
mkdir -p "$out"
out=$(realpath "$out")
echo "$obj" >"$out/kernel"

accel=(-accel tcg,thread=multi)
[ "$icount" = 1 ] && accel=(-accel tcg -icount "shift=$shift,sleep=off")
cmdline="loglevel=7 root=root rootfstype=9p ro"
cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose"
cmdline+=" panic=-1 watchdog_thresh=30"
if [ "$arch" = arm64 ]; then
	qemu=(qemu-system-aarch64 -M virt,gic-version=3 -cpu max,pauth-impdef=on)
	cmdline="console=ttyAMA0 $cmdline init=/perfctx-preinit PERFCTX_TOP=$TOP"
	top=(-fsdev "local,id=top,path=$TOP,security_model=none,readonly=on,multidevs=remap"
		-device virtio-9p-pci,fsdev=top,mount_tag=top)
else
	qemu=(qemu-system-x86_64 -M q35 -cpu max)
	cmdline="console=ttyS0 $cmdline init=$TOP/scripts/guest/init"
	top=()
fi
cmdline+=" rcupdate.rcu_cpu_stall_timeout=60 kmemleak=on"
[ -n "$extra" ] && cmdline+=" $extra"
cmdline+=" PERFCTX_SCRIPT=$script"
[ -d "$obj/modroot/lib/modules" ] && cmdline+=" PERFCTX_MODULES=$obj/modroot/lib/modules"
[ -n "$args" ] && cmdline+=" PERFCTX_ARGS=${args// /,}"

log "booting $(basename "$obj") for $(basename "$script") (limit ${timeout}s) -> $out"
start=$(date +%s.%N)
set +e
timeout --kill-after=10 "$timeout" "${qemu[@]}" \
	"${accel[@]}" -smp "$cpus" -m "$mem" \
	-nographic -no-reboot -serial "file:$out/console.log" -monitor none \
	-kernel "$kernel" -append "$cmdline" \
	-fsdev "local,id=rootfs,path=$root,security_model=none,readonly=on,multidevs=remap" \
	-device virtio-9p-pci,fsdev=rootfs,mount_tag=root \
	-fsdev "local,id=results,path=$out,security_model=none,multidevs=remap" \
	-device virtio-9p-pci,fsdev=results,mount_tag=results "${top[@]}" \
	</dev/null >"$out/qemu.log" 2>&1
qrc=$?
set -e
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }' >"$out/wall-seconds"

logs=("$out/console.log")
[ -f "$out/dmesg.txt" ] && logs+=("$out/dmesg.txt")
"$TOP/scripts/splats.sh" "${logs[@]}" >"$out/splats.txt" || true
status=0
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	err "guest exceeded the ${timeout}s limit"
	echo "TIMEOUT: guest exceeded ${timeout}s" >>"$out/splats.txt"
	status=3
elif ! grep -q '^PERFCTX-BEGIN' "$out/console.log"; then
	err "guest never reached its script (qemu rc $qrc)"
	echo "NOBOOT: guest never reached its script" >>"$out/splats.txt"
	status=3
elif ! grep -q '^PERFCTX-END' "$out/console.log"; then
	err "guest did not finish its run (qemu rc $qrc)"
	echo "HANG: guest did not finish (qemu rc $qrc)" >>"$out/splats.txt"
	status=3
fi
if [ "$status" = 0 ] && [ -s "$out/splats.txt" ]; then
	status=2
fi
if [ -s "$out/splats.txt" ]; then
	err "kernel splat(s) or hang, see $out/console.log:"
	head -20 "$out/splats.txt" >&2
fi
if [ "$status" = 0 ] && [ "$(cat "$out/rc" 2>/dev/null)" != 0 ]; then
	status=1
fi
log "guest run finished: status $status, $(cat "$out/wall-seconds") s wall, boot $(cat "$out/boot-seconds" 2>/dev/null || echo ?) s"
exit "$status"
