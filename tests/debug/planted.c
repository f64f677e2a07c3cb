// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate bugs, built into a test copy of the module only (Kbuild's
 * CW_PLANTED_BUG=uaf|leak): make check-debug proves that the debug kernel
 * and the runner catch them. Never part of the shipped module.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

void cw_planted_bug(void);

/* Opaque to the compiler, so that it cannot prove the bug and drop it. */
static void *volatile planted;

static noinline void cw_planted_use_after_free(void)
{
	u8 *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	planted = p;
	kfree(p);
	pr_info("planted use-after-free reads %u\n", ((u8 *)planted)[8]);
}

static noinline void cw_planted_leak(void)
{
	planted = kmalloc(256, GFP_KERNEL);
	pr_info("planted leak at %p\n", planted);
	planted = NULL;
}

void cw_planted_bug(void)
{
	if (!strcmp(CW_PLANTED_BUG, "uaf"))
		cw_planted_use_after_free();
	else if (!strcmp(CW_PLANTED_BUG, "leak"))
		cw_planted_leak();
	else
		pr_err("unknown planted bug %s\n", CW_PLANTED_BUG);
}
