// SPDX-License-Identifier: GPL-2.0
/*
 * Events: the packet path fills a per-CPU ring, a worker sends them on
 * the events multicast group. Nothing waits for a listener; a full ring
 * loses events and counts them.
 */

#include "event.h"
#include "netlink.h"
#include "workload.h"

#include <linux/skbuff.h>
#include <linux/vmalloc.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#define CW_EVENT_RING 128	/* per CPU */

struct ring {
	spinlock_t lock;
	unsigned int head, tail;	/* head - tail events are queued */
	struct cw_event events[CW_EVENT_RING];
};

/* One per possible CPU, indexed by its id: too large for alloc_percpu(). */
static struct ring *rings;
static atomic64_t lost_total, lost_pending;
static bool stopped;

static void send_events(struct work_struct *work);
static DECLARE_WORK(events_work, send_events);

u64 cw_events_lost(void)
{
	return atomic64_read(&lost_total);
}

/* Copies @ev into this CPU's ring; counts it lost when the ring is full. */
static void queue(const struct cw_event *ev)
{
	struct ring *ring;

	local_bh_disable();
	ring = &rings[smp_processor_id()];
	spin_lock(&ring->lock);
	if (ring->head - ring->tail >= CW_EVENT_RING) {
		spin_unlock(&ring->lock);
		local_bh_enable();
		atomic64_inc(&lost_total);
		atomic64_inc(&lost_pending);
		return;
	}
	ring->events[ring->head % CW_EVENT_RING] = *ev;
	ring->head++;
	spin_unlock(&ring->lock);
	local_bh_enable();
	schedule_work(&events_work);
}

/* Whether an event may be sent now: someone listens and @rate allows. */
static bool may_send(struct cw_rate *rate, u32 *suppressed)
{
	if (READ_ONCE(stopped) || !cw_nl_event_listeners())
		return false;
	return cw_rate_allow(rate, suppressed);
}

/* What every event about a flow says. */
static void fill_flow(struct cw_event *ev, u8 type, struct net *net,
		      struct cw_flow *flow)
{
	ev->type = type;
	ev->time_ns = ktime_get_real_ns();
	ev->netns_cookie = net->net_cookie;
	ev->key = flow->key;
	ev->from_workload = flow->from_workload;
	ev->to_workload = flow->to_workload;
	ev->from_group = flow->from_group;
	ev->to_group = flow->to_group;
	ev->rule = flow->rule;
	ev->hook = flow->hook;
	ev->verdict = flow->verdict;
	ev->mode = flow->mode;
	cw_flow_app(flow, &ev->app);
}

void cw_event_flow(u8 type, struct net *net, struct cw_flow *flow,
		   struct cw_rate *rate, bool local_task)
{
	struct cw_event ev = {};

	if (!may_send(rate, &ev.suppressed))
		return;
	/* Without the task lock (get_task_comm), which softirqs must never
	 * wait for: a name being renamed may show torn, nothing worse. */
	if (local_task && in_task() && current->mm) {
		ev.pid = task_tgid_nr(current);
		strscpy_pad(ev.comm, current->comm, sizeof(ev.comm));
	}
	fill_flow(&ev, type, net, flow);
	queue(&ev);
}

void cw_event_threat(struct net *net, const struct cw_threat_event *t,
		     const struct sk_buff *skb, struct cw_rate *rate)
{
	struct cw_event ev = {};

	if (!may_send(rate, &ev.suppressed))
		return;
	if (t->flow) {
		fill_flow(&ev, CW_EVENT_THREAT, net, t->flow);
	} else {
		ev.type = CW_EVENT_THREAT;
		ev.time_ns = ktime_get_real_ns();
		ev.netns_cookie = net->net_cookie;
		ev.key = t->key;
		ev.from_group = CW_GROUP_EXTERNAL;
		ev.to_workload = t->workload;
		ev.to_group = t->group;
		ev.hook = CW_HOOK_INGRESS;
		ev.app.dpi = CW_DPI_STATE_OFF;
	}
	ev.mode = t->mode;
	ev.verdict = t->verdict;
	ev.threat = t->threat;
	ev.severity = cw_threat_defs[t->threat].severity;
	if (skb) {
		unsigned int off = skb_network_offset(skb);

		ev.packet_len = min_t(unsigned int, skb->len - off, sizeof(ev.packet));
		if (skb_copy_bits(skb, off, ev.packet, ev.packet_len))
			ev.packet_len = 0;
	}
	queue(&ev);
}

static bool pop(struct ring *ring, struct cw_event *ev)
{
	bool found = false;

	spin_lock_bh(&ring->lock);
	if (ring->head != ring->tail) {
		*ev = ring->events[ring->tail % CW_EVENT_RING];
		ring->tail++;
		found = true;
	}
	spin_unlock_bh(&ring->lock);
	return found;
}

static void send_events(struct work_struct *work)
{
	struct cw_event ev;
	u64 lost;
	int cpu;

	/* Queued by a hook that raced with cw_events_stop(): the family may
	 * be gone, the ring is freed with the module. */
	if (READ_ONCE(stopped))
		return;
	for_each_possible_cpu(cpu) {
		while (pop(&rings[cpu], &ev))
			cw_nl_event_send(&ev);
		cond_resched();
	}
	lost = atomic64_xchg(&lost_pending, 0);
	if (lost) {
		memset(&ev, 0, sizeof(ev));
		ev.type = CW_EVENT_LOST;
		ev.time_ns = ktime_get_real_ns();
		ev.lost = lost;
		cw_nl_event_send(&ev);
	}
}

int __init cw_events_init(void)
{
	int cpu;

	rings = vzalloc(array_size(nr_cpu_ids, sizeof(*rings)));
	if (!rings)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		spin_lock_init(&rings[cpu].lock);
	return 0;
}

void cw_events_stop(void)
{
	WRITE_ONCE(stopped, true);
	cancel_work_sync(&events_work);
}

void cw_events_uninit(void)
{
	/* A hook that passed the stopped check before may have queued. */
	cancel_work_sync(&events_work);
	vfree(rings);
}
