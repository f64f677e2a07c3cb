#!/bin/bash
# make bench-dpi: replay's report, with instructions per packet counted by
# callgrind (deterministic, unlike a clock). A benchmark: it fails only on
# errors, never on figures.
#
# usage: run.sh REPLAY [-v] PCAP...
set -euo pipefail

replay=$1
shift
opts=()
if [[ ${1:-} == -v ]]; then
	opts+=(-v)
	shift
fi
if (($# == 0)); then
	echo "bench-dpi: no pcaps to replay (none in tests/dpi/pcap/ yet; PCAPS=... names others)"
	exit 0
fi
for pcap; do
	[[ -r $pcap ]] || { echo "bench-dpi: $pcap: cannot read it" >&2; exit 1; }
done

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Inclusive cost of a function in one callgrind profile; 0 if never called.
cost() {
	callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$1" |
		awk -v fn="$2" '$0 ~ ":" fn " \\[" { gsub(",", "", $1); print $1; found = 1; exit }
			END { if (!found) print 0 }'
}

if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
	# One profile per pcap: $dir/cg.1, cg.2... in the order given.
	if ! valgrind --tool=callgrind --callgrind-out-file="$dir/cg" \
		"$replay" --dump "$@" >"$dir/log" 2>&1; then
		cat "$dir/log" >&2
		echo "bench-dpi: replay failed under callgrind" >&2
		exit 1
	fi
	for ((i = 1; i <= $#; i++)); do
		[[ -f $dir/cg.$i ]] || { echo "bench-dpi: callgrind wrote no profile $i" >&2; exit 1; }
		echo "$i $(cost "$dir/cg.$i" bench_cw_packet) $(cost "$dir/cg.$i" bench_ndpi_packet)"
	done >"$dir/costs"
	opts+=(--costs "$dir/costs")
else
	echo "bench-dpi: valgrind is missing (make deps): no instruction counts" >&2
fi

"$replay" "${opts[@]}" "$@"
