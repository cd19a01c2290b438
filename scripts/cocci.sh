#!/usr/bin/env bash
# make cocci: the kernel's coccinelle checks (Debian's coccinelle),
# `make coccicheck MODE=report` on every directory with C files the series
# changes after the baseline mark, on the baseline tree and on the patched
# tree. A report the baseline does not have (file and message; line
# numbers ignored) fails. Output in results/runs/cocci/.
#   COCCI_DIRS="kernel/events ..." overrides the directories.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/deps.sh"
"$TOP/scripts/mktree.sh" --if-missing
command -v spatch >/dev/null || die "spatch missing (Debian package coccinelle)"

out=$RESULTS/runs/cocci
rm -rf "$out"
mkdir -p "$out"
if [ -n "${COCCI_DIRS:-}" ]; then
	read -r -a dirs <<<"$COCCI_DIRS"
else
	mapfile -t dirs < <(git -C "$TREE" diff --name-only baseline..HEAD -- '*.c' |
		xargs -r -n1 dirname | sort -u)
fi
[ "${#dirs[@]}" -gt 0 ] || die "no C files changed after the baseline mark"

# The baseline's sources: a worktree at the tree's "baseline" tag.
base=$BUILD/linux-cocci
if ! git -C "$base" rev-parse -q --verify HEAD >/dev/null 2>&1; then
	rm -rf "$base"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$base" baseline
fi
git -C "$base" checkout -q --detach baseline

t0=$(date +%s)
# Reports without line numbers: "file:line:col-col: msg" -> "file: msg".
run() {
	local src=$1 name=$2 d
	for d in "${dirs[@]}"; do
		log "coccicheck ($name): $d"
		make -C "$src" -s coccicheck MODE=report M="$d" J="$(nproc)" \
			>>"$out/$name.raw" 2>>"$out/$name.log" || die "coccicheck failed in $d ($name): $out/$name.log"
	done
	grep -E '^[^ ]+:[0-9]+:' "$out/$name.raw" |
		sed -E 's|^\./||; s|^([^:]+):[0-9]+:[0-9]+(-[0-9]+)?:|\1:|; s|^([^:]+):[0-9]+:|\1:|' |
		sed -E 's/line [0-9]+/line N/g' | sort -u >"$out/$name.txt" || true
}
run "$base" baseline
run "$TREE" patched
comm -13 "$out/baseline.txt" "$out/patched.txt" >"$out/new.txt"
n_base=$(wc -l <"$out/baseline.txt")
n_new=$(wc -l <"$out/new.txt")
log "coccicheck: ${#dirs[@]} directories, $n_base reports on the baseline, $n_new new on the patched tree ($(($(date +%s) - t0)) s)"
if [ "$n_new" -gt 0 ]; then
	cat "$out/new.txt" >&2
	exit 1
fi
