#!/bin/bash
# The benchmark proper, run as root inside the test guest (tests/bench/run.sh
# boots it). Two containers on a bridge, as in the kselftests:
#
#   bench-a 10.99.0.1 (client) --- cwbr0 --- bench-b 10.99.0.2 (servers)
#
# measures, one configuration after the other in the same boot:
#   none           no module loaded
#   protect-10     the module, both groups in protect, 10 rules
#   protect-N      the same with N rules (CW_BENCH_RULES, default 10000)
#   nft-N          no module; an nftables inet table in each container's
#                  netns, input and output hooks, policy drop, conntrack's
#                  established first and then N rules, the allowed ones last
# iperf3 throughput (CW_BENCH_SECONDS, default 5) and rr's request/response
# rate, the median of CW_BENCH_REPEAT (default 3) runs, each printed as a
# ratio to "none". A benchmark prints, it does not
# assert: only setup failures end it with an error.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
ko=${CW_KO:-$top/kmod/cellwall.ko}
cli=$top/build/cellwall
rr=$top/build/tests/bench/rr
secs=${CW_BENCH_SECONDS:-5}
repeat=${CW_BENCH_REPEAT:-3}
nrules=${CW_BENCH_RULES:-10000}
work=$(mktemp -d /tmp/cw-bench.XXXXXX)

die() {
	echo "bench: $*" >&2
	exit 1
}

# ct_create NAME X: cgroup cw-NAME, netns NAME, eth0 10.99.0.X on cwbr0.
ct_create() {
	mkdir "/sys/fs/cgroup/cw-$1" &&
		ip netns add "$1" &&
		ip -n "$1" link set lo up &&
		ip link add "vh-$1" type veth peer eth0 netns "$1" &&
		ip link set "vh-$1" master cwbr0 &&
		ip link set "vh-$1" up &&
		ip -n "$1" addr add "10.99.0.$2/24" dev eth0 &&
		ip -n "$1" link set eth0 up
}

# ct_run NAME CMD...: CMD in the container's cgroup and netns.
ct_run() {
	local name=$1
	shift
	sh -c 'echo $$ >"$0" && exec "$@"' "/sys/fs/cgroup/cw-$name/cgroup.procs" \
		ip netns exec "$name" "$@"
}

ct_destroy() {
	if [[ -d /sys/fs/cgroup/cw-$1 ]]; then
		echo 1 >"/sys/fs/cgroup/cw-$1/cgroup.kill"
		for _ in $(seq 100); do
			grep -q . "/sys/fs/cgroup/cw-$1/cgroup.procs" || break
			sleep 0.1
		done
		rmdir "/sys/fs/cgroup/cw-$1"
	fi
	ip netns del "$1" 2>/dev/null
}

cleanup() {
	ct_destroy bench-a
	ct_destroy bench-b
	ip link del cwbr0 2>/dev/null
	[[ -d /sys/module/cellwall ]] && rmmod cellwall
	rm -rf "$work"
}
trap cleanup EXIT

# wait_listen PORT: until bench-b listens on it.
wait_listen() {
	for _ in $(seq 200); do
		ip netns exec bench-b ss -Hltn "sport = $1" | grep -q . && return 0
		sleep 0.1
	done
	die "nothing listens on port $1 in bench-b"
}

# policy RULES: a policy file with groups ga and gb in protect and RULES
# rules from ga to gb: the two the benchmark needs, the others on ports
# nobody uses.
policy() {
	{
		echo '{"groups": [{"name": "ga", "mode": "protect"}, {"name": "gb", "mode": "protect"}],'
		echo ' "rules": ['
		seq 3 "$1" | awk '{ printf "  {\"id\": %d, \"from\": \"ga\", \"to\": \"gb\", \"ports\": [\"tcp/%d\"], \"action\": \"allow\"},\n", $1, 20000 + $1 }'
		echo '  {"id": 1, "from": "ga", "to": "gb", "ports": ["tcp/5201"], "action": "allow"},'
		echo '  {"id": 2, "from": "ga", "to": "gb", "ports": ["tcp/7777"], "action": "allow"}'
		echo ']}'
	} >"$work/policy-$1.json"
	echo "$work/policy-$1.json"
}

# nft_ruleset RULES: the same filtering with nftables, linear rules.
nft_ruleset() {
	local chain hook addr
	echo 'table inet cwbench {'
	for chain in input output; do
		if [[ $chain == input ]]; then
			hook='iif lo accept' addr='ip saddr 10.99.0.1'
		else
			hook='oif lo accept' addr='ip daddr 10.99.0.2'
		fi
		echo "  chain $chain {"
		echo "    type filter hook $chain priority 0; policy drop;"
		echo "    $hook"
		echo '    ct state established,related accept'
		seq 3 "$1" | awk -v addr="$addr" '{ printf "    %s tcp dport %d accept\n", addr, 20000 + $1 }'
		echo "    $addr tcp dport 5201 accept"
		echo "    $addr tcp dport 7777 accept"
		echo '  }'
	done
	echo '}'
}

