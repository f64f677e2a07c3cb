/* SPDX-License-Identifier: GPL-2.0 */
/* libcellwall: a generic netlink client for the cellwall module. */
#ifndef CW_LIBCELLWALL_H
#define CW_LIBCELLWALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/cellwall.h"

struct nlmsghdr;
struct nl_msg;

enum cw_dir {
	CW_DIR_IN,
	CW_DIR_OUT,
	CW_DIR_FWD,
	CW_DIR_COUNT
};

struct cw_counters {
	uint64_t packets[CW_DIR_COUNT];
	uint64_t bytes[CW_DIR_COUNT];
};

struct cw_status {
	char version[64];
	bool enabled;
	uint32_t netns_count;
	struct cw_counters netns;
	struct cw_counters all;
};

struct cw_group_info {
	uint32_t id;
	uint8_t mode;
	char name[CW_NAME_MAX];
};

struct cw_nl;

/*
 * Every call returns 0 or a negative errno. -ENOENT from cw_nl_open() means
 * the module is not loaded; cw_nl_errmsg() holds the kernel's extack
 * message for the last failed request, or "".
 */
int cw_nl_open(struct cw_nl **nlp);
void cw_nl_close(struct cw_nl *nl);
const char *cw_nl_errmsg(const struct cw_nl *nl);

int cw_nl_status(struct cw_nl *nl, struct cw_status *status);

/* @name NULL or @mode CW_MODE_NONE: unchanged (both needed for a new one). */
int cw_nl_group_set(struct cw_nl *nl, uint32_t id, const char *name, uint8_t mode);
int cw_nl_group_del(struct cw_nl *nl, uint32_t id);
/* All groups, sorted by id, in a malloc'ed array the caller frees. */
int cw_nl_group_list(struct cw_nl *nl, struct cw_group_info **groups, size_t *count);

/* "discover", "monitor", "protect"; "-" for CW_MODE_NONE. */
const char *cw_mode_name(uint8_t mode);
/* The mode named @name, or CW_MODE_NONE. */
uint8_t cw_mode_parse(const char *name);

/*
 * The building blocks of every request: a message for command @cmd, and
 * its transaction, which consumes @msg and passes each reply to @parse
 * (may be NULL) until the kernel's ACK or error.
 */
struct nl_msg *cw_nl_msg_new(struct cw_nl *nl, uint8_t cmd);
struct nl_msg *cw_nl_dump_new(struct cw_nl *nl, uint8_t cmd);
int cw_nl_request(struct cw_nl *nl, struct nl_msg *msg,
		  int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg);

/* Parse one reply; exposed for the unit tests. */
int cw_status_parse(struct nlmsghdr *nlh, struct cw_status *status);
int cw_group_parse(struct nlmsghdr *nlh, struct cw_group_info *group);

#endif /* CW_LIBCELLWALL_H */
