#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Renders every man page of man/ as man(1) would on an 80-column terminal,
# with all of groff's warnings on, and fails if any page warns. Prints TAP:
# one line per page, the warnings after it as "# " lines. Run from the
# repository root: tests/man-lint.sh [PAGE...]
#
# Also runs groff -man -ww -z directly (man-db may leave some preprocessor
# or option out).

set -euo pipefail

if ! command -v man >/dev/null || ! command -v groff >/dev/null; then
	echo "Bail out! man and groff are needed (Debian: man-db, groff)"
	exit 1
fi

if (($#)); then
	pages=("$@")
else
	shopt -s nullglob
	pages=(man/*.[1-8])
	shopt -u nullglob
fi
if ((!${#pages[@]})); then
	echo "Bail out! no man pages under man/ (run from the repository root)"
	exit 1
fi

# Everything a page makes either formatter say on stderr; the exit status of a formatter that failed is news too.
warnings_of() {
	local page=$1 out status

	status=0
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -E UTF-8 -l -Tutf8 "$page" \
	      2>&1 >/dev/null) || status=$?
	[[ -z $out ]] || printf 'man: %s\n' "$out"
	((!status)) || printf 'man: exit status %d\n' "$status"

	status=0
	out=$(LC_ALL=C.UTF-8 groff -man -ww -z "$page" 2>&1) || status=$?
	[[ -z $out ]] || printf 'groff: %s\n' "$out"
	((!status)) || printf 'groff: exit status %d\n' "$status"

	return 0
}

echo "1..${#pages[@]}"
failed=0
for page in "${pages[@]}"; do
	if [[ ! -f $page ]]; then
		echo "not ok - $page renders without warnings"
		echo "# $page: no such file"
		failed=$((failed + 1))
		continue
	fi
	found=$(warnings_of "$page")
	if [[ -z $found ]]; then
		echo "ok - $page renders without warnings"
	else
		echo "not ok - $page renders without warnings"
		sed 's/^/# /' <<<"$found"
		failed=$((failed + 1))
	fi
done

if ((failed)); then
	echo "# $failed of ${#pages[@]} pages warned"
	exit 1
fi
