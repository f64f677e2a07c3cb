#!/bin/bash
# Builds the module through Debian's dkms, as the cellwall-dkms package
# does, in a private dkms tree: the host's /var/lib/dkms stays untouched.
# A warning fails the build (kbuild's W=1 and -Werror, from the
# environment). With OUT, the module built is copied there.
set -euo pipefail

kver=${1:?usage: dkms-build.sh <kernel release> [OUT]}
out=${2:-}
export KBUILD_EXTRA_WARN=1 KCFLAGS=-Werror
cd "$(dirname "$0")/.."
src=$(echo build/dkms/cellwall-*)
version=${src#build/dkms/cellwall-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/source" "$tmp/tree"
cp -r "$src" "$tmp/source/"
dkms build -q -m cellwall -v "$version" -k "$kver" \
	--sourcetree "$tmp/source" --dkmstree "$tmp/tree" >"$tmp/log" 2>&1 || {
	cat "$tmp/log" "$tmp/tree/cellwall/$version/build/make.log" 2>/dev/null
	exit 1
}
ko=$(find "$tmp/tree/cellwall/$version/$kver" -name 'cellwall.ko*')
[[ -n $ko ]] || { echo "dkms built no cellwall.ko" >&2; exit 1; }
got=$(modinfo -F version "$ko")
[[ $got == "$version" ]] || { echo "dkms built version '$got', expected '$version'" >&2; exit 1; }
if [[ -n $out ]]; then
	mkdir -p "$(dirname "$out")"
	# Compressed as the kernel's own modules are (6.12: xz); the guest
	# tests take it as a plain .ko.
	case $ko in
	*.ko) cp "$ko" "$out" ;;
	*.ko.xz) xz -dc "$ko" >"$out" ;;
	*) echo "dkms built $ko, compressed in a way this script does not know" >&2; exit 1 ;;
	esac
fi
