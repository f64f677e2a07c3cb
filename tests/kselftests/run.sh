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

# CW_SKIP_TESTS=a_test,b_test: files this run leaves out, each reported
# as a skip (make check-debug: those whose time goes to servers, not to
# the module, under emulation). CW_TESTS=a_test,b_test: only these run
# (make check's smoke subset on a second kernel); the others are not named.
IFS=, read -ra skip <<<"${CW_SKIP_TESTS:-}"
IFS=, read -ra only <<<"${CW_TESTS:-}"

failed=0
for test in "$top"/build/tests/kselftests/*_test; do
	name=$(basename "$test")
	((${#only[@]})) && [[ " ${only[*]} " != *" $name "* ]] && continue
	echo "# ---- $name"
	if [[ " ${skip[*]} " == *" $name "* ]]; then
		echo "ok - $name # SKIP left out of this run (CW_SKIP_TESTS)"
		continue
	fi
	log=$(mktemp)
	start=$SECONDS
	"$test" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	echo "# $name took $((SECONDS - start)) s"
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
