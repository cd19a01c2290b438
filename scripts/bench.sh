#!/usr/bin/env bash
# make bench: the bench kernels (no debug checks) of baseline and patched,
# booted in turn under -icount with one vCPU (guest time counts guest
# instructions), BENCH_BOOTS times each (default 2: a scenario's noise
# floor is one baseline boot against the other), each running
# scripts/guest/bench.sh. Writes build/bench/all.tsv, results/bench.md and
# results/bench.png (scripts/bench.py). BENCH_MODE=short: the quick run of
# make check, for trying the harness.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
boots=${BENCH_BOOTS:-2}
mode=${BENCH_MODE:-full}
out=$BUILD/bench
mkdir -p "$out"

objb=$("$TOP/scripts/build-kernel.sh" bench baseline)
objp=$("$TOP/scripts/build-kernel.sh" bench patched)
gcc -O2 -Wall -Wextra -o "$out/perfbench" "$TOP/scripts/bench/perfbench.c"

: >"$out/all.tsv.new"
for ((b = 1; b <= boots; b++)); do
	for v in baseline patched; do
		obj=$objp
		[ "$v" = baseline ] && obj=$objb
		run=$out/$v-$b
		"$TOP/scripts/vm-run.sh" --icount --cpus 1 --mem 2048 --timeout "${BENCH_TIMEOUT:-3600}" \
			"$obj" "$run" "$TOP/scripts/guest/bench.sh" "$mode" "$out/perfbench" ||
			die "bench guest $v boot $b failed (see $run)"
		sed "s/^/$v\t$b\t/" "$run/bench.tsv" >>"$out/all.tsv.new"
	done
done
mv "$out/all.tsv.new" "$out/all.tsv"
"$TOP/scripts/bench.py" "$out/all.tsv" "$TOP/results/bench.md" "$TOP/results/bench.png"
