// SPDX-License-Identifier: GPL-2.0
/*
 * Included at the end of policy.c in debug builds: loads policies through
 * the same entry points netlink uses, as a socket nobody has, and checks
 * the verdicts, the refusals, the dumps and the learned table. Needs the
 * kernel's groups (cw_groups_init) and must run before the family exists,
 * so that no real loader holds the transaction.
 */

#define ST_PORTID 0x7fff0001
#define ST_OTHER 0x7fff0002
#define H CW_GROUP_HOST
#define E CW_GROUP_EXTERNAL
#define U CW_GROUP_UNKNOWN
#define TCP IPPROTO_TCP
#define UDP IPPROTO_UDP
#define ICMP IPPROTO_ICMP
#define ALLOW CW_ACTION_ALLOW
#define DENY CW_ACTION_DENY
#define NONE CW_ACTION_NONE

#define RULE(i, f, t, p, lo, hi, a) \
	{ .id = i, .from = f, .to = t, .proto = p, \
	  .port_min = lo, .port_max = hi, .action = a }

/* Load order differs from id order on purpose (ids 8 and 7). */
static const struct cw_rule st_rules[] __initconst = {
	RULE(1, H, E, TCP, 443, 443, ALLOW),
	RULE(2, H, E, TCP, 8000, 8080, ALLOW),
	RULE(3, H, E, TCP, 8040, 8040, DENY),
	RULE(4, U, E, 0, 0, 65535, DENY),
	RULE(5, U, E, TCP, 22, 22, ALLOW),
	RULE(6, H, U, ICMP, 0, 65535, ALLOW),
	RULE(8, E, H, UDP, 53, 53, ALLOW),
	RULE(7, E, H, UDP, 0, 65535, ALLOW),
	RULE(11, E, U, TCP, 80, 80, ALLOW),
	RULE(12, E, U, 0, 0, 65535, ALLOW),
	RULE(16, E, U, TCP, 81, 81, ALLOW),
	RULE(17, E, U, TCP, 82, 82, DENY),
	RULE(14, U, U, UDP, 53, 53, DENY),
	RULE(15, U, U, 0, 0, 65535, DENY),
	{ .id = CW_RULE_ID_LEARNED, .from = H, .to = E, .proto = UDP,
	  .port_min = 5353, .port_max = 5353, .action = ALLOW, .learned = true },
};

/* Each refused, appended to st_rules. */
static const struct cw_rule st_bad[] __initconst = {
	RULE(10, H, 999, TCP, 1, 1, ALLOW),		/* unknown group */
	RULE(10, H, E, ICMP, 80, 80, ALLOW),		/* ports with ICMP */
	RULE(10, H, E, 0, 80, 80, ALLOW),		/* ports with any */
	RULE(10, H, E, TCP, 90, 80, ALLOW),		/* reversed range */
	RULE(0, H, E, TCP, 80, 80, ALLOW),		/* id 0 */
	RULE(10, H, E, TCP, 80, 80, NONE),		/* no action */
	RULE(10, H, E, 47, 0, 65535, ALLOW),		/* GRE */
	RULE(CW_RULE_ID_LEARNED, H, E, TCP, 80, 80, ALLOW), /* not learned */
	{ .id = 5, .from = H, .to = E, .proto = TCP,	/* learned, low id */
	  .port_min = 80, .port_max = 80, .action = ALLOW, .learned = true },
};

static int __init st_load(const struct cw_rule *rules, unsigned int nr)
{
	unsigned int i;
	int ret;

	ret = cw_policy_begin(&init_net, ST_PORTID, NULL);
	for (i = 0; !ret && i < nr; i++)
		ret = cw_policy_stage(&init_net, ST_PORTID, &rules[i], NULL);
	return ret ?: cw_policy_commit(&init_net, ST_PORTID, nr, NULL);
}

static bool __init st_verdict(u32 from, u32 to, u8 proto, u16 port,
			      u8 action, u32 rule)
{
	struct cw_verdict v = { .action = 0xff, .rule = 0xdead };

	cw_policy_lookup(from, to, proto, port, 0, false, &v);
	if (v.action == action && v.rule == rule)
		return true;
	pr_err("policy self-test: %u->%u proto %u port %u: action %u rule %u, want %u %u\n",
	       from, to, proto, port, v.action, v.rule, action, rule);
	return false;
}

