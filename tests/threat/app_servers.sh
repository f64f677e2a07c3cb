#!/bin/bash
# Servers of the application threat tests (threat_app_test.c) that
# tests/dpi/servers.sh does not start as these tests need them, started in
# the current network namespace, state under DIR:
#
#   tests/threat/app_servers.sh DIR SERVER...
#
#   dnsmasq  authoritative for shop.test on eth0 (53 UDP and TCP): zone
#            transfers for PEER ($APP_PEER), www.shop.test at $APP_ADDR,
#            a small TXT at shop.test, nine TXT records of 251 bytes at
#            big.shop.test (an answer of about 2.4 KB), an MX
#   tls      openssl s_server -www that speaks TLS 1.0 to 1.3 (SECLEVEL=0),
#            one EC certificate for tls.shop.test: on 4433 for crafted
#            hellos, 4434 for old versions, 4435 for normal clients
#   iperf3   iperf3 -s on 5201
#   grants   turns on the password checks of the MariaDB that
#            tests/dpi/servers.sh DIR mariadb started (it has no grant
#            tables): user shop (any password), user guard (password
#            "secret", no privileges)
set -euo pipefail

app_wait_port() {
	local i
	for ((i = 0; i < 400; i++)); do
		ss -Hln"$1" "sport = $2" | grep -q . && return 0
		sleep 0.05
	done
	echo "app_servers: nothing listens on $1 $2" >&2
	return 1
}

app_dnsmasq() {
	local big i txt=()
	big=$(printf '%250s' '' | tr ' ' x)
	for i in 1 2 3 4 5 6 7 8 9; do
		txt+=(--txt-record="big.shop.test,$i$big")
	done
	# Answers of up to 4 KB over UDP (2.90 defaults to 1232).
	dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --no-poll --user=root \
		--port=53 --pid-file="$DIR/dnsmasq.pid" --log-facility="$DIR/dnsmasq.log" \
		--edns-packet-max=4096 --auth-server=ns.shop.test,eth0 --auth-zone=shop.test \
		--auth-peer="$APP_PEER" --host-record="www.shop.test,$APP_ADDR,fd99::34" \
		--mx-host=shop.test,www.shop.test,10 --txt-record='shop.test,v=spf1 -all' \
		"${txt[@]}"
	app_wait_port u 53 && app_wait_port t 53
}

app_tls() {
	local d=$DIR/tls port
	mkdir -p "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-days 3650 -subj /CN=tls.shop.test -keyout "$d/key.pem" -out "$d/cert.pem" \
		2>/dev/null
	# One connection at a time, and a connection whose client was reset
	# stays open on the server's side: one server per use.
	# SECLEVEL=0: OpenSSL 3 speaks TLS 1.0 and 1.1 only there.
	for port in 4433 4434 4435; do
		openssl s_server -accept "$port" -cert "$d/cert.pem" -key "$d/key.pem" \
			-cipher DEFAULT@SECLEVEL=0 -www -quiet </dev/null >"$DIR/tls-$port.log" 2>&1 &
	done
	app_wait_port t 4433 && app_wait_port t 4434 && app_wait_port t 4435
}

app_iperf3() {
	iperf3 -s -D -p 5201 --pidfile "$DIR/iperf3.pid" --logfile "$DIR/iperf3.log"
	app_wait_port t 5201
}

app_grants() {
	local sql=/usr/share/mysql/mysql_system_tables.sql t
	{
		echo 'CREATE DATABASE IF NOT EXISTS mysql; USE mysql;'
		# The tables FLUSH PRIVILEGES needs, as mariadb-install-db makes them.
		for t in global_priv db tables_priv columns_priv procs_priv proxies_priv \
			roles_mapping servers; do
			grep -o "^CREATE TABLE IF NOT EXISTS $t (.*;" "$sql"
		done
		cat <<'SQL'
INSERT INTO global_priv VALUES ('%', 'shop', '{"access":18446744073709551615}');
INSERT INTO global_priv VALUES ('%', 'guard', JSON_OBJECT('access', 0,
	'plugin', 'mysql_native_password', 'authentication_string', PASSWORD('secret')));
FLUSH PRIVILEGES;
SQL
	} | mariadb --skip-ssl -S "$DIR/mariadb/mysqld.sock" -u root
}

DIR=$1
shift
: "${APP_ADDR:=10.99.0.52}" "${APP_PEER:=10.99.0.51}"
mkdir -p "$DIR"
for name in "$@"; do
	"app_$name" || { echo "app_servers: $name failed" >&2; exit 1; }
done
