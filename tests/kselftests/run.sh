#!/bin/bash
# Runs the guest suite: every kselftest binary, as root, inside the VM.
# Prints TAP; exits non-zero when any test failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
export CW_KO=${CW_KO:-$top/kmod/cellwall.ko}	# make check-debug passes its own
export CW_CLI=$top/build/cellwall
# The version the tests expect the module to report.
export CW_VERSION=$(modinfo -F version "$CW_KO" 2>/dev/null)

if [[ ! -f $CW_KO || ! -x $CW_CLI ]]; then
	echo "not ok - guest suite: build first ($CW_KO, $CW_CLI)"
	exit 1
fi

failed=0
for test in "$top"/build/tests/kselftests/*_test; do
	name=$(basename "$test")
	echo "# ---- $name"
	log=$(mktemp)
	"$test" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# A harness that died before printing a result is a failure too.
	if ((rc)) && ! grep -q '^not ok' "$log"; then
		echo "not ok - $name exited with status $rc"
	fi
	((rc)) && failed=1
	rm -f "$log"
	# Every test leaves the module unloaded; one that did not is a bug.
	if [[ -d /sys/module/cellwall ]]; then
		echo "not ok - $name left the module loaded"
		rmmod cellwall
		failed=1
	fi
	# Debug kernels: look for leaks now that the module is gone (the VM
	# runner scans again at the end and fails the run on any report).
	if [[ -e /sys/kernel/debug/kmemleak ]]; then
		echo scan >/sys/kernel/debug/kmemleak
	fi
done
exit $failed
