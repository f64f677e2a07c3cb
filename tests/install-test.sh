#!/bin/bash
# Runs inside the guest (tests/vm/run.sh), on its fresh overlay: the
# packages from `make deb` installed with dpkg as an operator would, DKMS
# building the module for the running kernel, the module and daemon in use
# with the default rules, an upgrade that keeps the learned policy, and a
# purge that leaves nothing behind. Prints TAP lines.
set -uo pipefail

debs=$(cd "${1:?usage: install-test.sh DEB_DIR}" && pwd)
kver=$(uname -r)
dkms_deb=$(echo "$debs"/cellwall-dkms_*_all.deb)
deb=$(echo "$debs"/cellwall_*_amd64.deb)
version=$(dpkg-deb -f "$deb" Version)
work=$(mktemp -d)
daemon=
failed=0
# No debconf dialogs: nobody answers them.
export DEBIAN_FRONTEND=noninteractive

# check DESCRIPTION COMMAND...: one TAP line; the command's output shown
# only when it fails.
check() {
	local description=$1
	shift
	if "$@" >"$work/out" 2>&1; then
		echo "ok - $description"
	else
		echo "not ok - $description"
		sed 's/^/# /' "$work/out"
		failed=1
	fi
}

cleanup() {
	[[ -z $daemon ]] || kill "$daemon" 2>/dev/null
	echo 1 2>/dev/null >/sys/fs/cgroup/system.slice/docker-$demo_id.scope/cgroup.kill
	ip netns del cw-demo 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# Everything an installed cellwall may have put on the host: what the
# packages own, and what their scripts and DKMS make.
leftovers() {
	local path
	for path in /etc/cellwall /var/lib/cellwall /usr/src/cellwall-* /var/lib/dkms/cellwall \
		/lib/modules/*/updates/dkms/cellwall.ko* /usr/sbin/cellwall /usr/sbin/cellwalld \
		/lib/systemd/system/cellwalld.service /usr/lib/systemd/system/cellwalld.service \
		/etc/systemd/system/*/cellwalld.service /var/lib/systemd/deb-systemd-helper-enabled/cellwalld.service \
		/var/lib/systemd/deb-systemd-helper-enabled/*/cellwalld.service \
		/usr/lib/sysctl.d/*cellwall* /usr/lib/modules-load.d/*cellwall* \
		/usr/share/man/man*/cellwall* /usr/share/doc/cellwall /usr/share/doc/cellwall-dkms; do
		[[ -e $path || -L $path ]] && echo "$path"
	done
	dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'cellwall*' 2>/dev/null | grep -v '^un '
	return 0
}

no_leftovers() {
	local left
	left=$(leftovers)
	[[ -z $left ]] || { echo "left behind:"; echo "$left"; return 1; }
}

# install_packages: dpkg -i of both, its output timed line by line (the
# DKMS build of each kernel shows in it).
install_packages() {
	local start=$SECONDS line
	dpkg -i "$dkms_deb" "$deb" 2>&1 | while IFS= read -r line; do
		printf '%4d s  %s\n' $((SECONDS - start)) "$line"
	done
	return "${PIPESTATUS[0]}"
}

dkms_installed_for() {
	dkms status -m cellwall -v "$version" -k "$1" | grep -q ': installed'
}

# The installed module is signed with DKMS's key (Secure Boot): the
# signature names the key of the certificate a user enrols.
module_signed() {
	local file serial
	file=$(modinfo -k "$kver" -F filename cellwall) || return 1
	serial=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -serial | cut -d= -f2)
	modinfo -F sig_key "$file" | tr -d ':\n' | grep -qix "$serial" || {
		echo "$file: sig_key $(modinfo -F sig_key "$file"), certificate serial $serial"
		return 1
	}
}

module_version_is() {
	[[ $(modinfo -k "$kver" -F version cellwall) == "$1" ]]
}

