// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol identification in the packet path: the in-order payload of each
 * TCP and UDP flow goes to the DPI engine (dpi/), 64 bytes of state per
 * flow, until it has identified the application and read its attributes,
 * or net.cellwall.dpi_max_bytes went by; then to the application's threat
 * checks (threat/), up to net.cellwall.threat_max_bytes per direction. TCP is put in order by sequence
 * number: the old bytes of a retransmission are skipped, and a segment
 * past a gap is not parsed (the caller may drop it: TCP sends it again).
 */

#include "detect.h"
#include "inspect.h"
#include "sysctl.h"

#include <linux/skbuff.h>
#include <net/tcp.h>

/* A payload outside the skb's linear part is read in pieces of this size. */
#define CW_INSPECT_PIECE 256

/* The engine's status is what dumps show. */
static_assert((int)CW_DPI_IDENTIFYING == (int)CW_DPI_STATE_IDENTIFYING &&
	      (int)CW_DPI_INSPECTING == (int)CW_DPI_STATE_INSPECTING &&
	      (int)CW_DPI_DONE == (int)CW_DPI_STATE_DONE);

void cw_inspect_init(struct cw_flow *flow, const struct cw_packet *pkt)
{
	u8 proto = pkt->key.proto;

	spin_lock_init(&flow->dpi_lock);
	/* A TCP flow joined midway has no known start to parse from. */
	if (!READ_ONCE(cw_dpi_max_bytes) ||
	    (proto == IPPROTO_TCP && (pkt->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK)) != TCPHDR_SYN) ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP && proto != IPPROTO_UDPLITE)) {
		flow->dpi_off = 1;
		flow->dpi.status = CW_DPI_DONE;
		return;
	}
	cw_dpi_init(&flow->dpi, proto == IPPROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP);
}

u8 cw_inspect_state(const struct cw_flow *flow)
{
	return flow->dpi_off ? CW_DPI_STATE_OFF : READ_ONCE(flow->dpi.status);
}

/* Whether the flow's payload still goes to the DPI engine or to the threat checks. */
static bool inspecting(const struct cw_flow *flow)
{
	return READ_ONCE(flow->dpi.status) != CW_DPI_DONE ||
	       (READ_ONCE(flow->scan_on) && !READ_ONCE(flow->scan.done));
}

/*
 * Under dpi_lock: once the application is known, its threat checks start
 * (where this flow's checks run), from the direction's start: a first
 * chunk the engine kept as the head goes to them before the chunk at hand.
 */
static void start_scan(struct cw_flow *flow, const u8 *head, unsigned int head_len,
		       bool head_client, u64 *threats)
{
	u32 now = jiffies_to_msecs(jiffies);

	WRITE_ONCE(flow->scan_on, 1);
	if (!cw_threat_scan_init(&flow->scan, flow->dpi.app) || !cw_detect_wanted(flow)) {
		flow->scan.done = 1;
		return;
	}
	flow->scan.l4 = flow->dpi.l4;
	if (head_len)
		*threats |= cw_threat_scan(&flow->scan, &cw_threat_limits, head_client, head,
					   head_len, now, READ_ONCE(cw_threat_max_bytes));
}

/* Under dpi_lock: one piece of in-order payload to the engine and the checks. */
static void feed_piece(struct cw_flow *flow, bool client, const u8 *data, u32 len,
		       u64 *threats)
{
	struct cw_dpi *d = &flow->dpi;
	u8 head[CW_DPI_HEAD];
	unsigned int head_len = 0;
	bool head_client = false;

	if (d->status != CW_DPI_DONE) {
		/* The engine may identify the flow from the head it kept. */
		if (d->status == CW_DPI_IDENTIFYING && d->head_len) {
			head_len = d->head_len;
			head_client = d->head_client;
			memcpy(head, d->u.head, head_len);
		}
		cw_dpi_feed(d, &flow->info, client, data, len, READ_ONCE(cw_dpi_max_bytes));
	}
	if (!flow->scan_on && d->app != CW_APP_UNKNOWN)
		start_scan(flow, head, head_len, head_client, threats);
	if (flow->scan_on && !flow->scan.done)
		*threats |= cw_threat_scan(&flow->scan, &cw_threat_limits, client, data, len,
					   jiffies_to_msecs(jiffies),
					   READ_ONCE(cw_threat_max_bytes));
}

