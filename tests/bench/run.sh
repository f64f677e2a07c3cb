#!/bin/bash
# make bench: boots the test guest (tests/vm/run.sh) and runs
# tests/bench/guest.sh in it: iperf3 throughput and a TCP request/response
# rate between two containers, with no module, with cellwall in protect
# (10 and 10,000 rules) and with the same filtering in nftables, each as a
# ratio to no module; then tests/bench/audit.sh, the cost of cellwalld's
# process and file events to an exec loop and a write loop in a container.
# It prints; it asserts nothing.
#
#   tests/bench/run.sh                       (after make)
#   CW_BENCH_SECONDS=10 CW_BENCH_RULES=1000 CW_BENCH_REPEAT=5 tests/bench/run.sh
#
# Under TCG the numbers are an emulated machine's: compare the ratios of
# one run, not absolute values across runs.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

KVER=${KVER:-$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')}
[[ -n $KVER ]] || { echo "bench: cannot tell the kernel release; set KVER" >&2; exit 1; }
if [[ ! -f kmod/cellwall.ko || ! -x build/cellwall ]]; then
	echo "bench: build first (make)" >&2
	exit 1
fi
make --no-print-directory -s build/tests/bench/rr

env=()
for var in CW_BENCH_SECONDS CW_BENCH_RULES CW_BENCH_REPEAT CW_BENCH_EXECS CW_BENCH_WRITES; do
	[[ -z ${!var:-} ]] || env+=("$var=${!var}")
done
CW_VM_ENV="${CW_VM_ENV:-} ${env[*]}" exec tests/vm/run.sh -k "$KVER" \
	-t "${CW_BENCH_TIMEOUT:-1800}" -- tests/bench/guest.sh
