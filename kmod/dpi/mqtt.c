// SPDX-License-Identifier: GPL-2.0
/*
 * MQTT: the client speaks first with CONNECT (v3.1.1 §3.1, v5.0 §3.1):
 * fixed header 0x10, Remaining Length (a varint of 1-4 bytes), protocol
 * name "MQTT" with level 4 or 5, or "MQIsdp" with level 3 (v3.1), connect
 * flags, keep alive; v5 properties; then the payload: client identifier,
 * will properties, topic and payload, user name, password. name is the
 * client identifier, detail "user=NAME" when the user name flag is set.
 */

#include "parsers.h"

#define FLAG_USER	0x80
#define FLAG_WILL	0x04

/* Fields of CONNECT, in order; a length of 2 bytes or a varint first. */
enum step {
	S_TYPE, S_REMAINING, S_NAME_LEN, S_NAME, S_LEVEL, S_FLAGS, S_KEEPALIVE,
	S_PROPS_LEN, S_PROPS, S_ID_LEN, S_ID, S_WILL_PROPS_LEN, S_WILL_PROPS,
	S_TOPIC_LEN, S_TOPIC, S_MESSAGE_LEN, S_MESSAGE, S_USER_LEN, S_USER, S_DONE,
};

struct mqtt_state {
	u32 value;	/* the length being read */
	u32 left;	/* bytes left of the length, or of the field */
	u32 rest;	/* bytes left of CONNECT after its fixed header */
	u8 step;
	u8 shift;	/* varint: bits read */
	u8 level;
	u8 flags;
};

/* The number of bytes of the fixed header, 0 if not yet known, -1 if bad. */
static int remaining_length(const u8 *data, u32 len, u32 *value)
{
	u32 i;

	*value = 0;
	for (i = 1; i < len && i <= 4; i++) {
		*value |= (u32)(data[i] & 0x7f) << (7 * (i - 1));
		if (!(data[i] & 0x80))
			return i + 1;
	}
	return i > 4 ? -1 : 0;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 remaining, need, name_len, level, flags;
	const u8 *p;
	int hdr;

	if (!client || d->inspected[0] || d->inspected[1] || (d->head_len && !d->head_client))
		return CW_DPI_NO;
	if (data[0] != 0x10)	/* CONNECT, its flags reserved (§2.1.3) */
		return CW_DPI_NO;
	hdr = remaining_length(data, len, &remaining);
	if (hdr < 0)
		return CW_DPI_NO;
	if (!hdr || len < (u32)hdr + 2)
		return CW_DPI_MORE;
	p = data + hdr;
	name_len = cw_get_be16(p);
	if (name_len != 4 && name_len != 6)
		return CW_DPI_NO;
	/* Name, level, flags, keep alive, client identifier length. */
	need = 2 + name_len + 1 + 1 + 2 + 2;
	if (remaining < need)
		return CW_DPI_NO;
	if (len < (u32)hdr + need - 4)
		return CW_DPI_MORE;
	level = p[2 + name_len] & 0x7f;	/* bit 7: a mosquitto bridge */
	flags = p[2 + name_len + 1];
	if (name_len == 4 ? memcmp(p + 2, "MQTT", 4) || (level != 4 && level != 5) :
			    memcmp(p + 2, "MQIsdp", 6) || level != 3)
		return CW_DPI_NO;
	/* Reserved flag; no will: no will QoS nor retain; QoS 3 (§3.1.2.3). */
	if ((flags & 0x01) || (!(flags & FLAG_WILL) && (flags & 0x38)) ||
	    (flags & 0x18) == 0x18)
		return CW_DPI_NO;
	/* v3: a password needs a user name (v3.1.1 §3.1.2.9). */
	if (level != 5 && (flags & 0x40) && !(flags & FLAG_USER))
		return CW_DPI_NO;
	return CW_DPI_YES;
}

/* The step after the one just finished. */
static u8 next_step(const struct mqtt_state *s)
{
	switch (s->step) {
	case S_KEEPALIVE:
		return s->level == 5 ? S_PROPS_LEN : S_ID_LEN;
	case S_ID:
		if (s->flags & FLAG_WILL)
			return s->level == 5 ? S_WILL_PROPS_LEN : S_TOPIC_LEN;
		return s->flags & FLAG_USER ? S_USER_LEN : S_DONE;
	case S_MESSAGE:
		return s->flags & FLAG_USER ? S_USER_LEN : S_DONE;
	case S_USER:
		return S_DONE;
	default:
		return s->step + 1;
	}
}

/* Bytes to read for a step: its length, or the field's. */
static u32 step_size(const struct mqtt_state *s)
{
	switch (s->step) {
	case S_TYPE:
	case S_LEVEL:
	case S_FLAGS:
		return 1;
	case S_REMAINING:
	case S_PROPS_LEN:
	case S_WILL_PROPS_LEN:
		return 4;	/* a varint: up to 4 bytes */
	case S_NAME_LEN:
	case S_KEEPALIVE:
	case S_ID_LEN:
	case S_TOPIC_LEN:
	case S_MESSAGE_LEN:
	case S_USER_LEN:
		return 2;
	default:
		return s->value;
	}
}

static bool is_field(u8 step)
{
	return step == S_NAME || step == S_PROPS || step == S_ID || step == S_WILL_PROPS ||
	       step == S_TOPIC || step == S_MESSAGE || step == S_USER;
}

static void advance(struct mqtt_state *s)
{
	if (s->step == S_REMAINING)
		s->rest = s->value;
	s->step = next_step(s);
	s->left = step_size(s);
	s->value = 0;
	s->shift = 0;
	/* A length that lies: past the end of CONNECT. */
	if (is_field(s->step) && s->left > s->rest)
		s->step = S_DONE;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct mqtt_state *s = CW_DPI_STATE(d, struct mqtt_state);
	u32 i = 0, j, take;

	if (!client)
		return CW_DPI_MORE;
	if (s->step == S_TYPE && !s->left)
		s->left = 1;
	/* Each turn reads a byte or more, or ends a step: bounded. */
	while (s->step != S_DONE && (i < len || (is_field(s->step) && !s->left))) {
		u8 c;

		if (is_field(s->step)) {
			take = len - i < s->left ? len - i : s->left;
			if (s->step == S_ID)
				for (j = 0; j < take; j++)
					cw_dpi_name_put(info, data[i + j]);
			else if (s->step == S_USER)
				cw_dpi_detail_put(info, data + i, take);
		} else if (s->step == S_REMAINING || s->step == S_PROPS_LEN ||
			   s->step == S_WILL_PROPS_LEN) {
			take = 1;
			c = data[i];
			s->value |= (u32)(c & 0x7f) << s->shift;
			s->shift += 7;
			if (!(c & 0x80))
				s->left = 1;		/* its last byte */
			else if (s->left == 1)
				return CW_DPI_YES;	/* a fifth byte: bad */
		} else {
			take = 1;
			c = data[i];
			if (s->step == S_LEVEL)
				s->level = c & 0x7f;
			else if (s->step == S_FLAGS)
				s->flags = c;
			s->value = s->value << 8 | c;
		}
		if (s->step > S_REMAINING) {
			if (s->rest < take)
				return CW_DPI_YES;	/* past the end of CONNECT */
			s->rest -= take;
		}
		i += take;
		s->left -= take;
		if (s->left)
			continue;
		if (s->step == S_USER_LEN)
			cw_dpi_detail_put(info, (const u8 *)"user=", 5);
		advance(s);
	}
	return s->step == S_DONE ? CW_DPI_YES : CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_mqtt = {
	.name = "mqtt",
	.app = CW_APP_MQTT,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
