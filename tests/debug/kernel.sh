#!/bin/bash
# Builds the debug guest kernel once per machine and prints its tree's path.
#
# The tree comes from Debian's linux-source-6.1, configured by
# x86_64_defconfig plus tests/debug/kernel.config, and is cached outside the
# source tree, keyed by the source package's version and the fragment.
# The module builds against the tree (M=); the runner boots its bzImage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/kernel.config
tarball=/usr/src/linux-source-6.1.tar.xz

die() {
	echo "debug-kernel: $*" >&2
	exit 1
}

[[ -f $tarball ]] || die "$tarball is missing; install linux-source-6.1 (make deps)"
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$({ echo "$version"; cat "$fragment"; } | sha256sum | cut -c1-16)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/cellwall/kernel
tree=$cache/linux-$version-$key

if [[ -f $tree/.cellwall-done ]]; then
	echo "$tree"
	exit 0
fi

mkdir -p "$cache"
# One build at a time; a second caller waits and then finds the result.
exec 9>"$cache/.lock"
flock 9
if [[ -f $tree/.cellwall-done ]]; then
	echo "$tree"
	exit 0
fi

start=$SECONDS
work=$tree.tmp
# One tree at a time: older keys are several GB each and never used again.
rm -rf "$cache"/linux-* "$cache"/build-*.log
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
echo "debug-kernel: building linux-source $version with $(basename "$fragment") in $tree (about 15 minutes, once)" >&2
log=$cache/build-$key.log
{
	tar -xJf "$tarball" -C "$work" --strip-components=1
	make -C "$work" -s x86_64_defconfig
	"$work/scripts/kconfig/merge_config.sh" -m -O "$work" "$work/.config" "$fragment"
	make -C "$work" -s olddefconfig
} >"$log" 2>&1 || { tail -n 50 "$log" >&2; die "configuring failed (log: $log)"; }

# Kconfig drops what it cannot satisfy without a word: check every request.
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=n) want="# ${line%=n} is not set" ;;
	CONFIG_*) want=$line ;;
	*) continue ;;
	esac
	if ! grep -qxF "$want" "$work/.config"; then
		echo "debug-kernel: $line did not stick: $(grep "^${line%%=*}=\|^# ${line%%=*} " "$work/.config" || echo unset)" >&2
		missing=1
	fi
done <"$fragment"
((missing == 0)) || die "the configuration lacks options the fragment asks for"

make -C "$work" -j"$(nproc)" bzImage modules >>"$log" 2>&1 ||
	{ tail -n 50 "$log" >&2; die "the build failed (log: $log)"; }
touch "$work/.cellwall-done"
mv "$work" "$tree"
trap - EXIT
echo "debug-kernel: built in $((SECONDS - start)) s" >&2
echo "$tree"
