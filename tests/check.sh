#!/bin/bash
# make check: host unit tests, a DKMS build, and the guest suite in QEMU.
# Every result is a TAP line; the last line counts them.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
: "${KVER:?KVER is not set}" "${CW_VERSION:?CW_VERSION is not set}"
export CW_VERSION

# shellcheck source=tests/tap.sh
. tests/tap.sh
trap 'rm -f "$tap_log"' EXIT

echo "# ==== host unit tests"
for test in build/tests/unit/*_test; do
	[[ -x $test ]] || continue
	echo "# ---- $(basename "$test")"
	run "$test" >/dev/null || grep -q '^not ok' "$tap_log" ||
		result 1 "$(basename "$test") exited with an error"
done

echo "# ==== dkms"
run tests/dkms-build.sh "$KVER"
result $? "dkms builds the module for $KVER"

echo "# ==== guest suite on $KVER"
guest_suite -k "$KVER" -t 1500

finish
