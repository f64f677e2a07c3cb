# shellcheck shell=bash
# Sourced by check.sh and check-debug.sh: results as TAP lines, kept in
# $tap_log and counted at the end.

tap_log=$(mktemp)

# run CMD...: runs a command, showing its output and keeping it for the count.
run() {
	"$@" 2>&1 | tee -a "$tap_log"
	return "${PIPESTATUS[0]}"
}

# result STATUS DESCRIPTION
result() {
	if (($1 == 0)); then
		echo "ok - $2" | tee -a "$tap_log"
	else
		echo "not ok - $2" | tee -a "$tap_log"
	fi
}

# guest_suite RUNNER_ARGS...: the kselftests in a guest; the runner's own
# failures (crash, kernel report, timeout) become results too.
guest_suite() {
	local before rc start=$SECONDS
	before=$(grep -Ec '^(not )?ok ' "$tap_log")
	run tests/vm/run.sh "$@" -- tests/kselftests/run.sh
	rc=$?
	# A suite that stopped before its tests ran has failed, whatever it said.
	(($(grep -Ec '^(not )?ok ' "$tap_log") > before)) || result 1 "guest suite ran no test"
	case $rc in
	0 | 1) result 0 "guest kernel: no crash, no report, no timeout ($((SECONDS - start)) s with the boot)" ;;
	2) result 1 "guest kernel crashed or gave no exit status" ;;
	3) result 1 "guest kernel log reports a bug (see above)" ;;
	124) result 1 "guest suite timed out" ;;
	*) result 1 "guest runner failed (status $rc)" ;;
	esac
}

# finish: the count as the last line; fails unless all passed.
finish() {
	local passed skipped failed summary
	passed=$(grep -Ec '^ok ' "$tap_log")
	skipped=$(grep -E '^ok ' "$tap_log" | grep -c '# SKIP')
	failed=$(grep -Ec '^not ok' "$tap_log")
	passed=$((passed - skipped))
	summary="$passed passed, $failed failed"
	((skipped)) && summary+=", $skipped skipped"
	echo "$summary"
	((failed == 0 && passed > 0))
	exit
}
