// SPDX-License-Identifier: GPL-2.0
/*
 * make fuzz's seed corpus: each flow of the recorded pcaps that carries
 * payload, written in dpi_fuzz.c's input form (transport byte, then a
 * header and the bytes of each chunk the engine would get), up to
 * libFuzzer's -max_len.
 *
 * usage: pcap2corpus DIR PCAP...
 */

#include "../bench/dpi/pcapflow.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#define MAX_LEN 4096

static int write_flow(const char *dir, const char *pcap, unsigned int index,
		      const struct pf_flow *f)
{
	static uint8_t buf[MAX_LEN];
	const char *base = strrchr(pcap, '/');
	size_t n = 0;
	char path[4096];
	FILE *out;

	buf[n++] = f->l4 == IPPROTO_UDP;
	for (unsigned int i = 0; i < f->n_pkts && n + 2 < MAX_LEN; i++) {
		const struct pf_packet *p = &f->pkts[i];
		size_t len = p->len;

		if (!len)
			continue;
		if (len > MAX_LEN - n - 2)
			len = MAX_LEN - n - 2;
		buf[n++] = (uint8_t)(p->client << 7 | len >> 8);
		buf[n++] = (uint8_t)len;
		memcpy(buf + n, p->data, len);
		n += len;
	}
	if (n == 1)		/* no payload: nothing to seed */
		return 0;
	snprintf(path, sizeof(path), "%s/%s-%u", dir, base ? base + 1 : pcap, index);
	out = fopen(path, "wb");
	if (!out || fwrite(buf, 1, n, out) != n || fclose(out)) {
		fprintf(stderr, "pcap2corpus: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 1;
}

int main(int argc, char **argv)
{
	unsigned int seeds = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: pcap2corpus DIR PCAP...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		struct pf_capture cap;
		char err[512];

		if (pf_load(argv[i], &cap, err, sizeof(err))) {
			fprintf(stderr, "pcap2corpus: %s\n", err);
			return 1;
		}
		for (unsigned int j = 0; j < cap.n_flows; j++) {
			int ret = write_flow(argv[1], argv[i], j + 1, &cap.flows[j]);

			if (ret < 0)
				return 1;
			seeds += ret;
		}
		pf_free(&cap);
	}
	printf("# %u seed%s from %d pcap%s\n", seeds, seeds == 1 ? "" : "s", argc - 2,
	       argc == 3 ? "" : "s");
	return 0;
}
