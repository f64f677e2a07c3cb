#!/bin/sh
# Stage 2 of the cellwall test VM: PID 1 after switch_root, run from the host
# root shared read-only over 9p (with a tmpfs overlay for writes).
# Sets up a minimal system, runs the job that run.sh wrote into the output
# share, reports its exit status and the kernel's logs there, powers off.
# The kernel console (ttyS0) is this script's stdout; the command's output
# goes to ttyS1, which run.sh streams to its own stdout.
# shellcheck disable=SC2154 # the cw_* variables come from the job file

out=/run/cellwall # run.sh's output share, see guest-fstab

say() {
	echo "cellwall-vm: $*"
}

# PID 1 must never exit (the kernel would panic and the host would report a
# crash): power off and wait for it. The wait uses shell builtins only: the
# power off takes the 9p root, and so every binary, away, and a background
# `sleep` that had not been loaded yet failed and let PID 1 exit.
power_off() {
	echo o >/proc/sysrq-trigger
	while :; do :; done
}

setup_system() {
	mount -a -T "${0%/*}/guest-fstab" || say "some mounts failed"
	ln -sfn /proc/self/fd /dev/fd
	ln -sfn /proc/self/fd/0 /dev/stdin
	ln -sfn /proc/self/fd/1 /dev/stdout
	ln -sfn /proc/self/fd/2 /dev/stderr
	echo cellwall-vm >/proc/sys/kernel/hostname
	ip link set lo up
}

# Collect what run.sh scans for kernel reports. kmemleak only reports
# objects that stayed unreferenced across scans, hence two scans apart.
collect_kernel_logs() {
	if [ -e /sys/kernel/debug/kmemleak ]; then
		echo scan >/sys/kernel/debug/kmemleak
		sleep 5
		echo scan >/sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak >>"$out/kernel.log"
	fi
	dmesg >>"$out/kernel.log"
}

# run_job: runs $cw_cmd as run.sh asked, returns its exit status.
run_job() {
	# Leaks count from here: what the kernel leaked while booting is not ours.
	if [ -e /sys/kernel/debug/kmemleak ]; then
		echo clear >/sys/kernel/debug/kmemleak
	fi
	if ! cd "$cw_cwd" 2>/dev/null; then
		say "cannot cd to $cw_cwd in the guest (/run is a guest tmpfs)"
		return 1
	fi
	if [ "$cw_interactive" = 1 ]; then
		# A shell wants a controlling terminal: give it ttyS0, the console.
		stty rows "$cw_rows" cols "$cw_cols" </dev/ttyS0
		setsid -c -w sh -c "$cw_cmd" <>/dev/ttyS0 >&0 2>&0
	else
		exec 3<>/dev/ttyS1
		# Raw: no \n -> \r\n translation, no echo of anything.
		stty raw -echo <&3
		say "running command"
		sh -c "$cw_cmd" </dev/null >&3 2>&3 3>&-
	fi
}

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
setup_system
# The job file sets cw_cwd, cw_cmd, cw_interactive, cw_rows, cw_cols, TERM
# and exports the variables passed through from the host.
[ -f "$out/job" ] || { say "no job in the output share"; power_off; }
# shellcheck source=/dev/null
. "$out/job"
run_job
echo $? >"$out/status"
collect_kernel_logs
power_off