/* The rule set A answers as it was loaded. */
static bool __init st_rules_answer(void)
{
	return st_verdict(H, E, TCP, 443, ALLOW, 1) &&
	       st_verdict(H, E, TCP, 442, NONE, 0) &&
	       st_verdict(H, E, TCP, 444, NONE, 0) &&
	       st_verdict(H, E, UDP, 443, NONE, 0) &&
	       st_verdict(E, H, TCP, 443, NONE, 0) &&
	       st_verdict(H, E, TCP, 7999, NONE, 0) &&
	       st_verdict(H, E, TCP, 8000, ALLOW, 2) &&
	       st_verdict(H, E, TCP, 8039, ALLOW, 2) &&
	       st_verdict(H, E, TCP, 8040, DENY, 3) &&
	       st_verdict(H, E, TCP, 8041, ALLOW, 2) &&
	       st_verdict(H, E, TCP, 8080, ALLOW, 2) &&
	       st_verdict(H, E, TCP, 8081, NONE, 0) &&
	       /* Any-protocol deny beats a TCP allow, and covers the rest. */
	       st_verdict(U, E, TCP, 22, DENY, 4) &&
	       st_verdict(U, E, UDP, 9, DENY, 4) &&
	       st_verdict(U, E, ICMP, 0, DENY, 4) &&
	       st_verdict(U, E, IPPROTO_SCTP, 0, DENY, 4) &&
	       /* ICMPv6 is ICMP, and ICMP has no ports. */
	       st_verdict(H, U, ICMP, 0, ALLOW, 6) &&
	       st_verdict(H, U, IPPROTO_ICMPV6, 0, ALLOW, 6) &&
	       st_verdict(H, U, ICMP, 1234, ALLOW, 6) &&
	       st_verdict(H, U, TCP, 0, NONE, 0) &&
	       /* The lowest id, not the first loaded. */
	       st_verdict(E, H, UDP, 53, ALLOW, 7) &&
	       st_verdict(E, H, UDP, 54, ALLOW, 7) &&
	       /* The same across the protocol's rules and any protocol's. */
	       st_verdict(E, U, TCP, 80, ALLOW, 11) &&
	       st_verdict(E, U, TCP, 81, ALLOW, 12) &&
	       st_verdict(E, U, TCP, 82, DENY, 17) &&
	       st_verdict(E, U, UDP, 80, ALLOW, 12) &&
	       st_verdict(U, U, UDP, 53, DENY, 14) &&
	       st_verdict(U, U, UDP, 54, DENY, 15) &&
	       st_verdict(H, E, UDP, 5353, ALLOW, CW_RULE_ID_LEARNED);
}

static u32 st_dumped[ARRAY_SIZE(st_rules)];
static unsigned int st_nr_dumped;
static int st_budget;

/* Fails every few calls, as a full skb would, to exercise the resume. */
static int __init st_fill(struct sk_buff *skb, struct netlink_callback *cb,
			  const struct cw_rule *rule)
{
	if (st_budget-- <= 0 || st_nr_dumped == ARRAY_SIZE(st_dumped))
		return -EMSGSIZE;
	st_dumped[st_nr_dumped++] = rule->id;
	return 0;
}

static bool __init st_dump(void)
{
	struct netlink_callback cb = {};
	struct sk_buff *skb;
	unsigned int i;

	skb = alloc_skb(0, GFP_KERNEL);
	if (!skb)
		return false;
	st_nr_dumped = 0;
	for (i = 0; i < 10 && cb.args[0] < ARRAY_SIZE(st_rules); i++) {
		st_budget = 2;
		cw_policy_dump(skb, &cb, st_fill);
	}
	kfree_skb(skb);
	if (st_nr_dumped != ARRAY_SIZE(st_rules) || !cb.seq)
		return false;
	for (i = 0; i < st_nr_dumped; i++)
		if (st_dumped[i] != st_rules[i].id)
			return false;
	return true;
}

static struct cw_rule st_learned_rule;
static unsigned int st_nr_learned;

static int __init st_learned_fill(struct sk_buff *skb, struct netlink_callback *cb,
				  const struct cw_rule *rule)
{
	st_learned_rule = *rule;
	st_nr_learned++;
	return 0;
}

static bool __init st_learned_dump(void)
{
	struct netlink_callback cb = {};
	struct sk_buff *skb;
	const struct cw_rule *r = &st_learned_rule;

	skb = alloc_skb(0, GFP_KERNEL);
	if (!skb)
		return false;
	st_nr_learned = 0;
	cw_learned_dump(skb, &cb, st_learned_fill);
	kfree_skb(skb);
	return st_nr_learned == 1 && cb.args[0] == LEARNED_SLOTS &&
	       r->id == 0 && r->from == H && r->to == E && r->proto == TCP &&
	       r->port_min == 80 && r->port_max == 80 &&
	       r->action == ALLOW && r->learned;
}

