#!/bin/bash
# Run a command inside a QEMU guest booted from a Debian kernel, with the
# host root shared read-only over 9p (plus a tmpfs overlay for writes).
# The host kernel cannot load modules; the cellwall module is tested here.
# See tests/vm/README.md; measured facts behind the choices: DESIGN.md §9.
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly VM_DIR
readonly GUEST_INIT=$VM_DIR/guest-init.sh
readonly INITRAMFS_INIT=$VM_DIR/initramfs-init.sh
readonly BUSYBOX=/bin/busybox

# What the initramfs must load, in order, to mount the 9p root and the
# overlay; kernels with these built in (a debug kernel) need none of them.
readonly INITRAMFS_MODULES=(virtio_ring virtio virtio_pci_modern_dev
	virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p
	overlay)

# Kernel log lines that fail a run (exit 3): the one list of them.
readonly REPORT_PATTERNS=(
	'BUG:' 'WARNING:' 'Oops' 'Kernel panic' 'general protection fault'
	'KASAN:' 'UBSAN:' 'kmemleak: .*suspected memory leak'
	'unreferenced object' 'possible circular locking'
	'possible recursive locking' 'inconsistent lock state'
	'suspicious RCU usage' 'INFO: task .* blocked' 'Call Trace:' 'RIP:'
	'sleeping function called from invalid context'
)

# guest-init.sh prints this on the console just before the command starts.
readonly BOOT_MARKER='cellwall-vm: running command'

# panic_on_warn and oops=panic turn warnings, oopses, KASAN and UBSAN
# reports into a guest crash (exit 2) at once; -no-reboot makes the reboot
# after a panic end QEMU.
# Not acpi=noirq, although ACPI's IRQ routing costs the debug kernel about
# 28 s per virtio device: with it, that kernel once took an interrupt on an
# unset IRQ descriptor early in boot (a KASAN report and a panic).
readonly KERNEL_CMDLINE='console=ttyS0 panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1'

usage() {
	cat <<EOF
usage: $0 [-k KERNEL_RELEASE] [-K BZIMAGE] [-t TIMEOUT_SECONDS] [-m MEM_MB] [-i] [-- command args...]
  -k  kernel release (default: \$KVER, else the newest /boot/vmlinuz-* with /lib/modules)
  -K  boot this bzImage instead of /boot/vmlinuz-RELEASE
  -t  wall-clock timeout in seconds (default 600)
  -m  guest memory in MiB (default 2048)
  -i  interactive: the guest console on this terminal, a shell (or the command)
Exit: the command's status; 1 setup error; 2 guest crash or no status;
3 kernel log reports; 124 timeout. CW_VM_ENV="A=1 B=2" adds guest variables;
CW_VM_LOG_DIR=DIR keeps console.log and kernel.log; V=1 shows the QEMU command.
CW_VM_TCG_THREAD=single runs both vCPUs in one host thread (see README.md).
EOF
}

die() {
	echo "vm: $*" >&2
	exit 1
}

# sh_quote WORD: WORD quoted for any POSIX sh (the guest runs dash).
sh_quote() {
	printf "'%s'" "${1//\'/\'\\\'\'}"
}

# Release string of a bzImage, from its setup header's kernel_version field.
bzimage_release() {
	local offset release
	read -r offset < <(od -An -tu2 -j526 -N2 "$1")
	[[ ${offset:-0} != 0 ]] || die "$1: no kernel version in its header; pass -k"
	read -r release _ < <(dd if="$1" iflag=skip_bytes,count_bytes skip="$((offset + 512))" \
		count=256 status=none | tr '\0' '\n')
	[[ -n $release ]] || die "$1: no kernel version in its header; pass -k"
	echo "$release"
}

newest_release() {
	local image rel best=
	for image in /boot/vmlinuz-*; do
		rel=${image#/boot/vmlinuz-}
		[[ -d /lib/modules/$rel ]] || continue
		if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$rel" | sort -V | tail -n 1) == "$rel" ]]; then
			best=$rel
		fi
	done
	[[ -n $best ]] || die "no /boot/vmlinuz-* with a matching /lib/modules/<release>; install linux-image-amd64"
	echo "$best"
}

# stage_module NAME DIR INDEX: copy NAME's module file, decompressed, into
# DIR as INDEX-NAME.ko; nothing when the kernel has NAME built in.
stage_module() {
	local name=$1 dest file
	dest=$2/$(printf '%02d' "$3")-$1.ko
	file=$(modinfo -k "$release" -F filename "$name" 2>/dev/null | head -n 1) || true
	case $file in
	'(builtin)') ;;
	'') echo "vm: note: no module $name for $release, assuming it is built in" >&2 ;;
	*.ko) cp "$file" "$dest" ;;
	*.ko.xz) xz -dc "$file" >"$dest" ;;
	*.ko.zst) zstd -qdc "$file" >"$dest" ;;
	*.ko.gz) gzip -dc "$file" >"$dest" ;;
	*) die "unknown module format: $file" ;;
	esac
}

