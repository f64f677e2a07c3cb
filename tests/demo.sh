#!/bin/bash
# make demo, inside the guest: load the module, make traffic between two
# network namespaces, show what cellwall counted.
#
#   cw-demo-a  10.0.0.1/24 --veth-- 10.0.0.2/24  cw-demo-b
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cli=$top/build/cellwall

insmod "$top/kmod/cellwall.ko"
"$cli" version

ip netns add cw-demo-a
ip netns add cw-demo-b
ip link add veth-a netns cw-demo-a type veth peer veth-b netns cw-demo-b
ip -n cw-demo-a addr add 10.0.0.1/24 dev veth-a
ip -n cw-demo-b addr add 10.0.0.2/24 dev veth-b
ip -n cw-demo-a link set veth-a up
ip -n cw-demo-b link set veth-b up

echo
echo "\$ ip netns exec cw-demo-a ping -c 3 10.0.0.2"
ip netns exec cw-demo-a ping -q -c 3 -i 0.2 10.0.0.2 | tail -2
echo
echo "\$ ip netns exec cw-demo-a iperf3 -c 10.0.0.2 -n 10M"
ip netns exec cw-demo-b iperf3 -s -1 -D
while ! ip netns exec cw-demo-b ss -Hltn 'sport = 5201' | grep -q LISTEN; do sleep 0.1; done
ip netns exec cw-demo-a iperf3 -c 10.0.0.2 -n 10M | grep -E 'sender|receiver'

for ns in cw-demo-a cw-demo-b; do
	echo
	echo "\$ ip netns exec $ns cellwall status"
	ip netns exec "$ns" "$cli" status
done

ip netns del cw-demo-a
ip netns del cw-demo-b
rmmod cellwall
