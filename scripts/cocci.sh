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
# What to check: kernel/events and arch/x86/events whole (the core and the
# driver the rewrite is written against), and every other C file the series
# changes after the mark, copied into one directory per tree (cocci-files,
# one coccicheck run for all of them: a run per file or per directory,
# lib/ or drivers/perf/ whole, would take hours here). That directory is
# outside any git repository: in one, spatch lists files with git grep,
# which does not see untracked files. spatch reads headers only through
# the C files that include them.
mapfile -t files < <(git -C "$TREE" diff --name-only baseline..HEAD -- '*.c' |
	grep -v '^kernel/events/\|^arch/x86/events/' || true)
if [ -n "${COCCI_DIRS:-}" ]; then
	read -r -a dirs <<<"$COCCI_DIRS"
else
	dirs=()
	for d in kernel/events arch/x86/events; do
		git -C "$TREE" diff --quiet baseline..HEAD -- "$d" || dirs+=("$d")
	done
	[ "${#files[@]}" -gt 0 ] && dirs+=(cocci-files)
fi
[ "${#dirs[@]}" -gt 0 ] || die "no C files changed after the baseline mark"
printf '%s\n' "${files[@]}" >"$out/files.txt"

# The baseline's sources: a worktree at the tree's "baseline" tag.
base=$BUILD/linux-cocci
worktree_at "$base" baseline

# The checks: every semantic patch of the tree but those with OCaml script
# rules (Debian's spatch runs them only with an OCaml compiler installed).
mapfile -t checks < <(cd "$TREE" && find scripts/coccinelle -name '*.cocci' | sort)
skip=()
for c in "${checks[@]}"; do
	grep -q 'script:ocaml\|initialize:ocaml\|finalize:ocaml' "$TREE/$c" && skip+=("$c")
done
printf '%s\n' "${skip[@]}" >"$out/skipped.txt"

t0=$(date +%s)
# Reports without line numbers: "file:line:col-col: msg" -> "file: msg".
# $tmp/<tree>/<path with / as _>: copies of the files of $files.
tmp=$(mktemp -d /tmp/perfctx-cocci.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
copy_files() {
	local src=$1 name=$2 f
	mkdir -p "$tmp/$name"
	for f in "${files[@]}"; do
		[ -f "$src/$f" ] && cp "$src/$f" "$tmp/$name/${f//\//_}"
	done
}

run() {
	local src=$1 name=$2 d c m
	copy_files "$src" "$name"
	for d in "${dirs[@]}"; do
		log "coccicheck ($name): $d"
		m=$d
		[ "$d" = cocci-files ] && m=$tmp/$name
		for c in "${checks[@]}"; do
			grep -qxF "$c" "$out/skipped.txt" && continue
			make -C "$src" -s coccicheck COCCI="$c" MODE=report M="$m" J="$(nproc)" \
				>>"$out/$name.raw" 2>>"$out/$name.log" ||
				die "coccicheck $c failed in $d ($name): $out/$name.log"
		done
	done
	grep -E '^[^ ]+:[0-9]+:' "$out/$name.raw" |
		sed -E "s|^$tmp/$name/|cocci-files/|" |
		sed -E 's|^\./||; s|^([^:]+):[0-9]+:[0-9]+(-[0-9]+)?:|\1:|; s|^([^:]+):[0-9]+:|\1:|' |
		sed -E "s/line [0-9]+/line N/g" | sort >"$out/$name.txt" || true
}
run "$base" baseline
run "$TREE" patched
comm -13 "$out/baseline.txt" "$out/patched.txt" >"$out/new.txt"
n_base=$(wc -l <"$out/baseline.txt")
n_new=$(wc -l <"$out/new.txt")
log "coccicheck: ${#dirs[@]} directories, $((${#checks[@]} - ${#skip[@]})) checks (${#skip[@]} with OCaml rules skipped), $n_base reports on the baseline, $n_new new on the patched tree ($(($(date +%s) - t0)) s)"
if [ "$n_new" -gt 0 ]; then
	cat "$out/new.txt" >&2
	exit 1
fi
