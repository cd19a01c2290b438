#!/usr/bin/env bash
# Print every kernel splat found in a console log (with its line number);
# exit 1 if there is any. vm-run.sh applies it to every run.
# Also reports kmemleak switching itself off (it would stop finding leaks).
[ $# -gt 0 ] || { echo "usage: splats.sh <log>..." >&2; exit 2; }
found=$(grep -n -a -E \
	-e '(^|[] ])(BUG|WARNING):' \
	-e 'kernel BUG at' \
	-e '(Oops|general protection fault)' \
	-e 'Kernel panic' \
	-e 'UBSAN:' \
	-e 'possible (circular|recursive) locking' \
	-e 'inconsistent lock state' \
	-e 'suspicious RCU usage' \
	-e 'sleeping function called from invalid context' \
	-e 'scheduling while atomic' \
	-e 'list_(add|del) corruption' \
	-e 'refcount_t: ' \
	-e 'unreferenced object 0x' \
	-e 'blocked for more than [0-9]+ seconds' \
	-e 'rcu: INFO: .*stall' \
	-e 'kmemleak: .*(disabled|[Pp]ool empty|[Cc]annot allocate)' \
	-e 'soft lockup' \
	"$@" | head -200)
[ -z "$found" ] && exit 0
printf '%s\n' "$found"
exit 1