# publish FILE DEST: move FILE, built in $tmp, into the cache under the
# name DEST atomically (copy next to it, then rename), so that concurrent
# runs never see half a file.
publish() {
	mv "$1" "$2.tmp.$$"
	mv -f "$2.tmp.$$" "$2"
}

# Decompressing a bzImage costs about 2.5 s of every boot under TCG. QEMU
# boots an uncompressed vmlinux directly through its PVH entry point, so
# extract the payload once, when the kernel has that entry (CONFIG_PVH).
# extract_vmlinux BZIMAGE DEST fails when it cannot.
extract_vmlinux() {
	local setup_sects offset length magic
	read -r setup_sects < <(od -An -tu1 -j497 -N1 "$1")
	read -r offset length < <(od -An -tu4 -j584 -N8 "$1")
	# The payload offset counts from the protected-mode code, after the
	# boot sector and the setup sectors (0 means 4).
	offset=$((((${setup_sects:-0} ? setup_sects : 4) + 1) * 512 + offset))
	magic=$(od -An -tx1 -j"$offset" -N6 "$1" | tr -d ' ')
	# Kbuild appends the decompressed size (4 bytes) to xz and zstd data.
	case $magic in
	fd377a585a00) payload "$1" "$offset" "$((length - 4))" | xz -dc ;;
	28b52ffd*) payload "$1" "$offset" "$((length - 4))" | zstd -qdc ;;
	1f8b*) payload "$1" "$offset" "$length" | gzip -dc ;;
	*) return 1 ;;
	esac >"$2" 2>/dev/null || return 1
	# XEN_ELFNOTE_PHYS32_ENTRY (0x12) is the PVH entry point.
	readelf -n "$2" 2>/dev/null | grep -Eq 'Xen[[:space:]].*\(0x00000012\)'
}

# payload FILE OFFSET LENGTH: those bytes of FILE.
payload() {
	dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$3" bs=1M status=none
}

# Sets $boot_image and $initramfs, building what the cache lacks for
# $release. Files are keyed on their inputs: the kernel image, the stage 1
# init and the module list.
prepare_boot_files() {
	local cache image_key initramfs_key
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/cellwall/vm/$release
	mkdir -p "$cache"
	image_key=$(sha256sum <"$image" | cut -c1-16)
	initramfs_key=$({
		echo "$image_key ${INITRAMFS_MODULES[*]}"
		cat "$INITRAMFS_INIT"
	} | sha256sum | cut -c1-16)
	# The vmlinux when it can be extracted, else a copy of the bzImage
	# (so that the extraction is not retried at every run).
	boot_image=$cache/kernel-$image_key
	initramfs=$cache/initramfs-$initramfs_key.cpio
	if [[ ! -f $boot_image ]]; then
		# Only Debian's kernels: a KASAN kernel hangs at once when booted
		# through PVH, and a debug boot is slow anyway.
		if [[ -n $kernel_image ]] || ! extract_vmlinux "$image" "$tmp/kernel"; then
			cp "$image" "$tmp/kernel"
		fi
		publish "$tmp/kernel" "$boot_image"
	fi
	[[ -f $initramfs ]] || build_initramfs "$cache"
	# Drop what older kernels or inits left.
	find "$cache" -maxdepth 1 -type f \( -name 'kernel-????????????????' \
		-o -name 'initramfs-????????????????.cpio' \) \
		! -path "$boot_image" ! -path "$initramfs" -delete
}

# build_initramfs CACHE_DIR: busybox, the stage 1 init and the modules.
build_initramfs() {
	local stage=$tmp/initramfs i
	[[ -x $BUSYBOX ]] || die "$BUSYBOX is missing; install busybox-static"
	! ldd "$BUSYBOX" >/dev/null 2>&1 || die "$BUSYBOX is dynamically linked; install busybox-static"
	echo "vm: building the initramfs for $release in $1" >&2
	mkdir -p "$stage"/{bin,dev,proc,modules}
	cp "$BUSYBOX" "$stage/bin/busybox"
	cp "$INITRAMFS_INIT" "$stage/init"
	chmod 0755 "$stage/init"
	if [[ -d /lib/modules/$release ]]; then
		for i in "${!INITRAMFS_MODULES[@]}"; do
			stage_module "${INITRAMFS_MODULES[i]}" "$stage/modules" "$i"
		done
	fi
	(cd "$stage" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) \
		>"$tmp/initramfs.cpio"
	publish "$tmp/initramfs.cpio" "$initramfs"
}

