/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_NETLINK_H
#define _CW_NETLINK_H

#include <linux/types.h>

struct cw_event;

/* Whether anyone listens to the events group (cheap, any context). */
bool cw_nl_event_listeners(void);
/* Process context: sends one event to the events group. */
void cw_nl_event_send(const struct cw_event *ev);

int cw_genl_init(void);
void cw_genl_uninit(void);

#endif /* _CW_NETLINK_H */
