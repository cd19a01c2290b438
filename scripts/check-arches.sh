#!/usr/bin/env bash
# make check-arches: the compiler finds every user of what the series changes.
#   check-arches.sh [--at <commit>] [arch...]   (arches: x86_64 arm64 arm ppc64le s390x)
# For each architecture, with its Debian cross compiler (x86_64: the native
# gcc): its defconfig plus configs/arches/{common,<arch>}.config plus every
# option of the drivers/perf, drivers/hwtracing and arch/<arch>/events
# Kconfig files; then, with W=1, kernel/events/ and every C file of
# "arches.py files" (the files the series changes and every file that uses
# a name it removed or changed, found with git grep) that this
# configuration builds. The baseline (tag "baseline", build/linux-baseline)
# and the patched tree (build/linux, or <commit> with --at, for make bisect)
# are built alike; a warning or error the baseline does not have fails.
# Table in the output and in results/arches.md (not with --at).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

at=""
if [ "${1:-}" = --at ]; then
	at=$2
	shift 2
fi
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 arm64 arm ppc64le s390x)

"$TOP/scripts/deps.sh"
"$TOP/scripts/mktree.sh" --if-missing >&2
patched=$TREE
if [ -n "$at" ]; then
	patched=$BUILD/linux-at
	worktree_at "$patched" "$(git -C "$TREE" rev-parse --verify "$at^{commit}")"
fi
baseline=$BUILD/linux-baseline
worktree_at "$baseline" baseline

kbuild_env
exec 9>"$BUILD/.build.lock"
flock 9

files=$(python3 "$TOP/scripts/arches.py" files "$patched" "$baseline")
out=$BUILD/arches
mkdir -p "$out"
md=$out/table.md
{
	echo "| arch | files | baseline warnings | baseline errors | patched warnings | patched errors | new | gone | verdict |"
	echo "|---|---|---|---|---|---|---|---|---|"
} >"$md"

# arch_params <arch>: ARCH, SRCARCH, defconfig, CROSS_COMPILE.
arch_params() {
	case "$1" in
	x86_64) echo "x86_64 x86 x86_64_defconfig -" ;;
	arm64) echo "arm64 arm64 defconfig aarch64-linux-gnu-" ;;
	arm) echo "arm arm multi_v7_defconfig arm-linux-gnueabihf-" ;;
	ppc64le) echo "powerpc powerpc ppc64le_defconfig powerpc64le-linux-gnu-" ;;
	s390x) echo "s390 s390 defconfig s390x-linux-gnu-" ;;
	*) die "unknown architecture $1 (x86_64 arm64 arm ppc64le s390x)" ;;
	esac
}

# configure <src> <obj> <arch> <srcarch> <defconfig> <mk...>: the
# configuration, made again when its inputs change.
configure() {
	local src=$1 obj=$2 arch=$3 srcarch=$4 def=$5 frag kc syms stamp line
	shift 5
	frag=("$TOP/configs/arches/common.config" "$TOP/configs/arches/$arch.config")
	kc=$(cd "$src" && ls drivers/perf/Kconfig drivers/perf/*/Kconfig drivers/hwtracing/Kconfig \
		drivers/hwtracing/*/Kconfig "arch/$srcarch/events/Kconfig" 2>/dev/null || true)
	syms=$(cd "$src" && sed -n 's/^\(menu\)\?config \([A-Za-z0-9_]*\).*/\2/p' $kc | sort -u)
	stamp=$({ cat "${frag[@]}"; echo "$def $syms"; } | sha256sum | awk '{print $1}')
	[ -f "$obj/.config" ] && [ "$(cat "$obj/.perfctx-stamp" 2>/dev/null)" = "$stamp" ] && return 0
	"$@" -s "$def" >/dev/null
	cat "${frag[@]}" | while read -r line; do
		case "$line" in
		CONFIG_*=y) echo "-e ${line%%=*}" ;;
		CONFIG_*=m) echo "-m ${line%%=*}" ;;
		"# CONFIG_"*" is not set") line=${line#\# }; echo "-d ${line%% *}" ;;
		esac
	done | xargs "$src/scripts/config" --file "$obj/.config"
	for line in $syms; do echo "-e $line"; done | xargs "$src/scripts/config" --file "$obj/.config"
	"$@" -s olddefconfig >/dev/null
	echo "$stamp" >"$obj/.perfctx-stamp"
	echo "$syms" >"$obj/.perfctx-pmu-options"
}

