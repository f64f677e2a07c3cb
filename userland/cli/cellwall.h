/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CW_CLI_H
#define CW_CLI_H

extern const char *prog;

int status_main(int argc, char *argv[]);
int version_main(int argc, char *argv[]);
int group_main(int argc, char *argv[]);
int mode_main(int argc, char *argv[]);

/* Prints why a netlink call failed, in the user's terms. */
void print_nl_error(int err, const char *errmsg);

#endif /* CW_CLI_H */
