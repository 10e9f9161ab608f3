# SPDX-License-Identifier: GPL-2.0-only
# Guest poweroff ends the domain (on_poweroff=destroy, the default).
hv create "$(mkcfg off poweroff)" || fail "create"
wait_init off
wait_for 60 gone off || fail "domain still listed after the guest powered off"
wait_for 5 sh -c '. /lab/tests/lib.sh; [ -z "$(vmm_pids)" ]' || fail "VMM still running"
grep -i "power" /var/log/hv/vmm-off.log || fail "the VMM log does not say the guest powered off"
