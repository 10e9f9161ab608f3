# SPDX-License-Identifier: GPL-2.0-only
# hv debug-regs and hv sysrq on a running two-vCPU domain: each vCPU
# answers with its registers (a kernel rip, IF) and its local APIC's
# state, the guest kernel takes a magic SysRq key from its serial port,
# and the domain runs on afterwards, twice over (a debug-regs kick must
# not leave a vCPU stuck outside the guest).
cfg=$(mkcfg dbg shell "vcpus = 2")
hv create "$cfg" || fail "create"
wait_init dbg
for round in 1 2; do
	regs=$(hv debug-regs dbg) || fail "debug-regs, round $round"
	echo "$regs"
	for v in 0 1; do
		echo "$regs" | grep -q "^vCPU $v: rip 0xffffffff[0-9a-f]* .*(IF [01])" ||
			fail "debug-regs: no kernel rip for vCPU $v (round $round)"
		echo "$regs" | grep -q "^vCPU $v: mp_state [0-9]* .*lapic tpr" ||
			fail "debug-regs: no interrupt state for vCPU $v (round $round)"
	done
	out=$(guest_run dbg 30 'echo alive')
	[ "$out" = alive ] || fail "the guest does not answer after debug-regs (round $round)"
done
hv sysrq dbg h || fail "sysrq"
wait_for 20 log_has dbg "sysrq: HELP" || fail "the guest's kernel did not take SysRq h"
hv sysrq dbg '' 2>/dev/null && fail "sysrq with an empty key succeeded"
out=$(guest_run dbg 30 'echo alive')
[ "$out" = alive ] || fail "the guest does not answer after sysrq"
hv destroy dbg || fail "destroy"
