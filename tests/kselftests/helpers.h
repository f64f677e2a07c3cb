/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the guest tests: run commands, load the module, read
 * `cellwall status -j`. Paths come from the environment that
 * tests/kselftests/run.sh sets: CW_KO (the module), CW_CLI (the CLI).
 */
#ifndef CW_TEST_HELPERS_H
#define CW_TEST_HELPERS_H

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline const char *cw_env(const char *name)
{
	const char *value = getenv(name);

	if (!value || !*value) {
		fprintf(stderr, "%s is not set (run through tests/kselftests/run.sh)\n", name);
		exit(1);
	}
	return value;
}

/* Runs a shell command; returns its exit status, or -1 if it died. */
static inline int __attribute__((format(printf, 1, 2))) cw_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Runs a command, keeps its stdout and stderr in @out; returns its status. */
static inline int __attribute__((format(printf, 3, 4)))
cw_capture(char *out, size_t size, const char *fmt, ...)
{
	char cmd[4096];
	size_t len = 0;
	va_list ap;
	FILE *f;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (len + 1 < size) {
		size_t n = fread(out + len, 1, size - 1 - len, f);

		if (!n)
			break;
		len += n;
	}
	out[len] = '\0';
	status = pclose(f);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static inline bool cw_module_loaded(void)
{
	struct stat st;

	return stat("/sys/module/cellwall", &st) == 0;
}

static inline int cw_module_load(void)
{
	if (cw_module_loaded())
		return 0;
	/* insmod does not load dependencies; built in on debug kernels. */
	cw_sh("modprobe -qa nf_reject_ipv4 nf_reject_ipv6 2>/dev/null");
	return cw_sh("insmod %s", cw_env("CW_KO"));
}

static inline int cw_module_unload(void)
{
	if (!cw_module_loaded())
		return 0;
	return cw_sh("rmmod cellwall");
}

/* Waits up to @ms for cmd to succeed: a polling waiter, not a sleep. */
static inline bool __attribute__((format(printf, 2, 3)))
cw_wait_for(int ms, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int waited;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	for (waited = 0; waited < ms; waited += 50) {
		if (cw_sh("%s", cmd) == 0)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

/* `cellwall status -j`, run in @netns (NULL: the test's own). */
static inline json_t *cw_status(const char *netns)
{
	char cmd[1024];
	json_error_t error;
	json_t *root;
	FILE *f;

	if (netns)
		snprintf(cmd, sizeof(cmd), "ip netns exec %s %s status -j",
			 netns, cw_env("CW_CLI"));
	else
		snprintf(cmd, sizeof(cmd), "%s status -j", cw_env("CW_CLI"));
	f = popen(cmd, "r");
	if (!f)
		return NULL;
	root = json_loadf(f, 0, &error);
	if (pclose(f) != 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* One counter of a status: scope "netns" or "all", dir "in"/"out"/"forward",
 * what "packets" or "bytes". */
static inline uint64_t cw_counter(json_t *status, const char *scope,
				  const char *dir, const char *what)
{
	json_t *v = json_object_get(json_object_get(json_object_get(status, scope), dir), what);

	return json_is_integer(v) ? (uint64_t)json_integer_value(v) : UINT64_MAX;
}

#endif /* CW_TEST_HELPERS_H */
