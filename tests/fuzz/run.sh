#!/bin/bash
# make fuzz: runs each parser's and threat checker's libFuzzer target for
# FUZZ_SECONDS, FUZZ_JOBS at a time, on its own corpus (kept between runs,
# so it grows) and the seeds from the recorded pcaps. A crash, a hang or a
# broken invariant fails it and names the input that reproduces it.
#
# usage: run.sh DIR TARGET...   (TARGET: PARSER, or threat-CHECKER; DIR
#                                holds dpi_fuzz_PARSER, threat_fuzz_CHECKER
#                                and seeds/)
set -uo pipefail

dir=$1
shift
seconds=${FUZZ_SECONDS:-10}
jobs=${FUZZ_JOBS:-1}

# The binary of a target.
binary() {
	case $1 in
	threat-*) echo "$dir/threat_fuzz_${1#threat-}" ;;
	*) echo "$dir/dpi_fuzz_$1" ;;
	esac
}

fuzz_one() {
	local parser=$1

	mkdir -p "$dir/corpus/$parser"
	"$(binary "$parser")" -max_total_time="$seconds" -max_len=4096 -timeout=5 \
		-print_final_stats=1 -artifact_prefix="$dir/crashes/$parser-" \
		"$dir/corpus/$parser" "$dir/seeds" >"$dir/logs/$parser.log" 2>&1
	echo $? >"$dir/logs/$parser.rc"
}

rm -rf "$dir/logs"
mkdir -p "$dir/logs" "$dir/crashes" "$dir/seeds"
echo "# fuzzing $# targets for ${seconds} s each, $jobs at a time"
running=0
for parser; do
	fuzz_one "$parser" &
	if ((++running >= jobs)); then
		wait -n
		((running--))
	fi
done
wait

passed=0
failed=0
for parser; do
	log=$dir/logs/$parser.log
	rc=$(cat "$dir/logs/$parser.rc" 2>/dev/null || echo 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
	if ((rc == 0)); then
		((passed++))
		printf 'ok   %-17s %9s runs %7s exec/s  %s\n' "$parser" "${runs:-?}" \
			"${speed:-?}" "${cov:-cov: ?}"
		continue
	fi
	((failed++))
	# What broke: the most telling line of the log.
	reason=
	for pattern in 'runtime error' '^(dpi|threat)_fuzz .*: ' '^SUMMARY: ' 'ERROR: libFuzzer'; do
		reason=$(grep -m1 -E "$pattern" "$log") && break
	done
	# The first stack frame in the parsers (dpi.h's helpers are inlined).
	where=$(grep -E '^ *#[0-9]+ 0x[0-9a-f]+ in [^ ]+ [^ ]*kmod/(dpi|threat)/' "$log" |
		grep -v '/dpi\.h:' | head -1 | sed -E 's/.* in ([^ ]+) ([^ ]+).*/\1 \2/')
	input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	printf 'FAIL %-17s %s\n' "$parser" "${reason:-exit status $rc}"
	if [[ $where ]]; then
		echo "     in $where"
	fi
	if [[ $input ]]; then
		echo "     reproduce: $(binary "$parser") $input"
	fi
	echo "     log: $log"
done
echo "$passed passed, $failed failed"
((failed == 0))
