// SPDX-License-Identifier: GPL-2.0
/*
 * The engine: runs the probes of the parsers still possible on each chunk
 * until one says YES, then hands the flow to that parser alone.
 */

#include "dpi.h"
#include "parsers.h"

_Static_assert(sizeof(struct cw_dpi) <= 64, "struct cw_dpi is larger than 64 bytes");

/* Most specific first: the first YES wins. */
const struct cw_dpi_parser *const cw_dpi_parsers[] = {
	&cw_dpi_http2,
	&cw_dpi_rtsp,
	&cw_dpi_sip,
	&cw_dpi_http,
	&cw_dpi_tls,
	&cw_dpi_ssh,
	&cw_dpi_dns,
	&cw_dpi_dhcp,
	&cw_dpi_ntp,
	&cw_dpi_tftp,
	&cw_dpi_stun,
	&cw_dpi_mysql,
	&cw_dpi_postgresql,
	&cw_dpi_redis,
	&cw_dpi_memcached,
	&cw_dpi_mongodb,
	&cw_dpi_cql,
	&cw_dpi_kafka,
	&cw_dpi_zookeeper,
	&cw_dpi_mqtt,
	&cw_dpi_amqp,
	&cw_dpi_smtp,
	&cw_dpi_ftp,
	&cw_dpi_pop3,
	&cw_dpi_imap,
	&cw_dpi_ldap,
	&cw_dpi_tns,
	&cw_dpi_tds,
	&cw_dpi_nats,
	&cw_dpi_smb,
};
const unsigned int cw_dpi_parser_count = sizeof(cw_dpi_parsers) / sizeof(cw_dpi_parsers[0]);
_Static_assert(sizeof(cw_dpi_parsers) / sizeof(cw_dpi_parsers[0]) <= 32,
	       "struct cw_dpi.candidates holds 32 parsers");

static const char *const app_names[] = {
	[CW_APP_HTTP] = "http",
	[CW_APP_HTTP2] = "http2",
	[CW_APP_GRPC] = "grpc",
	[CW_APP_TLS] = "tls",
	[CW_APP_SSH] = "ssh",
	[CW_APP_DNS] = "dns",
	[CW_APP_DHCP] = "dhcp",
	[CW_APP_NTP] = "ntp",
	[CW_APP_TFTP] = "tftp",
	[CW_APP_MYSQL] = "mysql",
	[CW_APP_POSTGRESQL] = "postgresql",
	[CW_APP_REDIS] = "redis",
	[CW_APP_MEMCACHED] = "memcached",
	[CW_APP_MONGODB] = "mongodb",
	[CW_APP_CQL] = "cql",
	[CW_APP_KAFKA] = "kafka",
	[CW_APP_ZOOKEEPER] = "zookeeper",
	[CW_APP_MQTT] = "mqtt",
	[CW_APP_AMQP] = "amqp",
	[CW_APP_SMTP] = "smtp",
	[CW_APP_FTP] = "ftp",
	[CW_APP_LDAP] = "ldap",
	[CW_APP_TNS] = "tns",
	[CW_APP_TDS] = "tds",
	[CW_APP_POP3] = "pop3",
	[CW_APP_IMAP] = "imap",
	[CW_APP_SIP] = "sip",
	[CW_APP_RTSP] = "rtsp",
	[CW_APP_STUN] = "stun",
	[CW_APP_NATS] = "nats",
	[CW_APP_SMB] = "smb",
};
_Static_assert(sizeof(app_names) / sizeof(app_names[0]) == __CW_APP_LAST,
	       "every application has a name");

const char *cw_app_name(unsigned int app)
{
	return app < __CW_APP_LAST ? app_names[app] : NULL;
}

unsigned int cw_app_by_name(const char *name)
{
	unsigned int app;

	for (app = 1; app < __CW_APP_LAST; app++)
		if (!strcmp(app_names[app], name))
			return app;
	return CW_APP_UNKNOWN;
}

void cw_dpi_init(struct cw_dpi *d, u8 l4)
{
	unsigned int i;
	u8 transport = l4 == IPPROTO_UDP ? CW_DPI_UDP : CW_DPI_TCP;

	memset(d, 0, sizeof(*d));
	d->l4 = l4;
	d->status = CW_DPI_IDENTIFYING;
	for (i = 0; i < cw_dpi_parser_count; i++)
		if (cw_dpi_parsers[i]->transports & transport)
			d->candidates |= 1u << i;
	if (!d->candidates)
		d->status = CW_DPI_DONE;
}

/* The parser of a flow just identified sees @data first. */
static void start(struct cw_dpi *d, struct cw_dpi_info *info, unsigned int parser,
		  bool client, const u8 *data, u32 len)
{
	const struct cw_dpi_parser *p = cw_dpi_parsers[parser];

	d->parser = parser;
	d->app = p->app;
	d->head_len = 0;
	memset(&d->u, 0, sizeof(d->u));
	if (!p->feed || p->feed(d, info, client, data, len) == CW_DPI_YES)
		d->status = CW_DPI_DONE;
	else
		d->status = CW_DPI_INSPECTING;
}

