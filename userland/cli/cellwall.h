/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CW_CLI_H
#define CW_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const char *prog;

int status_main(int argc, char *argv[]);
int version_main(int argc, char *argv[]);
int group_main(int argc, char *argv[]);
int mode_main(int argc, char *argv[]);
int workload_main(int argc, char *argv[]);
int addr_main(int argc, char *argv[]);
int domain_main(int argc, char *argv[]);
int rule_main(int argc, char *argv[]);
int policy_main(int argc, char *argv[]);
int flows_main(int argc, char *argv[]);
int events_main(int argc, char *argv[]);
int threats_main(int argc, char *argv[]);
int threat_main(int argc, char *argv[]);

struct cw_nl;
struct cw_names;
struct cw_group_info;
struct cw_workload_info;
struct json_t;

/* A decimal number, or false after saying it is not one. */
bool parse_u32(const char *text, uint32_t *value);
/* The group named @name in @groups, or NULL after saying there is none. */
const struct cw_group_info *find_group(const struct cw_group_info *groups, size_t count,
				       const char *name);
/* The same for workloads. */
const struct cw_workload_info *find_workload(const struct cw_workload_info *workloads,
					     size_t count, const char *name);
/* Fills @names with every group and workload; cw_names_free() frees them. */
int load_names(struct cw_nl *nl, struct cw_names *names);
void free_names(struct cw_names *names);
/* Prints @json (which it consumes) indented, with a newline; 0 or 1. */
int print_json(struct json_t *json);

/* Prints why a netlink call failed, in the user's terms. */
void print_nl_error(int err, const char *errmsg);

/* A connection to the module, or NULL after saying why there is none. */
struct cw_nl *open_nl(void);

/* Runs a netlink call on @nl, printing its error the user's way. */
#define NL_CALL(nl, call) ({						\
	int __ret = (call);						\
	if (__ret)							\
		print_nl_error(__ret, cw_nl_errmsg(nl));		\
	__ret;								\
})

#endif /* CW_CLI_H */
