// SPDX-License-Identifier: GPL-2.0
/*
 * Included at the end of netns.c in debug builds: checks that counting and
 * reading the per-CPU counters add up over every possible CPU, including
 * values beyond 32 bits.
 */

bool __init cw_counters_selftest(void)
{
	struct cw_net cn = {};
	struct cw_stats sum = {};
	u64 want_packets = 0, want_bytes = 0;
	bool success = true;
	int cpu;

	cn.stats = alloc_percpu(struct cw_pcpu_stats);
	if (!cn.stats) {
		pr_err("counters self-test: out of memory\n");
		return false;
	}
	for_each_possible_cpu(cpu) {
		struct cw_pcpu_stats *stats = per_cpu_ptr(cn.stats, cpu);

		u64_stats_init(&stats->syncp);
		u64_stats_set(&stats->packets[CW_DIR_FWD], cpu + 1);
		u64_stats_set(&stats->bytes[CW_DIR_FWD], (u64)(cpu + 1) << 32);
		want_packets += cpu + 1;
		want_bytes += (u64)(cpu + 1) << 32;
	}
	cw_stats_count(&cn, CW_DIR_IN, 1500);
	cw_stats_count(&cn, CW_DIR_IN, 40);

#define expect(cond) do {						\
		if (!(cond)) {						\
			pr_err("counters self-test: failed: %s\n", #cond); \
			success = false;				\
		}							\
	} while (0)

	cw_stats_read(&cn, &sum);
	expect(sum.packets[CW_DIR_IN] == 2);
	expect(sum.bytes[CW_DIR_IN] == 1540);
	expect(sum.packets[CW_DIR_OUT] == 0 && sum.bytes[CW_DIR_OUT] == 0);
	expect(sum.packets[CW_DIR_FWD] == want_packets);
	expect(sum.bytes[CW_DIR_FWD] == want_bytes);

	/* Reading adds to the sum: that is how "all netns" is built. */
	cw_stats_read(&cn, &sum);
	expect(sum.packets[CW_DIR_IN] == 4);
	expect(sum.bytes[CW_DIR_FWD] == 2 * want_bytes);
#undef expect

	free_percpu(cn.stats);
	if (success)
		pr_info("counters self-tests: pass\n");
	return success;
}