# build <src> <obj> <log> <targets...> <-- mk...>
build_one() {
	local src=$1 obj=$2 log=$3 t
	shift 3
	local -a targets=()
	while [ "$1" != -- ]; do targets+=("$1"); shift; done
	shift
	"$@" -s prepare >"$log.prepare" 2>&1 || { cat "$log.prepare" >&2; die "make prepare failed in $obj"; }
	# Objects are deleted first so that every run prints every warning
	# (ccache replays them).
	for t in "${targets[@]}"; do
		case "$t" in
		*/) rm -f "$obj/$t"*.o ;;
		*) rm -f "$obj/$t" ;;
		esac
	done
	"$@" -k W=1 "${targets[@]}" >"$log" 2>&1 || true
}

rc=0
for arch in "${arches[@]}"; do
	read -r karch srcarch def cross <<<"$(arch_params "$arch")"
	[ "$cross" = - ] && cross=""
	command -v "${cross}gcc" >/dev/null || die "no ${cross}gcc (scripts/deps.sh installs it)"
	t0=$(date +%s)
	declare -A objs=()
	for v in baseline patched; do
		src=$patched
		[ "$v" = baseline ] && src=$baseline
		obj=$BUILD/obj/arches/$arch-$v
		[ -n "$at" ] && [ "$v" = patched ] && obj=$BUILD/obj/arches/$arch-at
		mkdir -p "$obj"
		mk=(make -C "$src" O="$obj" ARCH="$karch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" -j"$(nproc)")
		configure "$src" "$obj" "$arch" "$srcarch" "$def" "${mk[@]}"
		objs[$v]=$obj
	done
	# The files this configuration builds (the same list for both trees).
	# shellcheck disable=SC2086
	list=$(python3 "$TOP/scripts/arches.py" enabled "$patched" "${objs[patched]}" "$srcarch" $files)
	echo "$list" >"$out/$arch.files"
	targets=(kernel/events/)
	for f in $list; do
		case "$f" in kernel/events/*) ;; *) targets+=("${f%.c}.o") ;; esac
	done
	for v in baseline patched; do
		src=$patched
		[ "$v" = baseline ] && src=$baseline
		mk=(make -C "$src" O="${objs[$v]}" ARCH="$karch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" -j"$(nproc)")
		build_one "$src" "${objs[$v]}" "$out/$arch-$v.log" "${targets[@]}" -- "${mk[@]}"
	done
	n=$(($(echo "$list" | grep -c . || true) + $(ls "$patched"/kernel/events/*.c | wc -l)))
	nopt=$(wc -w <"${objs[patched]}/.perfctx-pmu-options")
	on=0
	for s in $(cat "${objs[patched]}/.perfctx-pmu-options"); do
		grep -Eq "^CONFIG_$s=(y|m)" "${objs[patched]}/.config" && on=$((on + 1))
	done
	log "$arch: built $n files (PMU options on: $on of $nopt) in $(($(date +%s) - t0)) s"
	python3 "$TOP/scripts/arches.py" compare "$arch" "$out/$arch-baseline.log" "$out/$arch-patched.log" \
		"$n" "$md" || rc=1
done
if [ -z "$at" ] && [ ${#arches[@]} = 5 ]; then
	{
		echo "# make check-arches"
		echo
		echo "W=1 builds of kernel/events/ and of every C file that uses a name the series removed or"
		echo "changed (scripts/arches.py files), on the baseline and the patched tree, per architecture"
		echo "(defconfig + configs/arches/ + every drivers/perf, drivers/hwtracing and arch events option)."
		echo "Messages are compared per file, without line numbers. Generated by scripts/check-arches.sh."
		echo
		cat "$md"
		echo
		for arch in "${arches[@]}"; do
			echo "- $arch: $(tr '\n' ' ' <"$out/$arch.files")"
		done
	} >"$RESULTS/arches.md"
fi
cat "$md"
exit $rc
