#!/usr/bin/env bash
# Fetch and verify the pinned base: linux_6.1.176.orig.tar.xz from Debian's
# source archive. apt's source retrieval runs on a private state directory
# whose deb-src entries are derived from the machine's own apt sources, so the
# system's apt configuration is left untouched and no host name is kept here.
#
# Prints the path of the verified tarball on stdout.
# BASE_TARBALL=/path overrides the download (the checksum is still verified).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

want_sha=$BASE_SHA256
name=linux_${BASE_VERSION}.orig.tar.xz
cache=$CACHE

verify() {
	local got
	got=$(sha256sum "$1" | awk '{print $1}')
	[ "$got" = "$want_sha" ] || { err "checksum mismatch for $1: $got"; return 1; }
}

if [ -n "${BASE_TARBALL:-}" ]; then
	verify "$BASE_TARBALL"
	echo "$BASE_TARBALL"
	exit 0
fi

mkdir -p "$cache"
if [ -f "$cache/$name" ] && verify "$cache/$name"; then
	echo "$cache/$name"
	exit 0
fi

apt_dir=$cache/apt
rm -rf "$apt_dir"
mkdir -p "$apt_dir/etc/sources.list.d" "$apt_dir/etc/preferences.d" \
	"$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial"
: >"$apt_dir/etc/sources.list"

# Derive deb-src entries from the system's sources (deb822 and one-line style).
n=0
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	sed -e 's/^Types:.*/Types: deb-src/' "$f" >"$apt_dir/etc/sources.list.d/$(basename "$f")"
	n=$((n + 1))
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	sed -n -e 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" \
		>"$apt_dir/etc/sources.list.d/$(basename "$f" .list)-src.list"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || die "no apt sources found to derive deb-src entries from"

apt_opts=(
	-o "Dir::Etc::SourceList=$apt_dir/etc/sources.list"
	-o "Dir::Etc::SourceParts=$apt_dir/etc/sources.list.d"
	-o "Dir::Etc::Preferences=$apt_dir/etc/preferences"
	-o "Dir::Etc::PreferencesParts=$apt_dir/etc/preferences.d"
	-o "Dir::State=$apt_dir/state"
	-o "Dir::State::status=/var/lib/dpkg/status"
	-o "Dir::Cache=$apt_dir/cache"
	-o "APT::Sandbox::User=root"
	-o "Acquire::Languages=none"
)
log "fetching $name through apt source retrieval (private state in $apt_dir)"
# A third-party source that fails to update does not matter: the checksum
# decides whether what arrives is the base.
apt-get "${apt_opts[@]}" -qq update >&2 || log "apt-get update reported errors; trying anyway"
(cd "$cache" && apt-get "${apt_opts[@]}" source --download-only --tar-only \
	"linux=${BASE_VERSION}-1" >&2) || true
# --tar-only may still leave the .dsc and debian tarball: keep only the orig.
rm -f "$cache"/linux_"${BASE_VERSION}"-*.dsc "$cache"/linux_"${BASE_VERSION}"-*.debian.tar.xz
[ -f "$cache/$name" ] || die "apt did not deliver $name"
verify "$cache/$name"
echo "$cache/$name"