declare -A iperf rate
configs=()

# median VALUES...: the middle one (the lower middle of an even count).
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# measure CONFIG: iperf3 Kbit/s and rr transactions/s from bench-a to
# bench-b, the median of $repeat runs each. rr's ends share one CPU: the
# cost of the path, not of waking the other (emulated) CPU.
measure() {
	local kbits=() tps=() i v
	for ((i = 0; i < repeat; i++)); do
		v=$(ct_run bench-a iperf3 -c 10.99.0.2 -p 5201 -t "$secs" -f k 2>&1 |
			awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Kbits/sec") print $(i - 1) }')
		kbits+=("${v:-0}")
		v=$(ct_run bench-a taskset -c 0 "$rr" -c 10.99.0.2 7777 "$secs" 2>&1 |
			awk '/transactions/ { print $1 }')
		tps+=("${v:-0}")
	done
	iperf[$1]=$(median "${kbits[@]}")
	rate[$1]=$(median "${tps[@]}")
	configs+=("$1")
	echo "bench: measured $1: iperf3 ${kbits[*]} Kbit/s, rr ${tps[*]} transactions/s"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

[[ -f $ko && -x $cli && -x $rr ]] || die "build first: $ko, $cli, $rr"
[[ $(stat -f -c %T /sys/fs/cgroup) == cgroup2fs ]] || die "run me in the test guest (tests/bench/run.sh)"
[[ -d /sys/module/cellwall ]] && rmmod cellwall
modprobe -qa nf_reject_ipv4 nf_reject_ipv6 2>/dev/null

ip link add cwbr0 type bridge && ip link set cwbr0 up || die "no bridge"
ct_create bench-a 1 && ct_create bench-b 2 || die "cannot create the containers"
ct_run bench-b iperf3 -s -p 5201 -D >/dev/null || die "iperf3 server"
ct_run bench-b taskset -c 0 "$rr" -s 7777 </dev/null >/dev/null 2>&1 &
wait_listen 5201
wait_listen 7777
ct_run bench-a ping -q -c 1 -W 5 10.99.0.2 >/dev/null || die "bench-a cannot reach bench-b"

echo "bench: $secs s per measurement, median of $repeat, $nrules rules for the large policies"
measure none

insmod "$ko" || die "insmod $ko"
"$cli" group add ga mode protect >/dev/null &&
	"$cli" group add gb mode protect >/dev/null &&
	"$cli" workload add bench-a group ga cgroup /sys/fs/cgroup/cw-bench-a netns /run/netns/bench-a >/dev/null &&
	"$cli" workload add bench-b group gb cgroup /sys/fs/cgroup/cw-bench-b netns /run/netns/bench-b >/dev/null &&
	"$cli" policy load "$(policy 10)" >/dev/null || die "cannot set up cellwall"
measure protect-10
"$cli" policy load "$(policy "$nrules")" >/dev/null || die "cannot load $nrules rules"
measure "protect-$nrules"
rmmod cellwall || die "rmmod"

nft_ruleset "$nrules" >"$work/ruleset.nft"
for ns in bench-a bench-b; do
	ip netns exec "$ns" nft -f "$work/ruleset.nft" || die "nft in $ns"
done
measure "nft-$nrules"
for ns in bench-a bench-b; do
	ip netns exec "$ns" nft flush ruleset
done

echo
for config in "${configs[@]}"; do
	echo "bench: iperf3 $config $(ratio "${iperf[$config]}" "${iperf[none]}")"
	echo "bench: rr $config $(ratio "${rate[$config]}" "${rate[none]}")"
done
echo
printf '%-14s %14s %7s %14s %7s\n' config 'iperf3 Mbit/s' ratio 'rr trans/s' ratio
for config in "${configs[@]}"; do
	printf '%-14s %14s %7s %14s %7s\n' "$config" \
		"$(awk -v k="${iperf[$config]}" 'BEGIN { printf "%.0f", k / 1000 }')" \
		"$(ratio "${iperf[$config]}" "${iperf[none]}")" \
		"${rate[$config]}" "$(ratio "${rate[$config]}" "${rate[none]}")"
done

# The cost of process and file events, in the same boot.
echo
"$top/tests/bench/audit.sh"
