/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pcap file as flows, for make bench-dpi and the pcap unit test: each
 * IPv4/IPv6 TCP or UDP packet goes to its 5-tuple's flow, whose initiator
 * (client) sent the SYN, else the first packet. Each TCP direction is
 * reassembled the way the kernel sees it: in-order bytes only, retransmitted
 * bytes skipped, nothing more after a gap.
 */
#ifndef CW_PCAPFLOW_H
#define CW_PCAPFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pf_packet {
	const uint8_t *ip;	/* the IP header on, as captured */
	uint32_t ip_len;
	const uint8_t *data;	/* this direction's new in-order bytes, in ip[] */
	uint32_t len;		/* 0: none, retransmitted, or after a gap */
	uint32_t l4_len;	/* payload as captured: a payload packet if > 0 */
	bool client;		/* sent by the initiator */
	uint64_t time_ms;
};

struct pf_flow {
	uint8_t l4;		/* IPPROTO_TCP or IPPROTO_UDP */
	char name[112];		/* "tcp 10.0.0.1:41000 > 10.0.0.2:80" */
	struct pf_packet *pkts;
	unsigned int n_pkts;
	unsigned int payload_pkts;	/* with l4_len > 0 */
	bool gap[2];		/* [0] client: stopped at missing bytes */

	/* Private to pcapflow.c. */
	unsigned int cap, next;
	uint8_t key[38];	/* l4, IP version, client addr, server addr, ports */
	uint32_t next_seq[2];
	bool seq_known[2], closed;
};

struct pf_capture {
	struct pf_flow *flows;	/* in the order of their first packet */
	unsigned int n_flows;
	unsigned long packets;	/* in the file */
	unsigned long ignored;	/* not TCP/UDP over IP, fragments, malformed */

	/* Private to pcapflow.c. */
	unsigned int cap, *buckets;
};

/* Reads @path whole: 0, or -1 with a message in @err. */
int pf_load(const char *path, struct pf_capture *c, char *err, size_t err_len);
void pf_free(struct pf_capture *c);

#endif /* CW_PCAPFLOW_H */
