#!/bin/bash
# make demo, inside the QEMU guest (tests/vm/run.sh runs it as root): three
# Docker containers, web -> api -> db, whose traffic cellwalld learns in
# discover mode and then enforces in protect mode, where web -> db is
# refused and reported to syslog.
#
# The guest is throwaway (its writes go to a tmpfs, lost at power off), so
# this writes to /etc and /var freely; it still stops all it started, so
# that the guest powers off cleanly and the module unloads.
set -eEuo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
work=/tmp/cellwall-demo			# rsyslogd's and dockerd's own files
alerts=/var/log/cellwall.log		# rsyslogd: local0, cellwalld's alerts
daemon_log=/var/log/cellwalld.log
rules_dir=/etc/cellwall/rules.d
rules=$rules_dir/10-demo.json
learned=/var/lib/cellwall/learned.json
docker_cgroup=/sys/fs/cgroup/cellwall-demo-dockerd
image=cellwall-demo
containers=(web api db)
# The alert for web -> db:5432 (alert.c's key=value format).
violation='type=violation .*from_workload=web .*to_workload=db .*dport=5432'

# The commands shown are the ones run: cellwall from the build tree.
PATH=$top/build:$PATH

# Debian's client (/usr/local/bin/docker may be another one), on the
# socket of the dockerd started here whatever DOCKER_HOST says.
docker() {
	/usr/bin/docker -H unix:///run/docker.sock "$@"
}

step() {
	printf '\n==> %s\n' "$*"
}

# Prints a command as one would type it: words with spaces or quotes quoted.
say_cmd() {
	local word line=\$ q="'\\''"
	for word; do
		if [[ $word =~ ^[][A-Za-z0-9_./:=@%+,{}-]+$ ]]; then
			line+=" $word"
		else
			line+=" '${word//\'/$q}'"
		fi
	done
	printf '%s\n' "$line"
}

# Shows a command, then runs it; says which one failed.
show() {
	say_cmd "$@"
	"$@" || die "\`$*\` failed (exit status $?)"
}

die() {
	printf 'demo: error: %s\n' "$*" >&2
	exit 1
}

# Any command that fails under set -e says which one it was (-E: in
# functions too).
trap 'die "line $LINENO (${FUNCNAME[0]:-main}): \`$BASH_COMMAND\` failed (exit status $?)"' ERR

# wait_for SECONDS WHAT COMMAND...: polls COMMAND (a quiet one: a die in
# it must be heard) until it succeeds.
wait_for() {
	local secs=$1 what=$2 deadline
	shift 2
	deadline=$((SECONDS + secs))
	until "$@"; do
		((SECONDS < deadline)) || die "$what: not within $secs s"
		sleep 0.2
	done
}

# Microseconds since the epoch, without a process.
now_us() {
	echo "${EPOCHREALTIME/./}"
}

# The time since $1 (now_us), in seconds with one decimal.
since() {
	local ms=$((($(now_us) - $1) / 1000))
	printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}

