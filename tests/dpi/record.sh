#!/bin/bash
# Records the DPI reference captures: real servers (servers.sh) in one
# netns, real clients in another, tcpdump on the client's veth, one pcap
# per protocol (and variant) in tests/dpi/pcap/, each with its .expect
# (README.md). Runs on the host; the recording happens in the QEMU guest
# (tests/vm/run.sh), where the servers may bind their usual ports and
# nothing leaves the machine. No cellwall module is involved.
#
#   dpi-cli                               dpi-srv
#   vc 10.99.0.1/24 ------------------- vs 10.99.0.2/24   (servers.sh)
#      fd99::1/64                          fd99::2/64
#
# usage: tests/dpi/record.sh [-k KERNEL_RELEASE] [-- PROTOCOL...]
# PROTOCOL: one of the record_* below (http tls ssh dns mysql postgresql
# redis memcached mqtt); all by default. Only their servers start.
set -euo pipefail

DPI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly DPI_DIR
readonly TOP=${DPI_DIR%/tests/dpi}
readonly SRV=10.99.0.2
readonly SRV6=fd99::2
readonly OUT=/tmp/dpi-record
# What the guest prints around the base64 tarball of the captures: the
# guest's files are lost at power off, its stdout is all that comes back.
readonly BEGIN_MARK='---- cellwall dpi pcaps begin ----'
readonly END_MARK='---- cellwall dpi pcaps end ----'
readonly PROTOCOLS=(http tls ssh dns mysql postgresql redis memcached mqtt)
# The server each protocol's clients need (servers.sh's names).
declare -rA SERVER_OF=([http]=nginx [tls]=nginx [ssh]=sshd [dns]=dnsmasq
	[mysql]=mariadb [postgresql]=postgres [redis]=redis [memcached]=memcached
	[mqtt]=mosquitto)

# in_cli CMD...: CMD in the client's netns; no client may hang the run.
in_cli() {
	timeout 60 ip netns exec dpi-cli "$@"
}

# setup_guest SERVER...: the two netns, the servers in dpi-srv.
setup_guest() {
	ip netns add dpi-cli
	ip netns add dpi-srv
	ip link add vc netns dpi-cli type veth peer vs netns dpi-srv
	ip -n dpi-cli addr add 10.99.0.1/24 dev vc
	ip -n dpi-cli addr add fd99::1/64 dev vc nodad
	ip -n dpi-srv addr add "$SRV/24" dev vs
	ip -n dpi-srv addr add "$SRV6/64" dev vs nodad
	for ns in dpi-cli dpi-srv; do
		ip -n "$ns" link set lo up
	done
	ip -n dpi-cli link set vc up
	ip -n dpi-srv link set vs up
	# The servers inherit this shell's environment; their times to stderr.
	SRV_TIMES=1 ip netns exec dpi-srv bash "$DPI_DIR/servers.sh" /tmp/dpi-srv "$@"
}

# capture NAME FILTER: starts tcpdump on the client's veth into
# $OUT/NAME.pcap, returning once it captures; stop with end_capture.
# Whole packets (-s 0), handed over and written as they come
# (--immediate-mode -U: else the packets of the last second, still in the
# kernel's buffer block when tcpdump is stopped, are lost), as root
# (-Z root: the tcpdump user may not write $OUT).
capture() {
	local i
	name=$1
	echo "record: $name" >&2
	: >"$OUT/$name.expect"
	ip netns exec dpi-cli tcpdump -i vc -s 0 --immediate-mode -U -Z root -w "$OUT/$name.pcap" "$2" \
		2>"$OUT/$name.tcpdump" &
	tcpdump_pid=$!
	for ((i = 0; i < 600; i++)); do
		grep -qs 'listening on' "$OUT/$name.tcpdump" && return 0
		sleep 0.05
	done
	echo "record: tcpdump did not start:" >&2
	cat "$OUT/$name.tcpdump" >&2
	return 1
}

# expect APP ATTRIBUTE DETAIL: the next flow's line in $OUT/$name.expect.
expect() {
	printf '%s %s %s\n' "$1" "${2:--}" "${3:--}" >>"$OUT/$name.expect"
}

end_capture() {
	# The last FIN and ACK, after the client has exited.
	sleep 1
	kill -INT "$tcpdump_pid"
	wait "$tcpdump_pid" || true
	grep -v 'listening on\|packets captured\|packets received\|packets dropped' \
		"$OUT/$name.tcpdump" >&2 || true
	rm "$OUT/$name.tcpdump"
}

