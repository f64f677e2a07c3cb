#!/bin/bash
# make bench-threat: the cost of the HTTP and SQL payload checks, counted
# in instructions by callgrind (deterministic, unlike a clock): per request
# (or query) and per byte, for each sample of bench.c. A benchmark: it
# fails only on errors, never on figures.
#
# usage: run.sh BENCH
set -euo pipefail

bench=$1
if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
	echo "bench-threat: valgrind is missing (make deps): no instruction counts" >&2
	exit 0
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$bench" --list >"$dir/list"
reps=$(awk '$1 == "reps" { print $2 }' "$dir/list")

echo "payload checks: instructions (callgrind), not time; each sample $reps times on one flow"
printf '%-18s %6s %14s %10s  %s\n' sample bytes instr/request instr/byte what
declare -A per_byte
while read -r name bytes what; do
	[[ $name != reps ]] || continue
	if ! valgrind --tool=callgrind --collect-atstart=no --toggle-collect=bench_run \
		--callgrind-out-file="$dir/cg.$name" "$bench" "$name" >"$dir/log" 2>&1; then
		cat "$dir/log" >&2
		echo "bench-threat: $name failed under callgrind" >&2
		exit 1
	fi
	total=$(awk '/^(summary|totals):/ { print $2; exit }' "$dir/cg.$name")
	[[ -n $total ]] || { echo "bench-threat: no count for $name" >&2; exit 1; }
	read -r request byte < <(awk -v t="$total" -v r="$reps" -v b="$bytes" \
		'BEGIN { printf "%.0f %.2f\n", t / r, t / r / b }')
	per_byte[$name]=$byte
	printf '%-18s %6s %14s %10s  %s\n' "$name" "$bytes" "$request" "$byte" "$what"
done <"$dir/list"

if [[ -n ${per_byte[http_post_1k]:-} && -n ${per_byte[http_post_8k]:-} ]]; then
	awk -v a="${per_byte[http_post_8k]}" -v b="${per_byte[http_post_1k]}" \
		'BEGIN { printf "instructions per byte, 8 KiB POST / 1 KiB POST: %.2f", a / b
			print " (linear: near 1)" }'
fi
