/* SPDX-License-Identifier: GPL-2.0 */
/* libcellwall's own: shared between its netlink files, not exported. */
#ifndef CW_LIB_INTERNAL_H
#define CW_LIB_INTERNAL_H

#include "libcellwall.h"

struct nl_sock;
struct nlattr;

struct cw_nl {
	struct nl_sock *sock;
	int family;
	uint32_t erroff;
	char errmsg[256];
};

/*
 * Dumps @cmd into a malloc'ed array of @elem-sized items, each filled by
 * @parse (which gets the item's slot); retries a dump the kernel
 * interrupted because the table changed.
 */
int cw_nl_dump_all(struct cw_nl *nl, uint8_t cmd, size_t elem,
		   int (*parse)(struct nlmsghdr *nlh, void *item),
		   void **items, size_t *count);

/* Parses the CW_FLOW_A_* attributes inside @nest. */
int cw_flow_attrs_parse(struct nlattr *nest, struct cw_flow_info *flow);

#endif /* CW_LIB_INTERNAL_H */
