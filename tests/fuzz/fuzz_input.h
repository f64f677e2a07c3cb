/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What dpi_fuzz.c and threat_fuzz.c share: their input's form, which
 * pcap2corpus writes from recorded flows, and how they fail.
 *
 * Input: byte 0 picks the transport (each target says how); then chunks,
 * each a big-endian 16-bit header (bit 15: sent by the client; bits 0-14:
 * length, cut short at the input's end) and its bytes.
 *
 * Include it after dpi/dpi.h or threat/threat.h, with FUZZ_TARGET (a
 * string: the target's name) defined.
 */
#ifndef CW_FUZZ_INPUT_H
#define CW_FUZZ_INPUT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More than any input holds: the code never stops for the byte limit. */
#define MAX_BYTES (1u << 20)

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s: broken: %s\n",		\
				FUZZ_TARGET, #cond);			\
			abort();					\
		}							\
	} while (0)

/*
 * The next non-empty chunk of @data from *@pos on, or NULL at the input's
 * end: in a buffer of its own (so that ASan sees a read past its end) that
 * the caller frees.
 */
static inline u8 *fuzz_next_chunk(const u8 *data, size_t size, size_t *pos, bool *client,
				  size_t *len)
{
	while (*pos + 2 <= size) {
		u8 *chunk;

		*client = data[*pos] & 0x80;
		*len = (size_t)(data[*pos] & 0x7f) << 8 | data[*pos + 1];
		*pos += 2;
		if (*len > size - *pos)
			*len = size - *pos;
		if (!*len)
			continue;
		chunk = malloc(*len);
		if (!chunk)
			abort();
		memcpy(chunk, data + *pos, *len);
		*pos += *len;
		return chunk;
	}
	return NULL;
}

#endif /* CW_FUZZ_INPUT_H */
