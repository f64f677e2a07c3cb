#!/bin/bash
# make check: host unit tests, a DKMS build, and the guest suite in QEMU.
# Every result is a TAP line; the last line counts them.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
: "${KVER:?KVER is not set}" "${CW_VERSION:?CW_VERSION is not set}"
export CW_VERSION

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs a command, showing its output and keeping it for the count.
run() {
	"$@" 2>&1 | tee -a "$log"
	return "${PIPESTATUS[0]}"
}

result() { # result <status> <description>
	if (($1 == 0)); then
		echo "ok - $2" | tee -a "$log"
	else
		echo "not ok - $2" | tee -a "$log"
	fi
}

echo "# ==== host unit tests"
for test in build/tests/unit/*_test; do
	[[ -x $test ]] || continue
	echo "# ---- $(basename "$test")"
	run "$test" >/dev/null || grep -q '^not ok' "$log" ||
		result 1 "$(basename "$test") exited with an error"
done

echo "# ==== dkms"
run tests/dkms-build.sh "$KVER"
result $? "dkms builds the module for $KVER"

echo "# ==== guest suite on $KVER"
before=$(grep -Ec '^(not )?ok ' "$log")
run tests/vm/run.sh -k "$KVER" -t 900 -- tests/kselftests/run.sh
rc=$?
# A suite that stopped before its tests ran has failed, whatever it said.
if (($(grep -Ec '^(not )?ok ' "$log") == before)); then
	result 1 "guest suite ran no test"
fi
case $rc in
0 | 1) result 0 "guest kernel log clean, no crash, no timeout" ;;
2) result 1 "guest kernel crashed or gave no exit status" ;;
3) result 1 "guest kernel log reports a bug (see above)" ;;
124) result 1 "guest suite timed out" ;;
*) result 1 "guest runner failed" ;;
esac

passed=$(grep -Ec '^ok [0-9]+ |^ok - ' "$log")
skipped=$(grep -E '^ok [0-9]+ |^ok - ' "$log" | grep -c '# SKIP')
failed=$(grep -Ec '^not ok' "$log")
passed=$((passed - skipped))
summary="$passed passed, $failed failed"
((skipped)) && summary+=", $skipped skipped"
echo "$summary"
((failed == 0 && passed > 0))
