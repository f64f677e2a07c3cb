// SPDX-License-Identifier: GPL-2.0
/* A pcap file as flows: see pcapflow.h. */

#include "pcapflow.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 65536u

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

/* One packet's headers, as parsed. */
struct hdr {
	uint8_t l4, version, flags;
	uint8_t src[16], dst[16];	/* IPv4: the first 4 bytes */
	uint16_t sport, dport;
	uint32_t seq;
	uint32_t payload_off;		/* from the IP header */
	uint32_t payload_cap;		/* bytes of payload captured */
	uint32_t payload_wire;		/* bytes of payload sent */
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The link layers tcpdump writes on Linux and elsewhere: the IP header. */
static const uint8_t *link_to_ip(int dlt, const uint8_t *p, uint32_t *len)
{
	uint32_t off, type = 0;

	switch (dlt) {
	case DLT_EN10MB:
		if (*len < 14)
			return NULL;
		type = be16(p + 12);
		for (off = 14; (type == 0x8100 || type == 0x88a8) && off + 4 <= *len; off += 4)
			type = be16(p + off + 2);
		break;
	case DLT_LINUX_SLL:
		off = 16;
		type = *len >= off ? be16(p + 14) : 0;
		break;
	case DLT_LINUX_SLL2:
		off = 20;
		type = *len >= off ? be16(p) : 0;
		break;
	case DLT_NULL:
	case DLT_LOOP:
		off = 4;	/* an address family, in host or network order */
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		off = 0;
		break;
	default:
		return NULL;
	}
	if (type && type != 0x0800 && type != 0x86dd)
		return NULL;
	if (*len <= off)
		return NULL;
	*len -= off;
	return p + off;
}

/* Parses IPv4/IPv6 and TCP/UDP; trims @len to the IP packet (no padding). */
static bool parse(const uint8_t *ip, uint32_t *len, struct hdr *h)
{
	uint32_t cap = *len, tot, off, l4_wire;
	const uint8_t *l4;

	memset(h, 0, sizeof(*h));
	h->version = ip[0] >> 4;
	if (h->version == 4) {
		if (cap < 20 || (ip[0] & 0xf) < 5)
			return false;
		off = (ip[0] & 0xf) * 4;
		tot = be16(ip + 2);
		if (!tot)		/* segmentation offload: as captured */
			tot = cap;
		if (tot < off || cap < off)
			return false;
		if (be16(ip + 6) & 0x3fff)	/* a fragment: not reassembled */
			return false;
		h->l4 = ip[9];
		memcpy(h->src, ip + 12, 4);
		memcpy(h->dst, ip + 16, 4);
	} else if (h->version == 6) {
		uint8_t next;

		if (cap < 40)
			return false;
		tot = be16(ip + 4) ? 40u + be16(ip + 4) : cap;
		memcpy(h->src, ip + 8, 16);
		memcpy(h->dst, ip + 24, 16);
		next = ip[6];
		off = 40;
		/* Hop-by-hop, routing and destination options: skipped. */
		while (next == 0 || next == 43 || next == 60) {
			if (off + 8 > cap)
				return false;
			next = ip[off];
			off += (ip[off + 1] + 1) * 8;
		}
		if (off > tot || off > cap)
			return false;
		h->l4 = next;
	} else {
		return false;
	}
	if (cap > tot)
		cap = tot;
	*len = cap;
	l4 = ip + off;
	l4_wire = tot - off;
	cap -= off;

	if (h->l4 == IPPROTO_TCP) {
		uint32_t doff;

		if (cap < 20 || l4_wire < 20)
			return false;
		doff = (l4[12] >> 4) * 4;
		if (doff < 20 || doff > l4_wire || doff > cap)
			return false;
		h->seq = be32(l4 + 4);
		h->flags = l4[13];
		off += doff;
		h->payload_wire = l4_wire - doff;
		h->payload_cap = cap - doff;
	} else if (h->l4 == IPPROTO_UDP) {
		if (cap < 8 || l4_wire < 8)
			return false;
		off += 8;
		h->payload_wire = l4_wire - 8;
		h->payload_cap = cap - 8;
	} else {
		return false;
	}
	h->sport = be16(l4);
	h->dport = be16(l4 + 2);
	h->payload_off = off;
	return true;
}

/* The key of a flow whose initiator is @src. */
static void make_key(uint8_t *key, const struct hdr *h, bool reverse)
{
	uint16_t sport = htons(reverse ? h->dport : h->sport);
	uint16_t dport = htons(reverse ? h->sport : h->dport);

	key[0] = h->l4;
	key[1] = h->version;
	memcpy(key + 2, reverse ? h->dst : h->src, 16);
	memcpy(key + 18, reverse ? h->src : h->dst, 16);
	memcpy(key + 34, &sport, 2);
	memcpy(key + 36, &dport, 2);
}

/* The same for both directions: hashes the smaller of the two keys. */
static unsigned int bucket_of(const uint8_t *fwd, const uint8_t *rev)
{
	const uint8_t *k = memcmp(fwd, rev, 38) < 0 ? fwd : rev;
	uint32_t hash = 2166136261u;	/* FNV-1a */

	for (int i = 0; i < 38; i++)
		hash = (hash ^ k[i]) * 16777619u;
	return hash % BUCKETS;
}

static void name_flow(struct pf_flow *f, const struct hdr *h, bool reverse)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int family = h->version == 4 ? AF_INET : AF_INET6;
	const char *fmt = h->version == 4 ? "%s %s:%u > %s:%u" : "%s [%s]:%u > [%s]:%u";

