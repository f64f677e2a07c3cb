/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CW_CLI_H
#define CW_CLI_H

extern const char *prog;

int status_main(int argc, char *argv[]);
int version_main(int argc, char *argv[]);
int group_main(int argc, char *argv[]);
int mode_main(int argc, char *argv[]);

struct cw_nl;

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
