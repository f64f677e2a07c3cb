#!/bin/bash
# make deb: the packages cellwall and cellwall-dkms, built by Debian's own
# tooling in a copy of the tree (build/deb/cellwall-VERSION), into build/deb/.
# The copy holds what the next commit would: tracked and new files, not
# ignored ones (build products). dpkg-buildpackage's output goes to
# build/deb/build.log, shown when it fails.
set -euo pipefail

version=${CW_VERSION:?CW_VERSION is not set (make deb sets it)}
cd "$(dirname "$0")/.."
out=build/deb
src=$out/cellwall-$version
paths=(Makefile README.md debian dkms kmod man rules userland)

rm -rf "$out"
mkdir -p "$src"
git ls-files -z -co --exclude-standard -- "${paths[@]}" |
	while IFS= read -r -d '' f; do if [[ -e $f ]]; then printf '%s\0' "$f"; fi; done |
	xargs -0 cp --parents -t "$src"

# The version is the Makefile's, so the changelog is written here, dated
# with the commit (dpkg derives SOURCE_DATE_EPOCH from it).
commit=$(git rev-parse --short HEAD)
[[ -z $(git status --porcelain -- "${paths[@]}") ]] || commit+=" with uncommitted changes"
cat >"$src/debian/changelog" <<END
cellwall ($version) bookworm; urgency=medium

  * Built from commit $commit.

 -- $(sed -n 's/^Maintainer: //p' debian/control)  $(date -R -d "@$(git log -1 --format=%ct)")
END

(cd "$src" && dpkg-buildpackage -b -uc -us -jauto) >"$out/build.log" 2>&1 || {
	cat "$out/build.log"
	echo "deb-build: dpkg-buildpackage failed, log in $out/build.log" >&2
	exit 1
}
ls "$out"/*.deb
