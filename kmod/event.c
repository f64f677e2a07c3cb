// SPDX-License-Identifier: GPL-2.0
/*
 * Events: the packet path fills a per-CPU ring, a worker sends them on
 * the events multicast group. Nothing waits for a listener; a full ring
 * loses events and counts them.
 */

#include "event.h"
#include "netlink.h"
#include "workload.h"

#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#define CW_EVENT_RING 128	/* per CPU; ~27 KiB (alloc_percpu's limit: 32) */

struct ring {
	spinlock_t lock;
	unsigned int head, tail;	/* head - tail events are queued */
	struct cw_event events[CW_EVENT_RING];
};

static struct ring __percpu *rings;
static atomic64_t lost_total, lost_pending;
static bool stopped;

static void send_events(struct work_struct *work);
static DECLARE_WORK(events_work, send_events);

u64 cw_events_lost(void)
{
	return atomic64_read(&lost_total);
}

void cw_event_flow(u8 type, struct net *net, struct cw_flow *flow,
		   struct cw_rate *rate, bool local_task)
{
	char comm[TASK_COMM_LEN] = "";
	struct cw_flow_app app;
	struct cw_event *ev;
	struct ring *ring;
	u32 suppressed, pid = 0;

	if (READ_ONCE(stopped) || !cw_nl_event_listeners())
		return;
	if (!cw_rate_allow(rate, &suppressed))
		return;
	/* Before the ring lock, and without the task lock (get_task_comm),
	 * which softirqs must never wait for: a name being renamed may show
	 * torn, nothing worse. */
	if (local_task && in_task() && current->mm) {
		pid = task_tgid_nr(current);
		strscpy_pad(comm, current->comm, sizeof(comm));
	}

	cw_flow_app(flow, &app);

	local_bh_disable();
	ring = this_cpu_ptr(rings);
	spin_lock(&ring->lock);
	if (ring->head - ring->tail >= CW_EVENT_RING) {
		spin_unlock(&ring->lock);
		local_bh_enable();
		atomic64_inc(&lost_total);
		atomic64_inc(&lost_pending);
		return;
	}
	ev = &ring->events[ring->head % CW_EVENT_RING];
	memset(ev, 0, sizeof(*ev));
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
	ev->suppressed = suppressed;
	ev->pid = pid;
	memcpy(ev->comm, comm, sizeof(ev->comm));
	ev->app = app;
	ring->head++;
	spin_unlock(&ring->lock);
	local_bh_enable();
	schedule_work(&events_work);
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
		while (pop(per_cpu_ptr(rings, cpu), &ev))
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

	rings = alloc_percpu(struct ring);
	if (!rings)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(rings, cpu)->lock);
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
	free_percpu(rings);
}