/* @len payload bytes at @off, in as few pieces as it takes. */
static void feed(struct cw_flow *flow, const struct sk_buff *skb, unsigned int off,
		 unsigned int len, bool client, u64 *threats)
{
	u8 buf[CW_INSPECT_PIECE];

	/* A datagram is one message: its parsers must see it in one call. */
	if (off + len <= skb_headlen(skb) || flow->dpi.l4 == IPPROTO_UDP) {
		const u8 *data;

		/* Its start only, when it is not in the linear part. */
		flow->scan.datagram_len = len;
		if (off + len > skb_headlen(skb))
			len = min_t(unsigned int, len, sizeof(buf));
		data = skb_header_pointer(skb, off, len, buf);
		if (data)
			feed_piece(flow, client, data, len, threats);
		return;
	}
	while (len && inspecting(flow)) {
		unsigned int piece = min_t(unsigned int, len, sizeof(buf));
		const u8 *data = skb_header_pointer(skb, off, piece, buf);

		if (!data)
			return;
		feed_piece(flow, client, data, piece, threats);
		off += piece;
		len -= piece;
	}
}

enum cw_inspect_result cw_inspect(struct cw_flow *flow, const struct sk_buff *skb,
				  const struct cw_packet *pkt, bool reply, u64 *threats)
{
	unsigned int off = pkt->payload_off, len = pkt->payload_len, dir = reply;
	enum cw_inspect_result ret = CW_INSPECT_PASS;
	struct cw_dpi *d = &flow->dpi;
	u8 status;
	u32 seq;
	s32 ahead;

	if (flow->dpi_off || !inspecting(flow))
		return CW_INSPECT_PASS;

	spin_lock_bh(&flow->dpi_lock);
	status = d->status;
	if (!inspecting(flow))
		goto out;
	if (d->l4 == IPPROTO_TCP) {
		seq = pkt->seq;
		if (pkt->tcp_flags & TCPHDR_SYN) {
			/* The SYN takes one sequence number; data may follow it. */
			seq++;
			d->next_seq[dir] = seq;
			flow->dpi_seq_known |= BIT(dir);
		}
		/* A connection that ends before it said enough stays unknown. */
		if (pkt->tcp_flags & (TCPHDR_FIN | TCPHDR_RST) && status == CW_DPI_IDENTIFYING) {
			d->status = CW_DPI_DONE;
			goto out;
		}
		if (!len)
			goto out;
		if (!(flow->dpi_seq_known & BIT(dir))) {
			/* Data before the handshake's answer: nothing to order it by. */
			d->status = CW_DPI_DONE;
			flow->scan.done = 1;
			goto out;
		}
		ahead = (s32)(seq - d->next_seq[dir]);
		if (ahead > 0) {
			ret = CW_INSPECT_AHEAD;
			goto out;
		}
		if ((u32)-ahead >= len)
			goto out;	/* all seen before */
		off += -ahead;
		len -= -ahead;
		d->next_seq[dir] += len;
	}
	if (len)
		feed(flow, skb, off, len, !reply, threats);
out:
	if (d->status != status)
		ret = CW_INSPECT_CHANGED;
	spin_unlock_bh(&flow->dpi_lock);
	return ret;
}

void cw_flow_app(struct cw_flow *flow, struct cw_flow_app *app)
{
	spin_lock_bh(&flow->dpi_lock);
	app->dpi = cw_inspect_state(flow);
	app->app = flow->dpi.app;
	app->info = flow->info;
	spin_unlock_bh(&flow->dpi_lock);
	app->mismatch = READ_ONCE(flow->mismatch);
}
