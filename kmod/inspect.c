// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol identification in the packet path: the in-order payload of each
 * TCP and UDP flow goes to the DPI engine (dpi/), 64 bytes of state per
 * flow, until it has identified the application and read its attributes,
 * or net.cellwall.dpi_max_bytes went by. TCP is put in order by sequence
 * number: the old bytes of a retransmission are skipped, and a segment
 * past a gap is not parsed (the caller may drop it: TCP sends it again).
 */

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

/* @len payload bytes at @off, in as few calls to the engine as it takes. */
static void feed(struct cw_flow *flow, const struct sk_buff *skb, unsigned int off,
		 unsigned int len, bool client)
{
	u32 max_bytes = READ_ONCE(cw_dpi_max_bytes);
	u8 buf[CW_INSPECT_PIECE];

	/* A datagram is one message: its parsers must see it in one call. */
	if (off + len <= skb_headlen(skb) || flow->dpi.l4 == IPPROTO_UDP) {
		const u8 *data;

		if (off + len > skb_headlen(skb))
			len = min_t(unsigned int, len, sizeof(buf));
		data = skb_header_pointer(skb, off, len, buf);
		if (data)
			cw_dpi_feed(&flow->dpi, &flow->info, client, data, len, max_bytes);
		return;
	}
	while (len && flow->dpi.status != CW_DPI_DONE) {
		unsigned int piece = min_t(unsigned int, len, sizeof(buf));
		const u8 *data = skb_header_pointer(skb, off, piece, buf);

		if (!data)
			return;
		cw_dpi_feed(&flow->dpi, &flow->info, client, data, piece, max_bytes);
		off += piece;
		len -= piece;
	}
}

enum cw_inspect_result cw_inspect(struct cw_flow *flow, const struct sk_buff *skb,
				  const struct cw_packet *pkt, bool reply)
{
	unsigned int off = pkt->payload_off, len = pkt->payload_len, dir = reply;
	enum cw_inspect_result ret = CW_INSPECT_PASS;
	struct cw_dpi *d = &flow->dpi;
	u8 status;
	u32 seq;
	s32 ahead;

	if (flow->dpi_off || READ_ONCE(d->status) == CW_DPI_DONE)
		return CW_INSPECT_PASS;

	spin_lock_bh(&flow->dpi_lock);
	status = d->status;
	if (status == CW_DPI_DONE)
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
		feed(flow, skb, off, len, !reply);
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
