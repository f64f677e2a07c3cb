#!/bin/bash
# Installs the Debian packages cellwall needs to build and test, only those
# that are missing; silent when nothing is.
set -euo pipefail

packages=(
	# build
	gcc make pkg-config libc6-dev
	linux-headers-amd64 libnl-3-dev libnl-genl-3-dev libjansson-dev libaudit-dev libauparse-dev
	# kselftest harness
	linux-source-6.1 xz-utils
	# guest: the kernels the module is built for (Debian 12's 6.1 and the
	# 6.12 series from its security archive), QEMU, the initramfs
	linux-image-amd64 linux-headers-6.12-amd64 linux-image-6.12-amd64 qemu-system-x86 busybox-static cpio kmod binutils
	# guest tests
	iproute2 iputils-ping iperf3 nftables procps util-linux python3 socat
	# threat tests: crafted packets and floods
	python3-scapy hping3
	# daemon tests and make demo: a real dockerd and rsyslogd in the guest
	docker.io rsyslog
	# process and file events: with and without a running auditd
	auditd
	# DPI guest tests: real servers and clients
	nginx curl openssl openssh-server openssh-client redis-server redis-tools
	mariadb-server mariadb-client postgresql postgresql-client memcached
	dnsmasq-base bind9-dnsutils mosquitto mosquitto-clients tcpdump
	# DPI in userland: make fuzz (libFuzzer), make bench-dpi (pcaps, nDPI)
	clang libclang-rt-14-dev libfuzzer-14-dev libpcap-dev libndpi-dev valgrind
	# debug guest kernel (make check-debug)
	bc flex bison libelf-dev libssl-dev
	# packaging (make deb) and its man pages
	dkms debhelper dh-dkms lintian man-db groff-base
)

missing=()
for pkg in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$pkg")
done
((${#missing[@]})) || exit 0

if ((EUID)); then
	echo "cellwall: missing packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "cellwall: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
# The servers are for the guest: none starts on this host while installing.
policy_rc=/usr/sbin/policy-rc.d
if [[ ! -e $policy_rc ]]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy_rc"
	chmod +x "$policy_rc"
	trap 'rm -f "$log" "$policy_rc"' EXIT
else
	trap 'rm -f "$log"' EXIT
fi
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
