/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/bug.h for host unit tests of hv.ko files: warnings are counted. */
#ifndef TESTS_UNIT_LINUX_BUG_H
#define TESTS_UNIT_LINUX_BUG_H

static int unit_warnings;

#define WARN_ON_ONCE(cond) ({ int c_ = !!(cond); unit_warnings += c_; c_; })

#endif
