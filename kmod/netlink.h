/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_NETLINK_H
#define _CW_NETLINK_H

int cw_genl_init(void);
void cw_genl_uninit(void);

#endif /* _CW_NETLINK_H */
