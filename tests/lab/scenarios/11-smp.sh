# SPDX-License-Identifier: GPL-2.0-only
# vcpus=2: the guest brings up both vCPUs (ACPI MADT), and sees its memory.
cfg=$(mkcfg smp halt "vcpus = 2" "memory = 256")
hv create "$cfg" || fail "hv create"
wait_init smp
log_has smp "cpus=2 " || { grep "init reached" "$(guest_log smp)"; fail "guest does not see 2 CPUs"; }
kb=$(sed -n 's/.*mem_kb=\([0-9]*\).*/\1/p' "$(guest_log smp)" | head -n1)
[ "$kb" -gt 200000 ] && [ "$kb" -le 262144 ] || fail "guest sees $kb KiB, not ~256 MiB"
hv destroy smp || fail "hv destroy"
