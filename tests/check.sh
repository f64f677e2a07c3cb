#!/bin/bash
# make check: host unit tests, the man pages, the guest suite in QEMU on
# the kernel series Debian 12 offers: all of it on 6.1 (built by make with
# W=1 -Werror), a subset on 6.12 (built by DKMS, warnings failing it too).
# make check-kernels (CW_ALL_KERNELS=1): DKMS builds for both, the whole
# suite on both, and the packages' install test (tests/install-test.sh) on
# both.
# Every result is a TAP line; the last line counts them.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
: "${KVER:?KVER is not set}" "${KVER_612:?KVER_612 is not set}" "${CW_VERSION:?CW_VERSION is not set}"
export CW_VERSION

# The subset on 6.12: loading and unloading in every netns, the hooks on
# real traffic, hostile netlink input, bad input, groups.
readonly SUBSET_612=module_test,traffic_test,errors_test,hostile_test,group_test

# shellcheck source=tests/tap.sh
. tests/tap.sh
trap 'rm -f "$tap_log"' EXIT

host_tests() {
	echo "# ==== host unit tests"
	for test in build/tests/unit/*_test; do
		[[ -x $test ]] || continue
		echo "# ---- $(basename "$test")"
		run "$test" >/dev/null || grep -q '^not ok' "$tap_log" ||
			result 1 "$(basename "$test") exited with an error"
	done
	echo "# ==== man pages"
	run tests/man-lint.sh >/dev/null
}

# dkms_build RELEASE [OUT]: the module built by DKMS, warnings failing it;
# copied to OUT.
dkms_build() {
	echo "# ==== dkms on $1"
	run tests/dkms-build.sh "$@"
	result $? "dkms builds the module for $1 without warnings (W=1, -Werror)"
}

# install_test RELEASE: the packages installed, used and purged in a guest.
install_test() {
	echo "# ==== packages on $1"
	run tests/vm/run.sh -k "$1" -t 3600 -- tests/install-test.sh build/deb
	# 1: a check failed, and said so in its own TAP line.
	(($? <= 1))
	result $? "install test on $1: no crash, no report, no timeout"
}

ko_612=$PWD/build/kmod-$KVER_612/cellwall.ko

# guest_suite_612 TIMEOUT [VAR=VALUE...]: the suite on 6.12 with the DKMS
# build's module, both vCPUs in one host thread (tests/vm/README.md).
guest_suite_612() {
	CW_VM_TCG_THREAD=single CW_VM_ENV="CW_KO=$ko_612${2:+ ${*:2}}" \
		guest_suite -k "$KVER_612" -t "$1"
}

host_tests

if [[ -n ${CW_ALL_KERNELS:-} ]]; then
	dkms_build "$KVER"
	dkms_build "$KVER_612" "$ko_612"
	for kver in "$KVER" "$KVER_612"; do
		echo "# ==== guest suite on $kver"
		if [[ $kver == "$KVER" ]]; then
			guest_suite -k "$kver" -t 2400
		else
			guest_suite_612 3600
		fi
		install_test "$kver"
	done
	finish
fi

# make check: the DKMS build for 6.12 and the subset with its module (in a
# guest of its own) run beside the 6.1 suite, which mostly waits (on servers,
# timeouts, sleeps). But not during its first test, audit_test: its
# short-lived processes are told apart only while they or their parents
# live, and a second guest slowed cellwalld past that. Their results are
# shown after the suite's.
subset() {
	echo "# ==== guest suite subset on $KVER_612: ${SUBSET_612//,/ }"
	guest_suite_612 900 "CW_TESTS=$SUBSET_612"
}
# after_first_test LOG: returns once the suite in LOG is past its first
# test, or has ended.
after_first_test() {
	while (($(grep -c '^# ---- ' "$1") < 2)) && ! grep -q '^\(not \)\?ok - guest' "$1"; do
		sleep 1
	done
}
suite_log=$(mktemp)
subset_log=$(mktemp)
subset_tap=$(mktemp)
trap 'rm -f "$tap_log" "$suite_log" "$subset_log" "$subset_tap"' EXIT
(tap_log=$subset_tap && after_first_test "$suite_log" && { dkms_build "$KVER_612" "$ko_612" && subset; } >"$subset_log" 2>&1) &
subset_pid=$!

echo "# ==== guest suite on $KVER"
guest_suite -k "$KVER" -t 1500 | tee "$suite_log"

wait "$subset_pid"
cat "$subset_log"
cat "$subset_tap" >>"$tap_log"
finish
