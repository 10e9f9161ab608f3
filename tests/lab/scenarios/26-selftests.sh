# SPDX-License-Identifier: GPL-2.0-only
# HVX_DEBUG's self-tests (drivers/xen/core/selftest.c: shared rings, grant
# entries and a grant copy, a loopback event channel, a store transaction
# and watch) pass in dom0's hvx_core and in a domU's. They exist only in a
# debug build: make check-kernel builds dom0's modules with HVX_DEBUG=1 and
# the in-tree domU kernel with CONFIG_HVX_DEBUG=y, and runs this with it.
# In a lab without them (plain make check) it is skipped; check-kernel
# fails a skip.
line=$(dmesg | grep "hvx_core: self-tests:" | tail -n 1)
if [ -z "$line" ]; then
	note "skipped: dom0's hvx_core is not a debug build (make modules HVX_DEBUG=1)"
	exit 77
fi
echo "dom0: $line"
dmesg | grep "hvx_core: self-test " && fail "a self-test failed in dom0"
echo "$line" | grep -q "self-tests: 4 passed, 0 failed" || fail "dom0: $line"
note "dom0: $line"

K=/lab/domU/vmlinuz-intree
[ -f "$K" ] && HV_DOMU_KERNEL=$K
hv create "$(mkcfg st shell)" || fail "create st"
wait_init st
out=$(guest_run st 60 'n=0; until dmesg | grep -q "hvx_core: self-tests:"; do
	n=$((n+1)); [ $n -gt 200 ] && break; sleep 0.2; done; uname -r; dmesg | grep "hvx_core: self-test"') ||
	{ echo "$out"; fail "no self-test result in the domU"; }
echo "$out"
echo "$out" | grep "self-test " && fail "a self-test failed in the domU"
echo "$out" | grep -q "self-tests: 4 passed, 0 failed" || fail "domU: self-tests did not all pass"
note "domU ($(echo "$out" | sed -n 1p)): $(echo "$out" | grep 'self-tests:' | sed 's/.*hvx_core: //')"
hv destroy st
wait_for 30 gone st || fail "st not destroyed"