readonly CURL=(curl -sS -o /dev/null --resolve "allowed.test:80:$SRV"
	--resolve "blocked.test:80:$SRV" --resolve "allowed.test:443:$SRV"
	--resolve "blocked.test:443:$SRV" --resolve "allowed.test:8080:$SRV"
	--cacert /tmp/dpi-srv/nginx/cert.pem)

record_http() {
	capture http 'tcp port 80'
	in_cli "${CURL[@]}" http://allowed.test/index.html
	expect http allowed.test 'GET /index.html'
	in_cli "${CURL[@]}" -d 'item=1' http://blocked.test/cart
	expect http blocked.test 'POST /cart'
	# HTTP/1.1 with "Upgrade: h2c", which nginx ignores: still HTTP/1.1.
	in_cli "${CURL[@]}" --http2 http://allowed.test/
	expect http allowed.test 'GET /'
	end_capture

	capture http2 'tcp port 8080'
	in_cli "${CURL[@]}" --http2-prior-knowledge http://allowed.test:8080/index.html
	expect http2 allowed.test 'GET /index.html'
	end_capture
}

record_tls() {
	capture tls 'tcp port 443'
	in_cli "${CURL[@]}" --http1.1 https://allowed.test/index.html
	expect tls allowed.test http/1.1
	in_cli "${CURL[@]}" --http1.1 https://blocked.test/index.html
	expect tls blocked.test http/1.1
	# TLS 1.2: another ClientHello layout (no supported_versions, no key share).
	in_cli "${CURL[@]}" --http1.1 --tlsv1.2 --tls-max 1.2 https://allowed.test/
	expect tls allowed.test http/1.1
	end_capture

	capture tls-h2 'tcp port 443'
	in_cli "${CURL[@]}" --http2 https://allowed.test/index.html
	expect tls allowed.test h2,http/1.1
	end_capture
}

record_ssh() {
	local banner
	capture ssh 'tcp port 22'
	in_cli ssh -F /dev/null -i /tmp/dpi-srv/client_key -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
		"root@$SRV" uname -s >/dev/null
	# "OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL ..." -> the banner it sends.
	banner=$(ssh -V 2>&1)
	expect ssh - "SSH-2.0-${banner%%,*}"
	end_capture
}

record_dns() {
	capture dns 'port 53'
	in_cli dig +short "@$SRV" allowed.test A >/dev/null
	expect dns allowed.test A
	in_cli dig +short "@$SRV" blocked.test AAAA >/dev/null
	expect dns blocked.test AAAA
	# The answer: the CNAME, then allowed.test's A record.
	in_cli dig +short "@$SRV" www.allowed.test A >/dev/null
	expect dns www.allowed.test A
	end_capture

	capture dns-tcp 'port 53'
	in_cli dig +short +tcp "@$SRV" allowed.test A >/dev/null
	expect dns allowed.test A
	in_cli dig +short +tcp "@$SRV" www.allowed.test AAAA >/dev/null
	expect dns www.allowed.test AAAA
	end_capture
}

record_mysql() {
	capture mysql 'tcp port 3306'
	# --skip-ssl: the handshake response (user, database) in clear text.
	in_cli mariadb --skip-ssl -h "$SRV" -u shop -D shop -e 'SELECT 1' >/dev/null
	expect mysql shop db=shop
	end_capture
}

record_postgresql() {
	capture postgresql 'tcp port 5432'
	# libpq's default (sslmode=prefer): an SSLRequest, refused ("N"),
	# then the startup message on the same connection.
	in_cli psql -h "$SRV" -U shop -d shop -Atc 'SELECT 1' >/dev/null
	expect postgresql shop db=shop
	in_cli env PGSSLMODE=disable psql -h "$SRV" -U shop -d shop -Atc 'SELECT 2' >/dev/null
	expect postgresql shop db=shop
	end_capture
}

record_redis() {
	capture redis 'tcp port 6379'
	in_cli redis-cli -h "$SRV" SET cart:1 apple >/dev/null
	expect redis - SET
	in_cli redis-cli -h "$SRV" PING >/dev/null
	expect redis - PING
	end_capture
}

