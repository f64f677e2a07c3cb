#!/bin/bash
# The cost of cellwalld's process and file events, run as root inside the
# test guest (tests/bench/run.sh boots it, after guest.sh). A container
# made by hand, as a runtime makes one: a cgroup Docker's metadata names,
# a mount namespace and a busybox root of its own. Inside it, one after the
# other in the same boot, each the median of CW_BENCH_REPEAT (default 3):
#
#   exec   CW_BENCH_EXECS (default 2000) runs of /bin/true
#   write  CW_BENCH_WRITES (default 20000) writes of a file nobody watches
#
# without and with cellwalld in turns (the container in monitor with a
# baseline that has busybox, so that nothing alerts), each printed as a
# ratio to no cellwalld. It prints; it asserts nothing.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
ko=${CW_KO:-$top/kmod/cellwall.ko}
cli=$top/build/cellwall
daemon=$top/build/cellwalld
repeat=${CW_BENCH_REPEAT:-3}
execs=${CW_BENCH_EXECS:-2000}
writes=${CW_BENCH_WRITES:-20000}
work=$(mktemp -d /tmp/cw-bench-audit.XXXXXX)
id=7777777777777777777777777777777777777777777777777777777777777777
cgroup=/sys/fs/cgroup/docker/$id
root=$work/rootfs
pid=

die() {
	echo "bench-audit: $*" >&2
	exit 1
}

cleanup() {
	[[ -z $pid ]] || { kill "$pid"; wait "$pid"; } 2>/dev/null
	if [[ -d $cgroup ]]; then
		echo 1 >"$cgroup/cgroup.kill"
		for _ in $(seq 100); do
			grep -q . "$cgroup/cgroup.procs" || break
			sleep 0.1
		done
		rmdir "$cgroup"
	fi
	umount "$root" 2>/dev/null
	rmmod cellwall 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# in_container CMD: the busybox shell runs CMD in the container (its
# cgroup, its own mount namespace with the root bind-mounted, chroot).
in_container() {
	sh -c 'echo $$ >"$0/cgroup.procs" && exec unshare -m sh -c "$1"' "$cgroup" \
		"mount --bind $root $root && exec chroot $root /bin/sh -c '$1'"
}

# run WHAT: seconds the loop takes in the container (its start included:
# busybox's date has no sub-second clock).
run() {
	local loop start
	case $1 in
	exec) loop="i=0; while [ \$i -lt $execs ]; do /bin/true; i=\$((i + 1)); done" ;;
	write) loop="i=0; while [ \$i -lt $writes ]; do echo \$i >/tmp/f; i=\$((i + 1)); done" ;;
	esac
	start=$EPOCHREALTIME
	in_container "$loop"
	awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", e - s }'
}


median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

start_daemon() {
	"$daemon" -f -c "$work/cellwalld.json" 2>>"$work/cellwalld.log" &
	pid=$!
	for _ in $(seq 100); do
		auditctl -l | grep -q 'cellwall:' && "$cli" workload list | grep -qw bench && return
		sleep 0.2
	done
	cat "$work/cellwalld.log"
	die "cellwalld has no audit rules"
}

stop_daemon() {
	kill "$pid" && wait "$pid"
	pid=
}

mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/usr/bin" "$work/rules.d" \
	"$work/docker/containers/$id" "$cgroup" || die "cannot make the container"
cp /bin/busybox "$root/bin/" || die "busybox-static is not installed"
for applet in sh true echo sleep; do
	ln -s busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo '{"Name": "/bench", "Config": {"Image": "bench:1"}}' >"$work/docker/containers/$id/config.v2.json"
cat >"$work/rules.d/bench.json" <<JSON
{
  "groups": [ { "name": "bench", "mode": "monitor", "match": { "name": "bench" } } ],
  "process_rules": [ { "group": "bench", "path": "/bin/busybox" } ]
}
JSON
cat >"$work/cellwalld.json" <<JSON
{ "rules_dir": "$work/rules.d", "learned_file": "$work/learned.json",
  "docker_root": "$work/docker", "alerts": { "json_file": "$work/alerts.jsonl" } }
JSON
# The container runs while cellwalld starts, as one would.
in_container "exec sleep 100000" &
disown
modprobe nf_reject_ipv4 && modprobe nf_reject_ipv6 && insmod "$ko" || die "cannot load $ko"

# One of each first, thrown away: the first runs read busybox from disk.
run exec >/dev/null
run write >/dev/null
# Without and with cellwalld in turns, so that the machine's drift over
# the run falls on both alike.
declare -A times
for _ in $(seq "$repeat"); do
	for what in exec write; do
		times[none-$what]+=" $(run "$what")"
	done
	start_daemon
	for what in exec write; do
		times[cellwalld-$what]+=" $(run "$what")"
	done
	stop_daemon
done
declare -A took
for key in "${!times[@]}"; do
	# shellcheck disable=SC2086
	took[$key]=$(median ${times[$key]})
done
alerts=$(grep -c . "$work/alerts.jsonl" 2>/dev/null)
lost=$(auditctl -s | sed -n 's/^lost //p')

echo
echo "bench-audit: $execs execs, $writes writes, median of $repeat; $alerts alerts, $lost audit records lost"
for key in none-exec cellwalld-exec none-write cellwalld-write; do
	echo "bench-audit: $key runs (s):${times[$key]}"
done
printf '%-10s %10s %10s %7s\n' loop 'none s' 'cellwalld s' ratio
for what in exec write; do
	printf '%-10s %10s %10s %7s\n' "$what" "${took[none-$what]}" "${took[cellwalld-$what]}" \
		"$(awk -v a="${took[cellwalld-$what]}" -v b="${took[none-$what]}" \
			'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
	echo "bench-audit: $what cellwalld $(awk -v a="${took[cellwalld-$what]}" \
		-v b="${took[none-$what]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
done
