/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_INSPECT_H
#define _CW_INSPECT_H

#include "flow.h"

struct sk_buff;

enum cw_inspect_result {
	CW_INSPECT_PASS,	/* nothing new for the verdict */
	CW_INSPECT_CHANGED,	/* identified, or attributes complete: judge again */
	CW_INSPECT_AHEAD,	/* TCP: past a gap, not parsed */
};

/* A new flow: starts identification if its protocol and the sysctl allow. */
void cw_inspect_init(struct cw_flow *flow, const struct cw_packet *pkt);

/*
 * RCU, any context: gives the in-order payload of @skb to the flow's
 * parsers (at most net.cellwall.dpi_max_bytes per flow, in all) and threat
 * checks, whose findings are added to *@threats (CW_THREAT_BIT()s). Never
 * allocates; the flow's dpi_lock keeps the two directions in order.
 */
enum cw_inspect_result cw_inspect(struct cw_flow *flow, const struct sk_buff *skb,
				  const struct cw_packet *pkt, bool reply, u64 *threats);

/* Whether the flow's application is still unknown and being looked for. */
static inline bool cw_inspect_identifying(const struct cw_flow *flow)
{
	return !flow->dpi_off && READ_ONCE(flow->dpi.status) == CW_DPI_IDENTIFYING;
}

/* Whether the flow's payload still goes to its threat checks. */
static inline bool cw_inspect_scanning(const struct cw_flow *flow)
{
	return READ_ONCE(flow->scan_on) && !READ_ONCE(flow->scan.done);
}

/* enum cw_dpi_state of the flow, for dumps. */
u8 cw_inspect_state(const struct cw_flow *flow);

#endif /* _CW_INSPECT_H */
