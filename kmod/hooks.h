/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_HOOKS_H
#define _CW_HOOKS_H

struct net;

int cw_hooks_register(struct net *net);
void cw_hooks_unregister(struct net *net);

#endif /* _CW_HOOKS_H */
