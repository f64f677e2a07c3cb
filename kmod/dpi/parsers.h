/* SPDX-License-Identifier: GPL-2.0 */
/* The parsers, one per file of kmod/dpi/; the engine's table orders them. */
#ifndef _CW_DPI_PARSERS_H
#define _CW_DPI_PARSERS_H

#include "dpi.h"

extern const struct cw_dpi_parser cw_dpi_amqp;
extern const struct cw_dpi_parser cw_dpi_cql;
extern const struct cw_dpi_parser cw_dpi_dhcp;
extern const struct cw_dpi_parser cw_dpi_dns;
extern const struct cw_dpi_parser cw_dpi_ftp;
extern const struct cw_dpi_parser cw_dpi_http;
extern const struct cw_dpi_parser cw_dpi_http2;
extern const struct cw_dpi_parser cw_dpi_imap;
extern const struct cw_dpi_parser cw_dpi_kafka;
extern const struct cw_dpi_parser cw_dpi_ldap;
extern const struct cw_dpi_parser cw_dpi_memcached;
extern const struct cw_dpi_parser cw_dpi_mongodb;
extern const struct cw_dpi_parser cw_dpi_mqtt;
extern const struct cw_dpi_parser cw_dpi_mysql;
extern const struct cw_dpi_parser cw_dpi_nats;
extern const struct cw_dpi_parser cw_dpi_ntp;
extern const struct cw_dpi_parser cw_dpi_pop3;
extern const struct cw_dpi_parser cw_dpi_postgresql;
extern const struct cw_dpi_parser cw_dpi_redis;
extern const struct cw_dpi_parser cw_dpi_rtsp;
extern const struct cw_dpi_parser cw_dpi_sip;
extern const struct cw_dpi_parser cw_dpi_smb;
extern const struct cw_dpi_parser cw_dpi_smtp;
extern const struct cw_dpi_parser cw_dpi_ssh;
extern const struct cw_dpi_parser cw_dpi_stun;
extern const struct cw_dpi_parser cw_dpi_tds;
extern const struct cw_dpi_parser cw_dpi_tftp;
extern const struct cw_dpi_parser cw_dpi_tls;
extern const struct cw_dpi_parser cw_dpi_tns;
extern const struct cw_dpi_parser cw_dpi_zookeeper;

#endif /* _CW_DPI_PARSERS_H */
