// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld: the daemon's own messages. Alerts are alert.c's: they share
 * syslog(3) with these but name their facility in every call.
 */

#include "cellwalld.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

static bool log_foreground;
static bool log_debug;

void cwd_log_open(bool foreground)
{
	log_foreground = foreground;
	if (!foreground)
		openlog("cellwalld", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void cwd_log_set_debug(bool debug)
{
	log_debug = debug;
}

static const char *level_name(int prio)
{
	static const char *const names[] = {
		[LOG_EMERG] = "emergency",
		[LOG_ALERT] = "alert",
		[LOG_CRIT] = "critical",
		[LOG_ERR] = "error",
		[LOG_WARNING] = "warning",
		[LOG_NOTICE] = "notice",
		[LOG_INFO] = "info",
		[LOG_DEBUG] = "debug",
	};

	return names[LOG_PRI(prio)];
}

void cwd_log(int prio, const char *fmt, ...)
{
	int saved = errno;	/* for %m, and for callers that log before testing errno */
	char line[1024];
	va_list ap;

	if (LOG_PRI(prio) == LOG_DEBUG && !log_debug)
		return;
	va_start(ap, fmt);
	if (log_foreground) {
		vsnprintf(line, sizeof(line), fmt, ap);
		fprintf(stderr, "cellwalld: %s: %s\n", level_name(prio), line);
	} else {
		vsyslog(LOG_DAEMON | LOG_PRI(prio), fmt, ap);
	}
	va_end(ap);
	errno = saved;
}
