/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS responses for the kernel's DNS snooping: which addresses a name was
 * given, so that egress rules may name domains.
 */
#ifndef _CW_DPI_DNS_H
#define _CW_DPI_DNS_H

#include "dpi.h"

struct cw_dns_answer {
	u8 family;	/* 4 or 6 */
	u8 addr[16];	/* the first 4 bytes for family 4 */
	u32 ttl;	/* seconds (RFC 2181 §8: 0 when the top bit is set) */
};

/*
 * A whole DNS response message (a UDP payload): writes the question name
 * (lowercased, dotted, no trailing dot, NUL-terminated, at most
 * @name_size - 1 chars, else returns -1) to @name and up to @max A/AAAA
 * records of the answer section to @answers; returns how many, or -1 if
 * @data is not a well-formed response (QR=1, RCODE 0, QDCOUNT 1). Follows
 * compression pointers with a bound on the number of jumps (no loops),
 * never reads past @len.
 */
int cw_dns_response(const u8 *data, u32 len, char *name, u32 name_size,
		    struct cw_dns_answer *answers, unsigned int max);

#endif /* _CW_DPI_DNS_H */
