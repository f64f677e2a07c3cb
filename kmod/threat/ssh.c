// SPDX-License-Identifier: GPL-2.0
/*
 * SSH (RFC 4253 §4.2): each side's identification string,
 * "SSH-protoversion-softwareversion". Protocol 1 ("SSH-1.5-") is broken
 * beyond repair; "SSH-1.99-" means 2.0 with 1 as a fallback (§5.1), so it
 * only counts when the other side answers with a 1.x of its own, which is
 * then flagged by itself. A server may send other lines first (§4.2).
 */

#include "threat.h"

/* Lines before the identification string, and its protoversion's length. */
#define SSH_LINES_MAX 32
#define SSH_PROTO_MAX 16

enum { P_PREFIX, P_PROTO, P_SKIP_LINE, P_DONE };

struct ssh_dir {
	u8 phase;
	u8 pos;		/* P_PREFIX: bytes of "SSH-" matched; P_PROTO: of protoversion */
	u8 lines;	/* lines skipped */
	u8 proto[4];	/* the start of protoversion */
};

struct ssh_state {
	struct ssh_dir dir[2];
};

/* The protoversion in @d ended: is it 1.x, other than 1.99? */
static bool proto_v1(const struct ssh_dir *d)
{
	if (d->pos < 3 || d->proto[0] != '1' || d->proto[1] != '.')
		return false;
	return !(d->pos == 4 && d->proto[2] == '9' && d->proto[3] == '9');
}

static u64 dir_byte(struct ssh_dir *d, u8 c)
{
	switch (d->phase) {
	case P_PREFIX:
		if (c == "SSH-"[d->pos]) {
			if (++d->pos == 4) {
				d->phase = P_PROTO;
				d->pos = 0;
			}
			return 0;
		}
		if (++d->lines > SSH_LINES_MAX) {
			d->phase = P_DONE;
			return 0;
		}
		d->phase = c == '\n' ? P_PREFIX : P_SKIP_LINE;
		d->pos = 0;
		return 0;
	case P_SKIP_LINE:
		if (c == '\n')
			d->phase = P_PREFIX;
		return 0;
	case P_PROTO:
		if (c == '-') {
			d->phase = P_DONE;
			return proto_v1(d) ? CW_THREAT_BIT(CW_THREAT_SSH_V1) : 0;
		}
		/* Not an identification string after all: nothing to check. */
		if (c < 0x21 || c > 0x7e || d->pos == SSH_PROTO_MAX) {
			d->phase = P_DONE;
			return 0;
		}
		if (d->pos < sizeof(d->proto))
			d->proto[d->pos] = c;
		d->pos++;
		return 0;
	}
	return 0;
}

static u64 scan(struct cw_threat_scan *s, const struct cw_threat_limits *limits,
		bool client, const u8 *data, u32 len, u32 now_ms)
{
	struct ssh_state *st = CW_THREAT_STATE(s, struct ssh_state);
	struct ssh_dir *d = &st->dir[!client];
	u64 found = 0;
	u32 i;

	for (i = 0; i < len && d->phase != P_DONE; i++)
		found |= dir_byte(d, data[i]);
	if (found || (st->dir[0].phase == P_DONE && st->dir[1].phase == P_DONE))
		s->done = 1;
	return found;
}

const struct cw_threat_checker cw_threat_ssh = {
	.name = "ssh",
	.app = CW_APP_SSH,
	.scan = scan,
};
