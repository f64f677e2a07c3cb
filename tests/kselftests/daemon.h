/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cellwalld in the guest tests: started as the test's child (so that its
 * exit status is the test's to see), its log in a file, and the workloads
 * it registers read back over netlink.
 */
#ifndef CW_TEST_DAEMON_H
#define CW_TEST_DAEMON_H

#include "helpers.h"
#include "libcellwall.h"

#include <fcntl.h>
#include <signal.h>

/* The daemon sits next to the CLI in the build directory. */
static inline const char *cwd_bin(void)
{
	static char path[512];

	snprintf(path, sizeof(path), "%sd", cw_env("CW_CLI"));
	return path;
}

/* Writes @text to @path, making its directory first. */
static inline void cwd_write(const char *path, const char *text)
{
	cw_sh("mkdir -p \"$(dirname '%s')\"", path);
	if (cw_write_file(path, text))
		fprintf(stderr, "cannot write %s\n", path);
}

/* How many lines of the file @log have @text. */
static inline int cwd_log_count(const char *log, const char *text)
{
	FILE *f = fopen(log, "r");
	char line[1024];
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		n += !!strstr(line, text);
	if (f)
		fclose(f);
	return n;
}

/*
 * `cellwalld -f -c @config`, its output appended to @log; returns once it
 * logged "started" (its first sync is done), or -1 after showing its log.
 */
static inline pid_t cwd_start(const char *config, const char *log)
{
	int fd, started = cwd_log_count(log, "started");
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execl(cwd_bin(), "cellwalld", "-f", "-c", config, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 600; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
		/* A restart appends to the log: one more "started". */
		if (cwd_log_count(log, "started") > started)
			return pid;
		usleep(50 * 1000);
	}
	cw_sh("cat %s >&2", log);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

/*
 * SIGTERM, and the exit status (-1: it did not exit cleanly in 30 s: it
 * removes its audit rules one by one, which a debug kernel takes seconds
 * over).
 */
static inline int cwd_stop(pid_t pid)
{
	int status;

	if (pid <= 0 || kill(pid, SIGTERM))
		return -1;
	for (int i = 0; i < 600; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		usleep(50 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/*
 * The group of workload @name in the kernel, "" if there is none. Asked
 * over netlink: a wait that ran the CLI every 50 ms made execs enough to
 * keep cellwalld's audit reader busy on a slow guest.
 */
static inline const char *cwd_workload_group(const char *name, char *buf, size_t size)
{
	struct cw_workload_info *workloads = NULL;
	struct cw_group_info *groups = NULL;
	size_t nw = 0, ng = 0, i, j;
	struct cw_nl *nl;

	buf[0] = '\0';
	if (cw_nl_open(&nl))
		return buf;
	if (!cw_nl_workload_list(nl, &workloads, &nw) && !cw_nl_group_list(nl, &groups, &ng))
		for (i = 0; i < nw; i++)
			for (j = 0; j < ng; j++)
				if (!strcmp(workloads[i].name, name) && workloads[i].group == groups[j].id)
					snprintf(buf, size, "%s", groups[j].name);
	free(workloads);
	free(groups);
	cw_nl_close(nl);
	return buf;
}

/* Waits up to 10 s for workload @name to be in @group ("": to be gone). */
static inline bool cwd_wait_workload(const char *name, const char *group)
{
	char buf[64];

	for (int i = 0; i < 200; i++) {
		if (!strcmp(cwd_workload_group(name, buf, sizeof(buf)), group))
			return true;
		usleep(50 * 1000);
	}
	fprintf(stderr, "workload %s: group \"%s\", not \"%s\"\n", name, buf, group);
	return false;
}

/*
 * Waits up to 10 s for workload @name to be given its own netns: until then
 * the daemon is still at work on it, and the policy generation may move.
 */
static inline bool cwd_wait_netns(const char *name)
{
	for (int i = 0; i < 200; i++) {
		json_t *list = cw_json_cmd("%s workload list -j", cw_env("CW_CLI")), *w;
		bool found = false;
		size_t j;

		json_array_foreach(list, j, w)
			if (!strcmp(cw_jstr(w, CW_JK_NAME), name) && cw_jint(w, "netns_cookie"))
				found = true;
		json_decref(list);
		if (found)
			return true;
		usleep(50 * 1000);
	}
	fprintf(stderr, "workload %s: no netns\n", name);
	return false;
}

#endif /* CW_TEST_DAEMON_H */
