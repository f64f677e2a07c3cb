// SPDX-License-Identifier: GPL-2.0
/*
 * Kafka: the client speaks first with a request (Kafka protocol guide,
 * "Requests"): size (BE 4), then header v1/v2: api_key (2), api_version
 * (2), correlation_id (4), client_id (nullable string: BE 2 length, -1 for
 * null). The first request is usually ApiVersions (KIP-35) or Metadata.
 * name is the client_id, detail the API's name.
 */

#include "parsers.h"

#define HEADER_LEN	14	/* size to the client_id's length, included */
#define MAX_SIZE	(100 << 20)	/* the broker's socket.request.max.bytes */

struct api {
	const char *name;
	u8 max_version;		/* the newest as of Kafka 3.7 */
};

/* By api_key (the protocol guide's "Api Keys"). */
static const struct api apis[] = {
	{ "Produce", 11 }, { "Fetch", 16 }, { "ListOffsets", 9 }, { "Metadata", 12 },
	{ "LeaderAndIsr", 7 }, { "StopReplica", 4 }, { "UpdateMetadata", 8 },
	{ "ControlledShutdown", 3 }, { "OffsetCommit", 9 }, { "OffsetFetch", 9 },
	{ "FindCoordinator", 5 }, { "JoinGroup", 9 }, { "Heartbeat", 4 }, { "LeaveGroup", 5 },
	{ "SyncGroup", 5 }, { "DescribeGroups", 5 }, { "ListGroups", 5 },
	{ "SaslHandshake", 1 }, { "ApiVersions", 4 }, { "CreateTopics", 7 },
	{ "DeleteTopics", 6 }, { "DeleteRecords", 2 }, { "InitProducerId", 5 },
	{ "OffsetForLeaderEpoch", 4 }, { "AddPartitionsToTxn", 5 }, { "AddOffsetsToTxn", 4 },
	{ "EndTxn", 5 }, { "WriteTxnMarkers", 1 }, { "TxnOffsetCommit", 5 },
	{ "DescribeAcls", 3 }, { "CreateAcls", 3 }, { "DeleteAcls", 3 },
	{ "DescribeConfigs", 4 }, { "AlterConfigs", 2 }, { "AlterReplicaLogDirs", 2 },
	{ "DescribeLogDirs", 4 }, { "SaslAuthenticate", 2 }, { "CreatePartitions", 3 },
	{ "CreateDelegationToken", 3 }, { "RenewDelegationToken", 2 },
	{ "ExpireDelegationToken", 2 }, { "DescribeDelegationToken", 3 },
	{ "DeleteGroups", 2 }, { "ElectLeaders", 2 }, { "IncrementalAlterConfigs", 1 },
	{ "AlterPartitionReassignments", 0 }, { "ListPartitionReassignments", 0 },
	{ "OffsetDelete", 0 }, { "DescribeClientQuotas", 1 }, { "AlterClientQuotas", 1 },
	{ "DescribeUserScramCredentials", 0 }, { "AlterUserScramCredentials", 0 },
	{ "Vote", 1 }, { "BeginQuorumEpoch", 1 }, { "EndQuorumEpoch", 1 },
	{ "DescribeQuorum", 2 }, { "AlterPartition", 3 }, { "UpdateFeatures", 1 },
	{ "Envelope", 0 }, { "FetchSnapshot", 1 }, { "DescribeCluster", 1 },
	{ "DescribeProducers", 0 }, { "BrokerRegistration", 4 }, { "BrokerHeartbeat", 1 },
	{ "UnregisterBroker", 0 }, { "DescribeTransactions", 0 }, { "ListTransactions", 1 },
	{ "AllocateProducerIds", 0 }, { "ConsumerGroupHeartbeat", 0 },
	{ "ConsumerGroupDescribe", 0 }, { "ControllerRegistration", 0 },
	{ "GetTelemetrySubscriptions", 0 }, { "PushTelemetry", 0 },
	{ "AssignReplicasToDirs", 0 }, { "ListClientMetricsResources", 0 },
};

/* Versions newer than the table's, from brokers and clients to come. */
#define VERSION_SLACK	2

struct kafka_state {
	u32 pos;		/* bytes of the first request seen */
	u16 client_id_len;
	u8 api_key[2];
};

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 size, key, version, id_len, i, end;

	if (!client || d->inspected[0] || d->inspected[1] || (d->head_len && !d->head_client))
		return CW_DPI_NO;
	if (len < HEADER_LEN)
		return CW_DPI_MORE;
	size = cw_get_be32(data);
	key = cw_get_be16(data + 4);
	version = cw_get_be16(data + 6);
	id_len = cw_get_be16(data + 12);
	if (size < HEADER_LEN - 4 || size > MAX_SIZE)
		return CW_DPI_NO;
	if (key >= sizeof(apis) / sizeof(apis[0]) ||
	    version > (u32)apis[key].max_version + VERSION_SLACK)
		return CW_DPI_NO;
	if (data[8] & 0x80)	/* clients count correlation ids up from 0 */
		return CW_DPI_NO;
	/*
	 * ZooKeeper's ConnectRequest reads as Produce v0, correlation id
	 * and client_id 0 (protocolVersion 0, lastZxidSeen): leave it.
	 */
	if (!key && !version && (!id_len || size == 44 || size == 45))
		return CW_DPI_NO;
	if (id_len == 0xffff)
		return CW_DPI_YES;
	if (id_len > size - (HEADER_LEN - 4))
		return CW_DPI_NO;
	/* A printable client_id, as far as the engine always shows it. */
	end = HEADER_LEN + id_len;
	if (end > CW_DPI_HEAD)
		end = CW_DPI_HEAD;
	for (i = HEADER_LEN; i < end && i < len; i++)
		if (data[i] < 0x20 || data[i] >= 0x7f)
			return CW_DPI_NO;
	return i < end ? CW_DPI_MORE : CW_DPI_YES;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct kafka_state *s = CW_DPI_STATE(d, struct kafka_state);
	u32 i, key;

	if (!client)
		return CW_DPI_MORE;
	for (i = 0; i < len; i++, s->pos++) {
		u32 pos = s->pos;

		if (pos == 4 || pos == 5)
			s->api_key[pos - 4] = data[i];
		else if (pos == 12 || pos == 13)
			s->client_id_len = s->client_id_len << 8 | data[i];
		if (pos < HEADER_LEN - 1)
			continue;
		if (pos == HEADER_LEN - 1) {
			key = cw_get_be16(s->api_key);
			if (key < sizeof(apis) / sizeof(apis[0]))
				cw_dpi_detail_put(info, (const u8 *)apis[key].name,
						  strlen(apis[key].name));
			if (s->client_id_len == 0xffff || !s->client_id_len)
				return CW_DPI_YES;
			continue;
		}
		cw_dpi_name_put(info, data[i]);
		if (pos + 1 >= HEADER_LEN + (u32)s->client_id_len)
			return CW_DPI_YES;
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_kafka = {
	.name = "kafka",
	.app = CW_APP_KAFKA,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