/* Runs the candidates' probes: the index of the first YES, or -1. */
static int probe(struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 left = d->candidates;

	while (left) {
		unsigned int i = __builtin_ctz(left);

		left &= left - 1;
		switch (cw_dpi_parsers[i]->probe(d, client, data, len)) {
		case CW_DPI_YES:
			return i;
		case CW_DPI_NO:
			d->candidates &= ~(1u << i);
			break;
		case CW_DPI_MORE:
			/* A datagram is a whole message: it decides alone. */
			if (d->l4 == IPPROTO_UDP)
				d->candidates &= ~(1u << i);
			break;
		}
	}
	if (!d->candidates)
		d->status = CW_DPI_DONE;
	return -1;
}

static void account(struct cw_dpi *d, bool client, u32 len)
{
	unsigned int dir = !client;
	u32 total = d->inspected[dir] + len;

	d->inspected[dir] = total > 0xffff ? 0xffff : total;
	if (d->chunks[dir] < 0xff)
		d->chunks[dir]++;
}

/*
 * A short first chunk of a TCP direction: kept in d->u.head (not counted
 * yet), and probed again with what follows, as one start.
 */
static void identify_head(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			  const u8 *data, u32 len)
{
	u8 head[CW_DPI_HEAD];
	u32 take = CW_DPI_HEAD - d->head_len, head_len;
	int found;

	if (take > len)
		take = len;
	memcpy(head, d->u.head, d->head_len);
	memcpy(head + d->head_len, data, take);
	head_len = d->head_len + take;

	found = probe(d, client, head, head_len);
	if (found >= 0) {
		start(d, info, found, client, head, head_len);
		account(d, client, head_len);
		if (take < len && d->status == CW_DPI_INSPECTING &&
		    cw_dpi_parsers[d->parser]->feed(d, info, client, data + take,
						    len - take) == CW_DPI_YES)
			d->status = CW_DPI_DONE;
		if (take < len)
			account(d, client, len - take);
		return;
	}
	if (d->status == CW_DPI_DONE)
		return;
	if (head_len < CW_DPI_HEAD) {	/* still short: keep waiting */
		memcpy(d->u.head, head, head_len);
		d->head_len = head_len;
		return;
	}
	/* A full head and still undecided: go on chunk by chunk. */
	d->head_len = 0;
	account(d, client, head_len);
	if (take < len) {
		found = probe(d, client, data + take, len - take);
		if (found >= 0)
			start(d, info, found, client, data + take, len - take);
		account(d, client, len - take);
	}
}

enum cw_dpi_status cw_dpi_feed(struct cw_dpi *d, struct cw_dpi_info *info,
			       bool client, const u8 *data, u32 len, u32 max_bytes)
{
	u32 used = (u32)d->inspected[0] + d->inspected[1];
	int found;

	if (!len || d->status == CW_DPI_DONE)
		return d->status;
	/* Not a byte past the budget. */
	if (used >= max_bytes) {
		d->status = CW_DPI_DONE;
		return d->status;
	}
	if (len > max_bytes - used)
		len = max_bytes - used;
	switch (d->status) {
	case CW_DPI_IDENTIFYING:
		if (d->head_len && d->head_client == client) {
			identify_head(d, info, client, data, len);
			break;
		}
		found = probe(d, client, data, len);
		if (found >= 0) {
			start(d, info, found, client, data, len);
		} else if (d->status == CW_DPI_IDENTIFYING && d->l4 == IPPROTO_TCP &&
			   !d->head_len && !d->chunks[!client] && len < CW_DPI_HEAD) {
			memcpy(d->u.head, data, len);
			d->head_len = len;
			d->head_client = client;
			return d->status;
		}
		account(d, client, len);
		break;
	case CW_DPI_INSPECTING:
		if (cw_dpi_parsers[d->parser]->feed(d, info, client, data, len) == CW_DPI_YES)
			d->status = CW_DPI_DONE;
		account(d, client, len);
		break;
	case CW_DPI_DONE:
		return d->status;
	}
	if ((u32)d->inspected[0] + d->inspected[1] >= max_bytes)
		d->status = CW_DPI_DONE;
	return d->status;
}

void cw_dpi_name_put(struct cw_dpi_info *info, u8 c)
{
	if (info->name_len >= CW_DPI_NAME_LEN - 1) {
		info->truncated = 1;
		return;
	}
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	else if (c < 0x20 || c >= 0x7f)	/* a string for userland, one line */
		c = '?';
	info->name[info->name_len++] = c;
	info->name[info->name_len] = '\0';
}

void cw_dpi_detail_put(struct cw_dpi_info *info, const u8 *data, u32 len)
{
	while (len-- && info->detail_len < CW_DPI_DETAIL_LEN - 1) {
		u8 c = *data++;

		info->detail[info->detail_len++] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	info->detail[info->detail_len] = '\0';
}

static enum cw_dpi_result match(const u8 *data, u32 len, const char *prefix, bool nocase)
{
	u32 i;

	for (i = 0; prefix[i]; i++) {
		u8 c;

		if (i >= len)
			return CW_DPI_MORE;
		c = data[i];
		if (nocase && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (u8)prefix[i])
			return CW_DPI_NO;
	}
	return CW_DPI_YES;
}

enum cw_dpi_result cw_dpi_match(const u8 *data, u32 len, const char *prefix)
{
	return match(data, len, prefix, false);
}

enum cw_dpi_result cw_dpi_match_nocase(const u8 *data, u32 len, const char *prefix)
{
	return match(data, len, prefix, true);
}
