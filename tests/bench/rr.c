// SPDX-License-Identifier: GPL-2.0
/*
 * rr: TCP request/response rate. One byte goes out, one byte comes back,
 * as fast as the path allows, for a number of seconds: what a chatty RPC
 * pays per transaction, where iperf3 measures bulk throughput.
 *
 *   rr -s PORT                  serve (IPv4 and IPv6), one client at a time
 *   rr -c HOST PORT SECONDS     prints "RATE transactions/s"
 */

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: rr -s PORT | rr -c HOST PORT SECONDS\n");
	return 2;
}

static void nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static int serve(const char *port)
{
	struct sockaddr_in6 addr = { .sin6_family = AF_INET6 };
	int fd, conn, zero = 0, one = 1;
	char byte;

	addr.sin6_port = htons(atoi(port));
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 16)) {
		perror("rr: listen");
		return 1;
	}
	for (;;) {
		conn = accept(fd, NULL, NULL);
		if (conn < 0) {
			if (errno == EINTR)
				continue;
			perror("rr: accept");
			return 1;
		}
		nodelay(conn);
		while (read(conn, &byte, 1) == 1 && write(conn, &byte, 1) == 1)
			;
		close(conn);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int client(const char *host, const char *port, double seconds)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	unsigned long long count = 0;
	double start, end;
	char byte = 'x';
	int fd, ret;

	ret = getaddrinfo(host, port, &hints, &ai);
	if (ret) {
		fprintf(stderr, "rr: %s: %s\n", host, gai_strerror(ret));
		return 1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		perror("rr: connect");
		return 1;
	}
	freeaddrinfo(ai);
	nodelay(fd);
	start = now();
	end = start + seconds;
	/* Check the clock every 64 transactions: it costs a syscall too. */
	do {
		for (int i = 0; i < 64; i++, count++) {
			if (write(fd, &byte, 1) != 1 || read(fd, &byte, 1) != 1) {
				perror("rr: transaction");
				return 1;
			}
		}
	} while (now() < end);
	printf("%.0f transactions/s\n", count / (now() - start));
	close(fd);
	return 0;
}

int main(int argc, char *argv[])
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && !strcmp(argv[1], "-s"))
		return serve(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "-c"))
		return client(argv[2], argv[3], atof(argv[4]));
	return usage();
}