	inet_ntop(family, reverse ? h->dst : h->src, a, sizeof(a));
	inet_ntop(family, reverse ? h->src : h->dst, b, sizeof(b));
	snprintf(f->name, sizeof(f->name), fmt, h->l4 == IPPROTO_TCP ? "tcp" : "udp",
		 a, reverse ? h->dport : h->sport, b, reverse ? h->sport : h->dport);
}

static struct pf_flow *find_flow(struct pf_capture *c, const struct hdr *h, bool *client)
{
	uint8_t fwd[38], rev[38];
	unsigned int b, i;
	struct pf_flow *f;

	make_key(fwd, h, false);
	make_key(rev, h, true);
	b = bucket_of(fwd, rev);
	for (i = c->buckets[b]; i; i = c->flows[i - 1].next) {
		f = &c->flows[i - 1];
		*client = !memcmp(f->key, fwd, 38);
		if (*client || !memcmp(f->key, rev, 38))
			break;
	}
	/* A new connection on the ports of a closed one: a new flow. */
	if (i && !(h->l4 == IPPROTO_TCP && (h->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
		   c->flows[i - 1].closed))
		return &c->flows[i - 1];

	if (c->n_flows == c->cap) {
		unsigned int cap = c->cap ? 2 * c->cap : 64;
		struct pf_flow *flows = realloc(c->flows, cap * sizeof(*flows));

		if (!flows)
			return NULL;
		c->flows = flows;
		c->cap = cap;
	}
	f = &c->flows[c->n_flows];
	memset(f, 0, sizeof(*f));
	/* Caught after the SYN: the SYN-ACK's receiver initiated it. */
	*client = !(h->l4 == IPPROTO_TCP && (h->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK));
	memcpy(f->key, *client ? fwd : rev, 38);
	f->l4 = h->l4;
	name_flow(f, h, !*client);
	f->next = c->buckets[b];
	c->buckets[b] = ++c->n_flows;
	return f;
}

/* The bytes of a TCP segment that follow what its direction already gave. */
static void reassemble(struct pf_flow *f, const struct hdr *h, struct pf_packet *p)
{
	unsigned int dir = !p->client;
	bool syn = h->flags & TCP_SYN;
	uint32_t start = h->seq + syn, skip;
	int32_t ahead;

	if (syn && !f->seq_known[dir]) {
		f->next_seq[dir] = start;
		f->seq_known[dir] = true;
	}
	if (h->flags & (TCP_FIN | TCP_RST))
		f->closed = true;
	if (!h->payload_wire || f->gap[dir])
		return;
	if (!f->seq_known[dir]) {	/* caught mid-stream: start here */
		f->next_seq[dir] = start;
		f->seq_known[dir] = true;
	}
	ahead = (int32_t)(start - f->next_seq[dir]);
	if (ahead > 0) {
		f->gap[dir] = true;
		return;
	}
	skip = (uint32_t)-ahead;
	if (skip >= h->payload_wire)	/* all retransmitted */
		return;
	f->next_seq[dir] += h->payload_wire - skip;
	if (skip < h->payload_cap) {
		p->data += skip;
		p->len = h->payload_cap - skip;
	}
	if (h->payload_cap < h->payload_wire)	/* cut by the snap length */
		f->gap[dir] = true;
}

static int add_packet(struct pf_capture *c, const struct hdr *h, const uint8_t *ip,
		      uint32_t ip_len, uint64_t time_ms)
{
	struct pf_packet *p;
	struct pf_flow *f;
	uint8_t *copy;
	bool client;

	f = find_flow(c, h, &client);
	if (!f)
		return -1;
	if (f->n_pkts == f->cap) {
		unsigned int cap = f->cap ? 2 * f->cap : 16;
		struct pf_packet *pkts = realloc(f->pkts, cap * sizeof(*pkts));

		if (!pkts)
			return -1;
		f->pkts = pkts;
		f->cap = cap;
	}
	copy = malloc(ip_len);
	if (!copy)
		return -1;
	memcpy(copy, ip, ip_len);
	p = &f->pkts[f->n_pkts++];
	*p = (struct pf_packet){
		.ip = copy,
		.ip_len = ip_len,
		.data = copy + h->payload_off,
		.l4_len = h->payload_wire,
		.client = client,
		.time_ms = time_ms,
	};
	if (h->payload_wire)
		f->payload_pkts++;
	if (h->l4 == IPPROTO_TCP)
		reassemble(f, h, p);
	else
		p->len = h->payload_cap;
	return 0;
}

int pf_load(const char *path, struct pf_capture *c, char *err, size_t err_len)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const uint8_t *frame;
	pcap_t *pcap;
	int dlt, ret;