# Write the job for guest-init.sh into the output share.
write_job() {
	local cmd='' arg assignment rows=24 cols=80 term=dumb
	for arg in "${cmd_argv[@]}"; do
		cmd+="${cmd:+ }$(sh_quote "$arg")"
	done
	if ((interactive)); then
		read -r rows cols < <(stty size 2>/dev/null || echo 0 0)
		((rows && cols)) || rows=24 cols=80
		term=${TERM:-vt100}
	fi
	{
		echo "cw_cwd=$(sh_quote "$PWD")"
		echo "cw_cmd=$(sh_quote "$cmd")"
		echo "cw_interactive=$interactive cw_rows=$rows cw_cols=$cols"
		echo "export TERM=$(sh_quote "$term")"
		for assignment in ${V+"V=$V"} ${KVER+"KVER=$KVER"} ${CW_VM_ENV:-}; do
			[[ $assignment =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "CW_VM_ENV: not NAME=VALUE: $assignment"
			echo "export ${assignment%%=*}=$(sh_quote "${assignment#*=}")"
		done
	} >"$tmp/out/job"
	printf '%s\n' "$GUEST_INIT" >"$tmp/out/guest-init-path"
}

# Timestamps the console's lines as they come, to report the boot time,
# and saves them to console.log.
read_console() {
	local line start=${qemu_start/./} now
	while IFS= read -r line || [[ -n $line ]]; do
		line=${line%$'\r'}
		printf '%s\n' "$line"
		if [[ $line == *"$BOOT_MARKER"* ]]; then
			now=${EPOCHREALTIME/./}
			printf 'vm: booted %s in %d.%d s\n' "$release" \
				"$(((now - start) / 1000000))" "$(((now - start) / 100000 % 10))" >&2
		fi
	done <"$tmp/console.fifo" >"$tmp/console.log"
}

qemu_command() {
	local append="$KERNEL_CMDLINE ${CW_VM_CMDLINE:-}" serial
	if ((interactive)); then
		append+=' quiet'
		serial=(-chardev 'stdio,id=console,signal=off' -serial chardev:console)
	else
		serial=(-chardev "file,id=console,path=${tmp//,/,,}/console.fifo" -serial chardev:console
			-chardev 'stdio,id=command,signal=off' -serial chardev:command)
	fi
	qemu=(qemu-system-x86_64 -name cellwall-vm -nodefaults -no-user-config
		-accel "tcg,thread=${CW_VM_TCG_THREAD:-multi}" -cpu max -smp 2 -m "$mem"
		-display none -monitor none -nic none -no-reboot
		-kernel "$boot_image" -initrd "$initramfs" -append "$append"
		-virtfs 'local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap'
		-virtfs "local,path=${tmp//,/,,}/out,mount_tag=out,security_model=none,multidevs=remap"
		"${serial[@]}")
}

# Runs QEMU until it exits or the timeout expires; sets $timed_out.
run_qemu() {
	local finished
	timed_out=0
	[[ ${V:-0} == 0 ]] || echo "vm: ${qemu[*]}" >&2
	if ((interactive)); then
		# In the foreground: QEMU needs the terminal as its stdin.
		"${qemu[@]}" || true
		return
	fi
	mkfifo "$tmp/console.fifo"
	qemu_start=$EPOCHREALTIME
	read_console &
	reader_pid=$!
	"${qemu[@]}" </dev/null &
	qemu_pid=$!
	sleep "$timeout" &
	sleeper=$!
	wait -n -p finished "$qemu_pid" "$sleeper" || true
	if [[ $finished == "$sleeper" ]]; then
		timed_out=1
		kill "$qemu_pid" 2>/dev/null || true
	else
		kill "$sleeper" 2>/dev/null || true
	fi
	wait "$qemu_pid" || true
	# A QEMU that failed before opening the console would leave the reader
	# blocked in open(): opening the FIFO read-write frees it.
	: <>"$tmp/console.fifo"
	wait "$reader_pid"
}

# scan_kernel_logs FILE...: prints each kernel report found (a few lines
# before it to the end of its trace) once, even if it is in several logs;
# fails when there is none.
scan_kernel_logs() {
	local pattern
	pattern=$(IFS='|' && echo "${REPORT_PATTERNS[*]}")
	awk -v pattern="$pattern" -v before=4 -v max=300 '
		function emit() { print; printed[$0] = 1 }
		function stamp() {
			if (match($0, /^\[ *[0-9]+\.[0-9]+\]/)) return substr($0, 2, RLENGTH - 2) + 0
			return -1
		}
		FNR == 1 { in_report = 0; nctx = 0 }
		{ sub(/\r$/, ""); t = stamp() }
		# A report ends with "---[ end ...", or after "</TASK>" unless that
		# line follows, or when the log has moved on by more than a second.
		in_report && (end_pending && $0 !~ /---\[ end / || t >= 0 && start >= 0 && t - start > 1) {
			in_report = 0
		}
		in_report {
			emit()
			end_pending = $0 ~ /<\/TASK>/
			if ($0 ~ /---\[ end / || ++n >= max) in_report = 0
			next
		}
		$0 ~ pattern && !($0 in printed) {
			name = FILENAME; sub(/.*\//, "", name)
			printf "vm: ---- kernel report in %s, line %d ----\n", name, FNR
			for (i = (nctx > before ? nctx - before : 0); i < nctx; i++)
				if (!(ctx[i % before] in printed)) print ctx[i % before]
			emit()
			in_report = 1; end_pending = 0; start = t; n = 0; nctx = 0; reports++
			next
		}
		{ ctx[nctx++ % before] = $0 }
		END { exit reports ? 0 : 1 }
	' "$@"
}

# Decide the exit status from what the guest left behind.
report() {
	local logs=() log status=
	if [[ -n ${CW_VM_LOG_DIR:-} ]]; then
		mkdir -p "$CW_VM_LOG_DIR"
		for log in "$tmp/console.log" "$tmp/out/kernel.log"; do
			[[ ! -f $log ]] || cp "$log" "$CW_VM_LOG_DIR/"
		done
	fi
	if ((timed_out)); then
		echo "vm: timeout after $timeout s; last 50 lines of the kernel console:" >&2
		tail -n 50 "$tmp/console.log" >&2
		exit 124
	fi
	[[ ! -f $tmp/out/status ]] || status=$(<"$tmp/out/status")
	if [[ ! $status =~ ^[0-9]+$ ]]; then
		echo "vm: the guest crashed or returned no exit status" >&2
		# The reports whole if the console has them, else its last lines.
		if [[ -f $tmp/console.log ]] && ! scan_kernel_logs "$tmp/console.log" >&2; then
			echo "vm: last 80 lines of the kernel console:" >&2
			tail -n 80 "$tmp/console.log" >&2
		fi
		exit 2
	fi
	# The guest's dmesg first: it is complete, the console may be quieter.
	[[ -f $tmp/out/kernel.log ]] && logs+=("$tmp/out/kernel.log")
	[[ -f $tmp/console.log ]] && logs+=("$tmp/console.log")
	if ((${#logs[@]})) && scan_kernel_logs "${logs[@]}" >&2; then
		echo "vm: the kernel reported problems (above)" >&2
		exit 3
	fi
	exit "$status"
}

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	local pid
	for pid in ${sleeper:-} ${qemu_pid:-} ${reader_pid:-}; do
		kill "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp"
}

main() {
	local opt
	# Globals, read by the functions below.
	release='' image='' kernel_image='' timeout=600 mem=2048 interactive=0
	while getopts 'k:K:t:m:ih' opt; do
		case $opt in
		k) release=$OPTARG ;;
		K) kernel_image=$OPTARG ;;
		t) timeout=$OPTARG ;;
		m) mem=$OPTARG ;;
		i) interactive=1 ;;
		h) usage && exit 0 ;;
		*) usage >&2 && exit 1 ;;
		esac
	done
	shift $((OPTIND - 1))
	cmd_argv=("$@")
	[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "-t: not a positive number of seconds: $timeout"
	[[ $mem =~ ^[1-9][0-9]*$ ]] || die "-m: not a number of MiB: $mem"
	if ((${#cmd_argv[@]} == 0)); then
		((interactive)) || { usage >&2 && die "no command given (use -i for a shell)"; }
		cmd_argv=(bash)
	fi

	if [[ -n $kernel_image ]]; then
		[[ -r $kernel_image ]] || die "-K $kernel_image: no such readable file"
		image=$kernel_image
		release=${release:-$(bzimage_release "$image")}
	else
		release=${release:-${KVER:-$(newest_release)}}
		image=/boot/vmlinuz-$release
		[[ -e $image ]] || die "$image is missing (kernel release $release)"
		[[ -r $image ]] || die "$image is not readable"
		[[ -d /lib/modules/$release ]] || die "/lib/modules/$release is missing: the module could not be built or loaded"
	fi
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing; install qemu-system-x86"

	case $PWD/ in
	/run/* | /dev/* | /proc/* | /sys/*)
		echo "vm: warning: $PWD is not shared: the guest has its own /run, /dev, /proc, /sys" >&2
		;;
	esac

	tmp=$(mktemp -d "${TMPDIR:-/tmp}/cellwall-vm.XXXXXX")
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	mkdir "$tmp/out"
	prepare_boot_files
	write_job
	qemu_command
	run_qemu
	report
}

main "$@"