/* 5000 overlapping allows on one key, 50 denies inside them, and more keys. */
static int __init st_load_many(void)
{
	struct cw_rule rule = { .from = H, .to = E, .proto = TCP, .action = ALLOW };
	u32 groups[] = { H, E, U };
	unsigned int i;
	int ret;

	ret = cw_policy_begin(&init_net, ST_PORTID, NULL);
	for (i = 0; !ret && i < 5000; i++) {
		rule.id = i + 1;
		rule.port_min = 10 * i;
		rule.port_max = 10 * i + 14;
		ret = cw_policy_stage(&init_net, ST_PORTID, &rule, NULL);
	}
	rule.action = DENY;
	for (i = 0; !ret && i < 50; i++) {
		rule.id = 6000 + i;
		rule.port_min = 1000 * i + 5;
		rule.port_max = rule.port_min;
		ret = cw_policy_stage(&init_net, ST_PORTID, &rule, NULL);
	}
	rule.action = ALLOW;
	rule.proto = UDP;
	rule.port_min = 53;
	rule.port_max = 53;
	for (i = 0; !ret && i < 9; i++) {
		rule.id = 7000 + i;
		rule.from = groups[i / 3];
		rule.to = groups[i % 3];
		ret = cw_policy_stage(&init_net, ST_PORTID, &rule, NULL);
	}
	return ret ?: cw_policy_commit(&init_net, ST_PORTID, 5000 + 50 + 9, NULL);
}

static bool __init st_many_answer(void)
{
	u32 groups[] = { H, E, U };
	unsigned int i;
	u32 port;

	for (port = 0; port <= U16_MAX; port++) {
		/* The lowest i with 10i <= port <= 10i + 14. */
		u32 first = port >= 14 ? (port - 14 + 9) / 10 : 0;
		u32 allow = first < 5000 && 10 * first <= port ? first + 1 : 0;

		if (port % 1000 == 5 && port / 1000 < 50) {
			if (!st_verdict(H, E, TCP, port, DENY, 6000 + port / 1000))
				return false;
		} else if (!st_verdict(H, E, TCP, port, allow ? ALLOW : NONE, allow)) {
			return false;
		}
	}
	for (i = 0; i < 9; i++)
		if (!st_verdict(groups[i / 3], groups[i % 3], UDP, 53, ALLOW, 7000 + i) ||
		    !st_verdict(groups[i / 3], groups[i % 3], UDP, 54, NONE, 0))
			return false;
	return true;
}

/* Fills the learned table past what it holds: it refuses, and dedups. */
static bool __init st_learned_full(void)
{
	unsigned int i, added = 0, again = 0;

	for (i = 0; i < 20000; i++)
		added += cw_learned_add(1000 + i, 7, TCP, i, 0);
	for (i = 0; i < 20000; i++)
		again += cw_learned_add(1000 + i, 7, TCP, i, 0);
	return added > LEARNED_SLOTS / 2 && added <= LEARNED_SLOTS && !again;
}