record_memcached() {
	capture memcached 'tcp port 11211'
	printf 'set cart:1 0 0 5\r\napple\r\nget cart:1\r\nquit\r\n' |
		in_cli socat -t 5 - "TCP:$SRV:11211" >/dev/null
	expect memcached - set
	printf 'stats\r\nquit\r\n' | in_cli socat -t 5 - "TCP:$SRV:11211" >/dev/null
	expect memcached - stats
	# libmemcached asks the server's version before the statistics.
	if command -v memcstat >/dev/null; then
		in_cli memcstat --servers="$SRV" >/dev/null
		expect memcached - version
	fi
	end_capture
}

record_mqtt() {
	capture mqtt 'tcp port 1883'
	# Retained, so that the subscriber below gets it at once and exits.
	in_cli mosquitto_pub -V mqttv311 -h "$SRV" -i cw-pub -t shop/orders -m apple -r
	expect mqtt cw-pub -
	in_cli mosquitto_sub -V mqttv311 -h "$SRV" -i cw-sub -t shop/orders -C 1 -W 10 >/dev/null
	expect mqtt cw-sub -
	end_capture

	capture mqtt-v5 'tcp port 1883'
	in_cli mosquitto_pub -V mqttv5 -h "$SRV" -i cw-pub5 -u shop -t shop/orders -m pear -r
	expect mqtt cw-pub5 user=shop
	in_cli mosquitto_sub -V mqttv5 -h "$SRV" -i cw-sub5 -t shop/orders -C 1 -W 10 >/dev/null
	expect mqtt cw-sub5 -
	end_capture
}

# The guest's part: record everything into $OUT, print it as a base64
# tarball between the markers.
guest() {
	local protocol servers=()
	(($#)) || set -- "${PROTOCOLS[@]}"
	for protocol in "$@"; do
		[[ -v SERVER_OF[$protocol] ]] || { echo "record: no protocol $protocol" >&2; return 1; }
		[[ " ${servers[*]} " == *" ${SERVER_OF[$protocol]} "* ]] ||
			servers+=("${SERVER_OF[$protocol]}")
	done
	mkdir -p "$OUT"
	setup_guest "${servers[@]}"
	for protocol in "$@"; do
		"record_$protocol"
	done
	echo "$BEGIN_MARK"
	tar -C "$OUT" -czf - . | base64
	echo "$END_MARK"
}

# check_flows FILE.pcap: its flows (TCP SYNs, distinct UDP client ports)
# number its .expect's lines, and every TCP flow has its end (a FIN or a
# RST from the client): nothing was cut off.
check_flows() {
	local syns udp ends lines
	syns=$(tcpdump -nr "$1" 'tcp[tcpflags] == tcp-syn' 2>/dev/null | wc -l)
	udp=$(tcpdump -nr "$1" 'udp and src host 10.99.0.1' 2>/dev/null | awk '{print $3}' |
		sort -u | wc -l)
	ends=$(tcpdump -nr "$1" 'src host 10.99.0.1 and tcp[tcpflags] & (tcp-fin|tcp-rst) != 0' \
		2>/dev/null | awk '{print $3}' | sort -u | wc -l)
	lines=$(wc -l <"${1%.pcap}.expect")
	if ((syns + udp != lines || ends != syns)); then
		echo "record: $1: $syns TCP flows ($ends ended), $udp UDP, but" \
			"${1%.pcap}.expect has $lines lines" >&2
		return 1
	fi
}

host() {
	local pcap vm_args=() failed=0
	while (($#)) && [[ $1 != -- ]]; do
		vm_args+=("$1")
		shift
	done
	(($#)) && shift
	log=$(mktemp)
	trap 'rm -f "$log"' EXIT
	cd "$TOP"
	tests/vm/run.sh "${vm_args[@]}" -t 600 -- bash tests/dpi/record.sh --guest "$@" |
		tee "$log" | sed -u "/^$BEGIN_MARK\$/,/^$END_MARK\$/d"
	mkdir -p "$DPI_DIR/pcap"
	# Only what this run recorded is replaced.
	(($#)) || rm -f "$DPI_DIR"/pcap/*.pcap "$DPI_DIR"/pcap/*.expect
	sed -n "/^$BEGIN_MARK\$/,/^$END_MARK\$/{//!p}" "$log" | tr -d '\r' | base64 -d |
		tar -C "$DPI_DIR/pcap" -xzf -
	for pcap in "$DPI_DIR"/pcap/*.pcap; do
		check_flows "$pcap" || failed=1
	done
	du -ch "$DPI_DIR"/pcap/*.pcap | tail -n 1
	return $failed
}

if [[ ${1:-} == --guest ]]; then
	shift
	guest "$@"
else
	host "$@"
fi