	memset(c, 0, sizeof(*c));
	pcap = pcap_open_offline(path, errbuf);
	if (!pcap) {
		snprintf(err, err_len, "%s", errbuf);
		return -1;
	}
	dlt = pcap_datalink(pcap);
	c->buckets = calloc(BUCKETS, sizeof(*c->buckets));
	if (!c->buckets) {
		snprintf(err, err_len, "%s: out of memory", path);
		pcap_close(pcap);
		return -1;
	}
	while ((ret = pcap_next_ex(pcap, &ph, &frame)) == 1) {
		uint32_t len = ph->caplen;
		const uint8_t *ip = link_to_ip(dlt, frame, &len);
		struct hdr h;

		c->packets++;
		if (!ip || !parse(ip, &len, &h)) {
			c->ignored++;
			continue;
		}
		if (add_packet(c, &h, ip, len,
			       (uint64_t)ph->ts.tv_sec * 1000 + ph->ts.tv_usec / 1000)) {
			snprintf(err, err_len, "%s: out of memory", path);
			ret = -3;
			break;
		}
	}
	if (ret == -1)
		snprintf(err, err_len, "%s: %s", path, pcap_geterr(pcap));
	pcap_close(pcap);
	if (ret != PCAP_ERROR_BREAK) {	/* -2: the end of the file */
		pf_free(c);
		return -1;
	}
	return 0;
}

void pf_free(struct pf_capture *c)
{
	for (unsigned int i = 0; i < c->n_flows; i++) {
		for (unsigned int j = 0; j < c->flows[i].n_pkts; j++)
			free((void *)c->flows[i].pkts[j].ip);
		free(c->flows[i].pkts);
	}
	free(c->flows);
	free(c->buckets);
	memset(c, 0, sizeof(*c));
}