# The sysctl file names only knobs the module has, and sets them.
sysctls_apply() {
	local conf
	conf=$(echo /usr/lib/sysctl.d/*cellwall*.conf)
	sysctl -p "$conf" && grep -q '^-net\.cellwall\.' "$conf"
}

# The unit's commands, as systemd would run them (no systemd in the guest).
unit_exec() {
	sed -n "s/^$1=//p" /lib/systemd/system/cellwalld.service
}

start_daemon() {
	local cmd
	mkdir -p "/var/lib/$(unit_exec StateDirectory)"
	while read -r cmd; do
		$cmd || return 1
	done < <(unit_exec ExecStartPre)
	# shellcheck disable=SC2046
	$(unit_exec ExecStart) >"$work/cellwalld.log" 2>&1 &
	daemon=$!
	for _ in $(seq 300); do
		grep -q started "$work/cellwalld.log" && return 0
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.1
	done
	cat "$work/cellwalld.log"
	return 1
}

stop_daemon() {
	kill "$daemon" && wait "$daemon"
	local rc=$?
	daemon=
	return $rc
}

# A container as Docker lays it out: its cgroup, its metadata, a process
# in its own netns.
demo_id=$(printf 'de%.0s' {1..32})
start_demo() {
	local cgroup=/sys/fs/cgroup/system.slice/docker-$demo_id.scope
	mkdir -p "/var/lib/docker/containers/$demo_id" "$cgroup" &&
		echo '{"Name": "/demo", "Config": {"Image": "demo:1", "Labels": null}}' \
			>"/var/lib/docker/containers/$demo_id/config.v2.json" &&
		ip netns add cw-demo &&
		{ sh -c "echo \$\$ >$cgroup/cgroup.procs && exec ip netns exec cw-demo sleep 100000" \
			</dev/null >/dev/null 2>&1 & disown; }
}

demo_registered() {
	for _ in $(seq 100); do
		cellwall workload list -j | python3 -c '
import json, sys
sys.exit(not any(w["name"] == "demo" and w["group"] == "unknown" for w in json.load(sys.stdin)))' &&
			return 0
		sleep 0.1
	done
	cellwall workload list
	return 1
}

learned_kept() {
	[[ -s /var/lib/cellwall/learned.json ]] && cmp -s /var/lib/cellwall/learned.json "$work/learned.json"
}

# The same package as a newer version: what an upgrade runs, without a
# second build.
newer_package() {
	dpkg-deb -R "$deb" "$work/pkg" &&
		sed -i "s/^Version: .*/Version: $version.1/" "$work/pkg/DEBIAN/control" &&
		dpkg-deb -b "$work/pkg" "$work/newer.deb" >/dev/null
}

echo "# ==== install on $kver: $(basename "$dkms_deb") $(basename "$deb")"
check "no cellwall on the fresh guest" no_leftovers
# Shown as it goes: the DKMS build takes minutes under emulation.
install_packages | sed 's/^/# /'
result=${PIPESTATUS[0]}
if ((result == 0)); then
	echo "ok - dpkg -i installs both packages"
else
	echo "not ok - dpkg -i installs both packages"
	failed=1
fi
check "DKMS built and installed the module for $kver" dkms_installed_for "$kver"
for k in /lib/modules/*/build; do
	k=${k#/lib/modules/}
	k=${k%/build}
	[[ $k == "$kver" ]] && continue
	check "DKMS built and installed the module for the other kernel, $k" dkms_installed_for "$k"
done
check "the module has the package's version $version" module_version_is "$version"
check "the module is signed with DKMS's key" module_signed
check "modprobe cellwall" modprobe cellwall
check "the sysctl.d file applies to the loaded module" sysctls_apply
check "cellwalld starts as its unit does, with the default rules" start_daemon
check "a Docker container is discovered" start_demo
check "the container is registered in the group unknown" demo_registered
check "cellwalld stops cleanly" stop_daemon
echo '{ "rules": [ { "from": "unknown", "to": "external", "ports": ["tcp/443"], "action": "allow", "learned": true } ] }' \
	>/var/lib/cellwall/learned.json
cp /var/lib/cellwall/learned.json "$work/learned.json"

echo "# ==== upgrade, remove, purge"
check "a newer cellwall installs over it" newer_package
check "dpkg -i of the newer version" dpkg -i "$work/newer.deb"
check "the upgrade kept the learned policy" learned_kept
check "dpkg -r cellwall" dpkg -r cellwall
check "removing kept the learned policy" learned_kept
check "rmmod cellwall" rmmod cellwall
check "dpkg --purge cellwall cellwall-dkms" dpkg --purge cellwall cellwall-dkms
check "purge leaves no module, unit, rule or state behind" no_leftovers
check "no cellwall module for any kernel" sh -c '! modinfo -k "$1" cellwall' sh "$kver"
exit $failed
