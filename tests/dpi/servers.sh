#!/bin/bash
# Real servers for the DPI tests, started quickly in the current network
# namespace, each on its usual port, all state under one scratch directory.
# Sourced (a library) or run:
#
#   . tests/dpi/servers.sh; srv_start DIR nginx redis ...     # this netns
#   tests/dpi/servers.sh DIR nginx redis ...                    # the same
#   ip netns exec srv tests/dpi/servers.sh DIR all              # in netns srv
#   srv_start_in NETNS DIR all                                  # the same
#
# Servers (and ports): nginx (HTTP 80, HTTPS and HTTP/2 443 with one
# certificate for allowed.test and blocked.test, h2c 8080 with prior
# knowledge), sshd (22), redis (6379), mariadb (3306), postgres (5432),
# memcached (11211), dnsmasq (53 UDP and TCP), mosquitto (1883).
# Names and credentials the clients use: see srv_help below.
#
# Start times, each from the call until its port is ready: in the QEMU
# guest (TCG, 2 vCPUs, 6.1.0-56-amd64) on an idle host and on a loaded one
# (load average 7-14, other guests running), and natively on the host:
#                                        guest idle  guest loaded  native
#   nginx      (EC cert + config)           1.7 s     2.6-6.5 s    0.1 s
#   sshd       (2 ed25519 keys)             2.1 s     4.4-9.5 s    0.2 s
#   redis                                   1.0 s     1.4-3.6 s    0.1 s
#   mariadb    (empty datadir, no grant     2.7 s     3.1-5.8 s    0.3 s
#               tables, no InnoDB)
#   postgres   (initdb -N, start,          30 s       35-64 s      2.3 s
#               createdb)
#   memcached                               0.4 s     0.4-1.1 s    0.06 s
#   dnsmasq                                 0.2 s     0.5-1.7 s    0.07 s
#   mosquitto                               0.4 s     0.9-1.9 s    0.09 s
#   all eight, one after the other          40 s      50-95 s      3.3 s
# (The idle postgres figure predates TZ=UTC and setpriv, which saved
# about 12 s on a loaded guest.)
# Postgres is the slow one: initdb bootstraps a whole cluster (start it
# in the background, apart from the others, as dpi_test.c does). Every
# server runs as root but postgres (which refuses to), and none of them
# keeps anything worth keeping: no fsync, no persistence, tiny buffers.
# Stop them with srv_stop DIR (by their pid files) or by killing the
# cgroup or netns they run in.

# Readiness is read from /proc/net/{tcp,tcp6,udp}, not probed with a
# connection: a probe would show up in the recorded pcaps and flow tables,
# and ss(8) would cost an exec per poll (0.1-0.5 s each under TCG).

# The addresses the DNS server answers for allowed.test and blocked.test.
: "${SRV_ADDR4:=10.99.0.2}"
: "${SRV_ADDR6:=fd99::2}"
readonly SRV_ALL=(nginx sshd redis mariadb postgres memcached dnsmasq mosquitto)
readonly SRV_PG_BIN=/usr/lib/postgresql/15/bin

srv_help() {
	cat <<'EOF'
Clients, with SRV at the servers' address and DIR the scratch directory:
  curl http://SRV/index.html -H 'Host: allowed.test'
  curl --resolve allowed.test:443:SRV -k https://allowed.test/ (--http1.1, --http2)
  curl --http2-prior-knowledge http://SRV:8080/
  ssh -F /dev/null -i DIR/client_key -o BatchMode=yes -o StrictHostKeyChecking=no \
      -o UserKnownHostsFile=/dev/null root@SRV true
  redis-cli -h SRV ping
  mariadb --skip-ssl -h SRV -u shop -D shop -e 'SELECT 1'   (any user: no grant tables)
  psql -h SRV -U shop -d shop -c 'SELECT 1'                  (trust auth)
  printf 'stats\r\nquit\r\n' | socat - TCP:SRV:11211
  dig @SRV allowed.test A (+tcp); www.allowed.test is a CNAME to it
  mosquitto_pub -h SRV -t t -m m (-V mqttv5); anonymous
EOF
}

# srv_port_ready PROTO PORT: whether something in this netns listens on
# TCP PORT (or has UDP PORT bound); bash only, no exec.
srv_port_ready() {
	local hex file _ local_addr state
	hex=$(printf ':%04X' "$2")
	for file in /proc/net/"$1" /proc/net/"$1"6; do
		[[ -r $file ]] || continue
		while read -r _ local_addr _ state _; do
			[[ $local_addr == *"$hex" ]] || continue
			# TCP_LISTEN is 0A; a bound UDP socket is TCP_CLOSE, 07.
			[[ $1 == udp || $state == 0A ]] && return 0
		done <"$file"
	done
	return 1
}