# Whether process $1 runs: a child that exited is a zombie until waited for.
alive() {
	local stat
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	[[ ${stat##*) } != [ZX]* ]]
}

# ---------------------------------------------------------------- cleanup

rsyslogd_pid='' cellwalld_pid='' dockerd_pid='' watcher_pid=''

# Stops child $1 (SIGTERM), waiting up to $2 seconds before SIGKILL.
stop_child() {
	local deadline=$((SECONDS + $2))
	kill "$1" 2>/dev/null || return 0
	while alive "$1"; do
		if ((SECONDS >= deadline)); then
			echo "demo: process $1 did not stop within $2 s of SIGTERM: killing it"
			kill -9 "$1"
		fi
		sleep 0.2
	done
	wait "$1"
}

# Whether no process is left in the cgroup (dockerd, containerd, shims).
cgroup_empty() {
	! grep -qs . "$docker_cgroup/cgroup.procs"
}

# The containers first (dockerd would give each 10 s to stop), then
# dockerd, then what it left in its cgroup, then its mounts.
stop_dockerd() {
	local deadline=$((SECONDS + 10)) dir
	if alive "$dockerd_pid"; then
		say_cmd docker rm -f "${containers[@]}"
		docker rm -f "${containers[@]}" 2>&1 | grep -v 'No such container'
	fi
	# Whatever docker could not remove.
	[ -d /sys/fs/cgroup/docker ] && echo 1 >/sys/fs/cgroup/docker/cgroup.kill
	stop_child "$dockerd_pid" 30
	until cgroup_empty; do
		if ((SECONDS >= deadline)); then
			echo "demo: dockerd left processes: killing its cgroup"
			echo 1 >"$docker_cgroup/cgroup.kill"
		fi
		sleep 0.2
	done
	rmdir "$docker_cgroup"
	# Recursive: containers' shm and netns files are mounted below.
	for dir in /var/lib/docker /run/docker; do
		umount -R "$dir"
	done
}

# At exit, whatever happened: everything started here stops, in reverse.
cleanup() {
	local status=$?
	trap - ERR
	set +e
	if ((status)); then
		for log in "$daemon_log" "$work/dockerd.log"; do
			[ -s "$log" ] && printf '\n--- %s, last lines:\n' "$log" &&
				grep -v 'module=grpc' "$log" | tail -n 20
		done
	fi
	step "Cleaning up: containers, dockerd, cellwalld, rsyslogd, the module"
	[ -n "$watcher_pid" ] && kill "$watcher_pid"
	[ -n "$dockerd_pid" ] && stop_dockerd
	[ -n "$cellwalld_pid" ] && stop_child "$cellwalld_pid" 10
	[ -n "$rsyslogd_pid" ] && stop_child "$rsyslogd_pid" 10
	[ -e /sys/module/cellwall ] && rmmod cellwall
	if ((status)); then
		echo "demo: FAILED"
	else
		echo "Done in $SECONDS s: the guest powers off."
	fi
	exit "$status"
}
trap cleanup EXIT

# ------------------------------------------------------------------ steps

load_module() {
	step "Loading the cellwall kernel module"
	# insmod does not load dependencies.
	modprobe -a nf_reject_ipv4 nf_reject_ipv6
	show insmod "$top/kmod/cellwall.ko"
	show cellwall version
}

# Debian's rsyslogd with a config of its own: cellwalld sends its alerts to
# syslog as local0, and this puts them in $alerts.
start_rsyslogd() {
	step "Starting rsyslogd: alerts (facility local0) go to $alerts"
	cat >"$work/rsyslog.conf" <<-EOF
		global(workDirectory="$work")
		module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
		local0.* action(type="omfile" file="$alerts" template="RSYSLOG_TraditionalFileFormat")
	EOF
	show cat "$work/rsyslog.conf"
	echo "\$ rsyslogd -n -f $work/rsyslog.conf -i $work/rsyslogd.pid &"
	/usr/sbin/rsyslogd -n -f "$work/rsyslog.conf" -i "$work/rsyslogd.pid" \
		>"$work/rsyslogd.log" 2>&1 &
	rsyslogd_pid=$!
	wait_for 30 "rsyslogd listening on /dev/log" rsyslogd_up
	logger -p local0.info "cellwall demo: syslog works"
	wait_for 10 "a test message in $alerts" grep -qs 'syslog works' "$alerts"
}

rsyslogd_up() {
	alive "$rsyslogd_pid" || die "rsyslogd exited: $(cat "$work/rsyslogd.log")"
	test -S /dev/log
}

# As tests/kselftests/runtime.h does it: vfs storage (overlay2 cannot sit on
# the guest's overlay root) on tmpfs mounts of their own, an empty config
# (not the host's /etc/docker/daemon.json), the cgroupfs driver (no systemd
# here), and a cgroup of its own, so that stopping it leaves nothing behind.
start_dockerd() {
	local start dockerd=(
		/usr/sbin/dockerd --config-file="$work/daemon.json" --storage-driver=vfs
		--data-root=/var/lib/docker --exec-root=/run/docker
		--host=unix:///run/docker.sock --pidfile=/run/docker.pid
		--exec-opt=native.cgroupdriver=cgroupfs
	)
	step "Starting dockerd (takes ~20 s in the emulated guest, more on a busy machine)"
	for dir in /var/lib/docker /run/docker; do
		mkdir -p "$dir"
		mount -t tmpfs -o mode=0711 cellwall-demo "$dir"
	done
	echo '{}' >"$work/daemon.json"
	mkdir "$docker_cgroup"
	echo "$(say_cmd "${dockerd[@]}") >$work/dockerd.log 2>&1 &"
	start=$(now_us)
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$docker_cgroup" \
		"${dockerd[@]}" >"$work/dockerd.log" 2>&1 &
	dockerd_pid=$!
	wait_for 240 "dockerd answering on /run/docker.sock" docker_up
	echo "dockerd answered after $(since "$start")."
}

docker_up() {
	alive "$dockerd_pid" || die "dockerd exited (its log: $work/dockerd.log)"
	test -S /run/docker.sock && docker info >/dev/null 2>&1
}

# A busybox root file system in one tar, no registry: busybox --install
# makes all the applets' links in one process (a loop of ln takes 20 s
# here); they point at its own path, where the image has the copy.
make_image() {
	local rootfs=$work/rootfs busybox
	step "Making the image $image from the host's busybox (no registry needed)"
	busybox=$(readlink -f /bin/busybox)
	echo "Its root file system: $busybox, and a link to it in /bin per command."
	mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs${busybox%/*}"
	chmod 1777 "$rootfs/tmp"
	cp "$busybox" "$rootfs$busybox"
	"$busybox" --install -s "$rootfs/bin"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
	echo "\$ tar -C $rootfs -c . | docker import - $image"
	tar -C "$rootfs" -c . | docker import - "$image" >/dev/null
	rm -rf "$rootfs"
	show docker images "$image"
}

# cellwalld.json: learned rules saved and put in force every 2 s (not 5),
# so that the demo does not wait. rules.d: the demo's policy, three groups
# in discover mode that select the containers by name.
start_cellwalld() {
	step "Starting cellwalld with the demo's policy (web, api, db in discover mode)"
	mkdir -p "$rules_dir" "${learned%/*}"
	cat >/etc/cellwall/cellwalld.json <<-'EOF'
		{
		  "learn": { "interval": 2 },
		  "alerts": { "syslog": true, "facility": "local0", "format": "kv" }
		}
	EOF
	cp "$top/rules/examples/demo.json" "$rules"
	show cat /etc/cellwall/cellwalld.json "$rules"
	show cellwalld -t
	echo "\$ cellwalld -f >$daemon_log 2>&1 &"
	cellwalld -f >"$daemon_log" 2>&1 &
	cellwalld_pid=$!
	wait_for 60 "cellwalld started (its log: $daemon_log)" cellwalld_started
	show cat "$daemon_log"
}

cellwalld_started() {
	alive "$cellwalld_pid" || die "cellwalld exited: $(cat "$daemon_log")"
	grep -q 'started' "$daemon_log"
}

# Whether workload $1 is registered in group $2, with its netns. (This
# polls while docker runs: no more processes than needed.)
registered() {
	local name group netns
	# Columns: id name group cgroup netns.
	while read -r _ name group _ netns; do
		[[ $name == "$1" && $group == "$2" && $netns != - ]] && return 0
	done < <(cellwall workload list)
	return 1
}

# run_container NAME COMMAND...: docker run, and how long cellwalld takes to
# put the container in its group with its netns, watched from the start
# (cellwalld may be done before docker run returns).
run_container() {
	local name=$1 start returned registered
	shift
	start=$(now_us)
	{
		wait_for 90 "container $name in group $name with its netns" \
			registered "$name" "$name"
		since "$start" >"$work/$name.registered"
	} &
	watcher_pid=$!
	show docker run -d --name "$name" "$image" "$@"
	returned=$(since "$start")
	wait "$watcher_pid" || exit 1
	watcher_pid=''
	registered=$(<"$work/$name.registered")
	echo "    cellwalld had it in group $name, with its netns, $registered after" \
		"docker run started (docker run returned after $returned)"
}

# The containers' addresses and pids, in one docker call (each takes
# a second or more here).
inspect_containers() {
	local name pid ip
	declare -gA ip_of pid_of
	while read -r name pid ip; do
		ip_of[${name#/}]=$ip
		pid_of[${name#/}]=$pid
	done < <(docker inspect -f '{{.Name}} {{.State.Pid}} {{.NetworkSettings.IPAddress}}' \
		"${containers[@]}")
	for name in "${containers[@]}"; do
		[ -n "${ip_of[$name]:-}" ] || die "container $name has no address"
		echo "    $name: ${ip_of[$name]}"
	done
}

# Whether container $1 listens on TCP port $2 (seen from its netns).
listening() {
	nsenter -t "${pid_of[$1]}" -n ss -Hltn "sport = $2" | grep -q .
}

run_containers() {
	step "Running three containers: db (port 5432), api (port 8080), web"
	echo "cellwalld finds each new container in the cgroup tree and puts it in the"
	echo "group whose selector matches it (here: the group named like the container)."
	# busybox nc -ll -e: a server that answers every connection with a line.
	run_container db nc -ll -p 5432 -e echo "db: 3 rows"
	run_container api nc -ll -p 8080 -e echo "api: 200 OK"
	run_container web sleep 1000000
	inspect_containers
	wait_for 30 "db listening on 5432" listening db 5432
	wait_for 30 "api listening on 8080" listening api 8080
	show cellwall workload list
}

# connect FROM TO PORT [COUNT]: nc from inside container FROM.
connect() {
	local loop="nc -w 5 ${ip_of[$2]} $3"
	((${4:-1} == 1)) || loop="for i in \$(seq $4); do $loop || exit 1; done"
	show docker exec "$1" sh -c "$loop"
}

# Whether the daemon has put the learned rule $1 -> $2 $3 in force.
learned_in_force() {
	local from to ports learned
	# Columns: id from to action apps ports, then "learned" for a learned rule.
	while read -r _ from to _ _ ports learned; do
		[[ $from == "$1" && $to == "$2" && ,$ports, == *,"$3",* &&
			$learned == learned ]] && return 0
	done < <(cellwall rule list)
	return 1
}

learn_traffic() {
	step "Normal traffic, in discover mode: web -> api:8080, api -> db:5432"
	echo "In discover mode every connection is allowed, and the first one between"
	echo "two groups on a port is reported to cellwalld, which learns it as a rule."
	connect web api 8080 3
	connect api db 5432 3
	wait_for 30 "web -> api tcp/8080 learned and in force" learned_in_force web api tcp/8080
	wait_for 30 "api -> db tcp/5432 learned and in force" learned_in_force api db tcp/5432
	show grep ': learned ' "$daemon_log"
	echo
	echo "The policy in force, as a file one could review and commit; the rules"
	echo "marked \"learned\" are what discover mode saw (also in $learned):"
	show cellwall policy export
	echo
	echo "Two rules were learned: web may call api on tcp/8080, and api may call db"
	echo "on tcp/5432. Once the groups protect, what no rule allows is refused."
}

protect() {
	step "Switching the three groups to protect mode"
	echo "Editing the policy file is enough: cellwalld sees the change and loads it."
	# sed -i renames a new file over the old one: cellwalld never reads half
	# a file (nor sed's temporary one, which is no *.json).
	show sed -i 's/"discover"/"protect"/' "$rules"
	show cat "$rules"
	wait_for 30 "the groups in protect mode" all_protected
	show cellwall group list
}

# Whether the containers' groups are all in protect mode.
all_protected() {
	local name mode protected=0
	# Columns: id name mode.
	while read -r _ name mode; do
		[[ " ${containers[*]} " == *" $name "* && $mode == protect ]] &&
			protected=$((protected + 1))
	done < <(cellwall group list)
	((protected == ${#containers[@]}))
}

enforce() {
	local out
	step "In protect mode, the learned traffic still flows"
	connect web api 8080
	connect api db 5432

	step "... and anything else is refused: web -> db:5432 (web never talked to db)"
	say_cmd docker exec web nc -w 5 "${ip_of[db]}" 5432
	if out=$(docker exec web nc -w 5 "${ip_of[db]}" 5432 2>&1); then
		die "web reached db in protect mode: $out"
	fi
	echo "$out"
	grep -q 'Connection refused' <<<"$out" || die "web -> db failed, but not refused"
	echo "The kernel answered web's connection attempt with a TCP reset."
	echo
	echo "cellwalld reported it to syslog (local0), which writes it to $alerts:"
	wait_for 20 "the alert for web -> db in $alerts" violation_logged
	show grep -E "$violation" "$alerts"
	echo
	echo "Every connection cellwall tracks, with its groups and verdict:"
	show cellwall flows
}

violation_logged() {
	grep -qsE "$violation" "$alerts"
}

main() {
	rm -rf "$work"
	mkdir -p "$work"
	echo "cellwall demo: three Docker containers, web -> api -> db. cellwalld learns"
	echo "their traffic in discover mode, then enforces it in protect mode."
	load_module
	start_rsyslogd
	start_dockerd
	make_image
	start_cellwalld
	run_containers
	learn_traffic
	protect
	enforce
}

main
