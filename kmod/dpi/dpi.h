/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol identification: compact state machines over the payload of one
 * connection, shared as-is by the kernel module and userland (unit tests,
 * fuzzers, the benchmark). Portable C: the only kernel types used are
 * u8..u64 and bool, mapped below for userland.
 *
 * The engine sees in-order chunks of each direction's payload (a chunk may
 * end anywhere, and may be 64 KiB). It never allocates and never buffers
 * the stream: all it keeps is struct cw_dpi, 64 bytes. What it extracts for
 * policy and events (host, SNI, path...) goes to struct cw_dpi_info.
 */
#ifndef _CW_DPI_H
#define _CW_DPI_H

#ifdef __KERNEL__
#include <linux/in.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif

#include "uapi/cellwall.h"	/* enum cw_app */

/* What a probe or a parser says about the bytes it saw. */
enum cw_dpi_result {
	CW_DPI_NO,	/* probe: not this protocol */
	CW_DPI_MORE,	/* wants more bytes to decide, or to extract */
	CW_DPI_YES,	/* probe: this protocol; parser: has all it wants */
};

enum cw_dpi_status {
	CW_DPI_IDENTIFYING,	/* probes still run */
	CW_DPI_INSPECTING,	/* identified; its parser extracts attributes */
	CW_DPI_DONE,		/* nothing more to see */
};

/* Bytes of a direction's start kept when a first chunk is too short. */
#define CW_DPI_HEAD 32
/* Bytes a parser may keep (its struct, checked by CW_DPI_STATE). */
#define CW_DPI_STATE_SIZE 40

/* The per-flow state: at most 64 bytes, checked in engine.c. */
struct cw_dpi {
	u32 candidates;		/* parsers still possible: bit i, parser i */
	u32 next_seq[2];	/* kernel, TCP: the next in-order byte */
	u16 inspected[2];	/* payload bytes seen, [0] client (saturates) */
	u8 chunks[2];		/* payload chunks seen (saturates at 255) */
	u8 app;			/* enum cw_app; CW_APP_UNKNOWN until known */
	u8 parser;		/* index of the parser that identified it */
	u8 status;		/* enum cw_dpi_status */
	u8 head_len;		/* identifying: bytes held in u.head */
	u8 head_client;		/* ... from the client (1) or the server (0) */
	u8 l4;			/* IPPROTO_TCP or IPPROTO_UDP */
	union {
		u8 head[CW_DPI_HEAD];
		u8 raw[CW_DPI_STATE_SIZE];
	} u __attribute__((aligned(8)));
};

/*
 * What was found, for policy and events. Strings are NUL-terminated,
 * truncated to fit; names (host, SNI, DNS name) are lowercased.
 */
#define CW_DPI_NAME_LEN 64
#define CW_DPI_DETAIL_LEN 32
struct cw_dpi_info {
	char name[CW_DPI_NAME_LEN];	/* HTTP host, TLS SNI, DNS name, DB user */
	char detail[CW_DPI_DETAIL_LEN];	/* "GET /path", ALPN, "db=x", SSH version */
	u16 version;			/* TLS: 0x0303...; SSH: 2; else 0 */
	u16 dns_type;			/* DNS: the question's QTYPE */
	u8 dns_rcode;			/* DNS: the response's RCODE */
	u8 name_len;			/* bytes in name (before the NUL) */
	u8 detail_len;
	u8 truncated;			/* name was longer than it could hold */
};

/* Transports a parser works on. */
#define CW_DPI_TCP 1
#define CW_DPI_UDP 2

struct cw_dpi_parser {
	const char *name;	/* for tests and the benchmark */
	u8 app;			/* enum cw_app it identifies (feed may refine) */
	u8 transports;		/* CW_DPI_TCP | CW_DPI_UDP */
	/*
	 * Identification, while the flow is unidentified: called for each
	 * chunk of either direction (@client: sent by the initiator) with
	 * @data at the chunk's start; d->inspected[] and d->chunks[] say how
	 * much came before it (both 0 for a direction's first chunk). When a
	 * direction's first chunk is shorter than CW_DPI_HEAD, the engine
	 * keeps it and probes again with the start of the direction (up to
	 * CW_DPI_HEAD bytes) when more arrives. Over UDP, a datagram is a
	 * whole message: MORE counts as NO. Must not touch d->u.
	 */
	enum cw_dpi_result (*probe)(const struct cw_dpi *d, bool client,
				    const u8 *data, u32 len);
	/*
	 * After identification: every chunk of both directions, in order,
	 * starting with the one whose probe said YES (from the direction's
	 * start when it was the head). d->u is zeroed before the first call.
	 * May set d->app to refine (HTTP/2 → gRPC). Returns CW_DPI_MORE to
	 * see more, CW_DPI_YES once it has all it wants. NULL: nothing to
	 * extract.
	 */
	enum cw_dpi_result (*feed)(struct cw_dpi *d, struct cw_dpi_info *info,
				   bool client, const u8 *data, u32 len);
};

/* A parser's state in d->u, checked at compile time to fit. */
#define CW_DPI_STATE(d, type)						\
	({								\
		_Static_assert(sizeof(type) <= CW_DPI_STATE_SIZE,	\
			       #type " is larger than CW_DPI_STATE_SIZE"); \
		(type *)(d)->u.raw;					\
	})

/* Starts a flow of transport @l4 (IPPROTO_TCP or IPPROTO_UDP). */
void cw_dpi_init(struct cw_dpi *d, u8 l4);

/*
 * One in-order chunk of payload (@len >= 1). Stops (CW_DPI_DONE) when the
 * flow's parser has all it wants, when no parser is left, or when the
 * flow's payload reached @max_bytes. Returns d->status.
 */
enum cw_dpi_status cw_dpi_feed(struct cw_dpi *d, struct cw_dpi_info *info,
			       bool client, const u8 *data, u32 len,
			       u32 max_bytes);

/* Names: "http", "mysql"...; NULL / CW_APP_UNKNOWN when there is none. */
const char *cw_app_name(unsigned int app);
unsigned int cw_app_by_name(const char *name);

extern const struct cw_dpi_parser *const cw_dpi_parsers[];
extern const unsigned int cw_dpi_parser_count;

/* Helpers for parsers. */

/* Appends @c to info->name, lowercased, '?' if not printable; counts what does not fit. */
void cw_dpi_name_put(struct cw_dpi_info *info, u8 c);
/* Appends @len bytes to info->detail (printable ASCII only, else '?'). */
void cw_dpi_detail_put(struct cw_dpi_info *info, const u8 *data, u32 len);
/*
 * @data starts with @prefix: YES; @data is shorter but a start of it:
 * MORE; else NO. The _nocase variant ignores ASCII case (write @prefix in
 * lower case).
 */
enum cw_dpi_result cw_dpi_match(const u8 *data, u32 len, const char *prefix);
enum cw_dpi_result cw_dpi_match_nocase(const u8 *data, u32 len, const char *prefix);

static inline u16 cw_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 cw_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u32 cw_get_le32(const u8 *p)
{
	return (u32)p[3] << 24 | (u32)p[2] << 16 | (u32)p[1] << 8 | p[0];
}

static inline u16 cw_get_le16(const u8 *p)
{
	return (u16)(p[1] << 8 | p[0]);
}

#endif /* _CW_DPI_H */