# srv_wait NAME TEST...: polls TEST every 50 ms for up to 60 s (postgres'
# initdb alone takes most of 10 s under TCG); prints the log on failure.
srv_wait() {
	local name=$1 i
	shift
	for ((i = 0; i < 1200; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	echo "servers: $name did not start; its log:" >&2
	cat "$SRV_DIR/$name.log" >&2 2>/dev/null
	return 1
}

srv_nginx() {
	local d=$SRV_DIR/nginx
	mkdir -p "$d/www" "$d/tmp"
	echo 'hello from cellwall' >"$d/www/index.html"
	# One certificate for both names: clients choose by SNI alone. EC keys
	# are generated in a few ms where RSA takes a second under TCG.
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-days 3650 -subj /CN=allowed.test \
		-addext subjectAltName=DNS:allowed.test,DNS:blocked.test \
		-keyout "$d/key.pem" -out "$d/cert.pem" 2>/dev/null || return
	# nginx 1.22: "listen ... http2" without ssl is h2c with prior
	# knowledge only (no Upgrade: h2c).
	cat >"$d/nginx.conf" <<EOF
user root;
worker_processes 1;
pid $d/nginx.pid;
error_log $SRV_DIR/nginx.log;
events { worker_connections 64; }
http {
	access_log off;
	default_type text/plain;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	root $d/www;
	server {
		listen 80;
		listen [::]:80;
		listen 443 ssl http2;
		listen [::]:443 ssl http2;
		server_name allowed.test blocked.test;
		ssl_certificate $d/cert.pem;
		ssl_certificate_key $d/key.pem;
	}
	server {
		listen 8080 http2;
		listen [::]:8080 http2;
	}
}
EOF
	nginx -p "$d" -c "$d/nginx.conf" -e "$SRV_DIR/nginx.log" || return
	srv_wait nginx srv_port_ready tcp 8080
}

srv_sshd() {
	local d=$SRV_DIR/ssh
	mkdir -p "$d"
	# sshd wants its privilege separation directory, absent in the guest.
	mkdir -p /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" || return
	ssh-keygen -q -t ed25519 -N '' -f "$SRV_DIR/client_key" || return
	cp "$SRV_DIR/client_key.pub" "$d/authorized_keys"
	cat >"$d/sshd_config" <<EOF
Port 22
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
EOF
	# sshd must be started by its absolute path (it re-executes itself).
	/usr/sbin/sshd -f "$d/sshd_config" -E "$SRV_DIR/sshd.log" || return
	srv_wait sshd srv_port_ready tcp 22
}

srv_redis() {
	mkdir -p "$SRV_DIR/redis"
	redis-server --port 6379 --bind '* -::*' --protected-mode no --save '' \
		--appendonly no --dir "$SRV_DIR/redis" --daemonize yes \
		--pidfile "$SRV_DIR/redis/redis.pid" --logfile "$SRV_DIR/redis.log" || return
	srv_wait redis srv_port_ready tcp 6379
}

srv_mariadb() {
	local d=$SRV_DIR/mariadb
	# No mariadb-install-db (about 10 s under TCG): an empty datadir and no
	# grant tables, so that any user may log in; a database is a directory.
	mkdir -p "$d/data/shop"
	# Without InnoDB (the default engine's redo log and system tablespace
	# cost most of the start); Aria is enough for a handshake and a SELECT.
	mariadbd --no-defaults --user=root --datadir="$d/data" --socket="$d/mysqld.sock" \
		--pid-file="$d/mysqld.pid" --port=3306 --bind-address='*' \
		--skip-grant-tables --skip-name-resolve --skip-log-bin --innodb=OFF \
		--default-storage-engine=Aria --default-tmp-storage-engine=Aria \
		--performance-schema=OFF --skip-ssl --aria-pagecache-buffer-size=1M \
		--key-buffer-size=64K --max-connections=20 --log-error="$SRV_DIR/mariadb.log" \
		</dev/null >/dev/null 2>&1 &
	srv_wait mariadb srv_port_ready tcp 3306
}

srv_postgres() {
	local d=$SRV_DIR/postgres
	mkdir -p "$d"
	chown postgres: "$d"
	# initdb -N: no fsync; locale C: no locale checks; TZ set: no scan of
	# the zoneinfo files for a match (9 s under TCG); the superuser is
	# "shop", trusted from anywhere.
	TZ=UTC srv_as_postgres "$SRV_PG_BIN/initdb" -N -A trust -U shop -E UTF8 --locale=C \
		-D "$d/data" >"$SRV_DIR/postgres.log" 2>&1 || { cat "$SRV_DIR/postgres.log" >&2; return 1; }
	printf 'host all all 0.0.0.0/0 trust\nhost all all ::/0 trust\n' >>"$d/data/pg_hba.conf"
	TZ=UTC srv_as_postgres "$SRV_PG_BIN/postgres" -D "$d/data" -k "$d" -h '*' -p 5432 \
		-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
		-c shared_buffers=512kB -c max_connections=10 -c wal_level=minimal \
		-c max_wal_senders=0 -c autovacuum=off -c dynamic_shared_memory_type=mmap \
		-c logging_collector=off </dev/null >>"$SRV_DIR/postgres.log" 2>&1 &
	# postmaster.pid says "ready" once connections are accepted.
	srv_wait postgres srv_pg_ready "$d/data/postmaster.pid" || return
	srv_as_postgres "$SRV_PG_BIN/createdb" -h "$d" -U shop shop
}

# Runs a command as user postgres: setpriv, not runuser or su, whose PAM
# session costs about 2 s under TCG.
srv_as_postgres() {
	setpriv --reuid=postgres --regid=postgres --init-groups "$@"
}

srv_pg_ready() {
	[[ -r $1 && $(<"$1") == *ready* ]]
}

srv_memcached() {
	memcached -d -u root -p 11211 -U 0 -l '0.0.0.0,[::]' -m 8 -c 64 -t 1 \
		-P "$SRV_DIR/memcached.pid" 2>"$SRV_DIR/memcached.log" || return
	srv_wait memcached srv_port_ready tcp 11211
}

srv_dnsmasq() {
	# Answers allowed.test, blocked.test and the CNAME www.allowed.test
	# itself; anything else under .test is NXDOMAIN; nothing is forwarded.
	dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --no-poll --user=root \
		--port=53 --local=/test/ --pid-file="$SRV_DIR/dnsmasq.pid" \
		--log-facility="$SRV_DIR/dnsmasq.log" \
		--host-record="allowed.test,$SRV_ADDR4,$SRV_ADDR6" \
		--host-record="blocked.test,$SRV_ADDR4,$SRV_ADDR6" \
		--cname=www.allowed.test,allowed.test || return
	srv_wait dnsmasq srv_port_ready udp 53 && srv_wait dnsmasq srv_port_ready tcp 53
}

srv_mosquitto() {
	local d=$SRV_DIR/mosquitto
	mkdir -p "$d"
	cat >"$d/mosquitto.conf" <<EOF
listener 1883
allow_anonymous true
persistence false
user root
pid_file $d/mosquitto.pid
log_dest file $SRV_DIR/mosquitto.log
EOF
	# It warns on stderr about running as root: to its log.
	mosquitto -d -c "$d/mosquitto.conf" 2>>"$SRV_DIR/mosquitto.log" || return
	srv_wait mosquitto srv_port_ready tcp 1883
}

# srv_start DIR SERVER...: starts each SERVER ("all": every one) in this
# netns, state under DIR; prints "servers: NAME 1.234 s" per server on
# stderr when SRV_TIMES=1. Fails at the first one that does not start.
srv_start() {
	local name start
	SRV_DIR=$1
	shift
	mkdir -p "$SRV_DIR"
	# postgres reads its directory as itself.
	chmod 755 "$SRV_DIR"
	(($#)) || set -- all
	[[ $* == all ]] && set -- "${SRV_ALL[@]}"
	for name in "$@"; do
		start=$EPOCHREALTIME
		"srv_$name" || { echo "servers: $name failed" >&2; return 1; }
		[[ ${SRV_TIMES:-0} != 1 ]] ||
			echo "servers: $name $(srv_elapsed "$start") s" >&2
	done
}

# Seconds since EPOCHREALTIME value $1, to the millisecond, without bc.
srv_elapsed() {
	local now=${EPOCHREALTIME/./} then=${1/./} ms
	ms=$(((now - then) / 1000))
	printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

# srv_start_in NETNS DIR SERVER...: srv_start in network namespace NETNS.
srv_start_in() {
	local ns=$1
	shift
	ip netns exec "$ns" bash "${BASH_SOURCE[0]}" "$@"
}

# srv_stop DIR: stops what srv_start DIR started, by its pid files.
srv_stop() {
	local pidfile
	for pidfile in "$1"/*.pid "$1"/*/*.pid "$1"/postgres/data/postmaster.pid; do
		[[ -r $pidfile ]] && kill "$(head -n 1 "$pidfile")" 2>/dev/null
	done
	return 0
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	if (($# < 1)) || [[ $1 == -h ]]; then
		echo "usage: $0 DIR [SERVER...|all]  (servers: ${SRV_ALL[*]})" >&2
		srv_help >&2
		exit 1
	fi
	srv_start "$@"
fi