bool __init cw_policy_selftest(void)
{
	struct cw_rule *rules;
	bool success = true;
	u32 gen;
	int ret;
	unsigned int i;

#define expect(cond) do {						\
		if (!(cond)) {						\
			pr_err("policy self-test: failed: %s\n", #cond); \
			success = false;				\
		}							\
	} while (0)

	expect(cw_policy_rule_count() == 0);
	expect(st_verdict(H, E, TCP, 443, NONE, 0));
	expect(st_verdict(H, E, 0, 0, NONE, 0));

	gen = cw_policy_generation();
	cw_generation_bump();
	expect(cw_policy_generation() == gen + 1);

	ret = st_load(st_rules, ARRAY_SIZE(st_rules));
	expect(ret > 0 && (u32)ret == cw_policy_generation() && (u32)ret != gen + 1);
	expect(cw_policy_rule_count() == ARRAY_SIZE(st_rules));
	expect(st_rules_answer());
	expect(st_dump());

	/* A bad rule drops the transaction; the policy in force stays. */
	rules = kmalloc_array(ARRAY_SIZE(st_rules) + 1, sizeof(*rules), GFP_KERNEL);
	if (!rules)
		return false;
	memcpy(rules, st_rules, sizeof(st_rules));
	gen = cw_policy_generation();
	for (i = 0; i < ARRAY_SIZE(st_bad); i++) {
		rules[ARRAY_SIZE(st_rules)] = st_bad[i];
		ret = st_load(rules, ARRAY_SIZE(st_rules) + 1);
		if (ret != -EINVAL) {
			pr_err("policy self-test: bad rule %u: %d\n", i, ret);
			success = false;
		}
		expect(cw_policy_commit(&init_net, ST_PORTID, 0, NULL) == -ENOENT);
	}
	kfree(rules);
	expect(cw_policy_generation() == gen);
	expect(cw_policy_rule_count() == ARRAY_SIZE(st_rules));
	expect(st_rules_answer());

	/* One transaction at a time, and only its owner touches it. */
	expect(cw_policy_begin(&init_net, ST_PORTID, NULL) == 0);
	expect(cw_policy_begin(&init_net, ST_OTHER, NULL) == -EBUSY);
	expect(cw_policy_stage(&init_net, ST_OTHER, &st_rules[0], NULL) == -ENOENT);
	expect(cw_policy_commit(&init_net, ST_OTHER, 1, NULL) == -ENOENT);
	expect(cw_policy_abort(&init_net, ST_OTHER, NULL) == -ENOENT);
	expect(cw_policy_stage(&init_net, ST_PORTID, &st_rules[0], NULL) == 0);
	expect(cw_policy_abort(&init_net, ST_PORTID, NULL) == 0);
	expect(cw_policy_stage(&init_net, ST_PORTID, &st_rules[0], NULL) == -ENOENT);
	expect(cw_policy_commit(&init_net, ST_PORTID, 1, NULL) == -ENOENT);

	/* A commit that counts another number of rules than arrived (a lost
	 * RULES message) is refused and drops the transaction. */
	expect(cw_policy_begin(&init_net, ST_PORTID, NULL) == 0);
	expect(cw_policy_stage(&init_net, ST_PORTID, &st_rules[0], NULL) == 0);
	expect(cw_policy_commit(&init_net, ST_PORTID, 2, NULL) == -EINVAL);
	expect(cw_policy_commit(&init_net, ST_PORTID, 1, NULL) == -ENOENT);
	expect(cw_policy_generation() == gen);
	expect(st_rules_answer());

	/* Beginning again starts afresh: only the second rule is loaded. */
	expect(cw_policy_begin(&init_net, ST_PORTID, NULL) == 0);
	expect(cw_policy_stage(&init_net, ST_PORTID, &st_rules[0], NULL) == 0);
	expect(cw_policy_begin(&init_net, ST_PORTID, NULL) == 0);
	expect(cw_policy_stage(&init_net, ST_PORTID, &st_rules[1], NULL) == 0);
	expect(cw_policy_commit(&init_net, ST_PORTID, 1, NULL) > 0);
	expect(cw_policy_rule_count() == 1);
	expect(st_verdict(H, E, TCP, 443, NONE, 0));
	expect(st_verdict(H, E, TCP, 8040, ALLOW, 2));

	/* The limit on rules. */
	ret = cw_policy_begin(&init_net, ST_PORTID, NULL);
	for (i = 0; !ret && i < CW_POLICY_MAX_RULES; i++)
		ret = cw_policy_stage(&init_net, ST_PORTID, &st_rules[0], NULL);
	expect(!ret);
	expect(cw_policy_stage(&init_net, ST_PORTID, &st_rules[0], NULL) == -E2BIG);
	expect(cw_policy_abort(&init_net, ST_PORTID, NULL) == -ENOENT);
	expect(cw_policy_rule_count() == 1);

	expect(st_load_many() > 0);
	expect(cw_policy_rule_count() == 5000 + 50 + 9);
	expect(st_many_answer());

	/*
	 * Learned since this commit: once each, ICMPv6 as ICMP, ports only
	 * for TCP and UDP, protocols a rule cannot name as any.
	 */
	expect(cw_learned_add(H, E, TCP, 80, 0));
	expect(!cw_learned_add(H, E, TCP, 80, 0));
	expect(st_learned_dump());
	expect(cw_learned_add(H, E, TCP, 81, 0));
	expect(cw_learned_add(H, E, UDP, 80, 0));
	expect(cw_learned_add(E, H, TCP, 80, 0));
	expect(cw_learned_add(H, E, IPPROTO_ICMPV6, 128, 0));
	expect(!cw_learned_add(H, E, ICMP, 0, 0));
	expect(cw_learned_add(H, E, IPPROTO_SCTP, 80, 0));
	expect(!cw_learned_add(H, E, IPPROTO_GRE, 0, 0));
	expect(!cw_learned_add(H, E, 0, 0, 0));
	expect(st_learned_full());

	/* A commit clears it; end on an empty policy. */
	expect(st_load(NULL, 0) > 0);
	expect(cw_learned_add(H, E, TCP, 80, 0));
	expect(cw_policy_rule_count() == 0);
	expect(st_verdict(H, E, TCP, 8040, NONE, 0));
	expect(st_load(NULL, 0) > 0);
#undef expect

	if (success)
		pr_info("policy self-tests: pass\n");
	return success;
}

#undef RULE
#undef NONE
#undef DENY
#undef ALLOW
#undef ICMP
#undef UDP
#undef TCP
#undef U
#undef E
#undef H
#undef ST_OTHER
#undef ST_PORTID
