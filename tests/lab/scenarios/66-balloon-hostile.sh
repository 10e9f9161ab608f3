# SPDX-License-Identifier: GPL-2.0-only
# Hostile reservation ops. balloon-probe plays a domU's VMM and sends
# decrease_reservation / populate_physmap with frames out of range,
# duplicates, a frame dom0 holds grant-mapped (balloon_mapper.ko), orders
# above the limit, counts and lists that overflow, and other domains' ids:
# each is refused, and a real domU running beside it is unaffected.
#
#   dom0: balloon-probe (fake VMM, domain "balloon-probe") --HVCTL_HYPERCALL--> hv.ko
#         balloon_mapper.ko -- grant map --> balloon-probe's frame
#   domU "bystander": its memory and its shell, before and after
cfg=$(mkcfg bystander shell "memory = 160")
hv create "$cfg" || fail "create"
wait_init bystander
guest_run bystander 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded in the domU"
guest_run bystander 40 'echo 1234 > /tmp/mark; grep MemTotal /proc/meminfo' > "$SCRATCH/by-before" ||
	fail "bystander shell"
mem_before=$(hv list bystander | awk 'NR == 2 {print $3}')
dom0_before=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)

balloon-probe /lab/modules/balloon_mapper.ko > "$SCRATCH/probe.out" 2>&1
status=$?
cat "$SCRATCH/probe.out"
[ $status -eq 0 ] || fail "balloon-probe found wrong answers: $(grep '^FAIL' "$SCRATCH/probe.out")"
[ "$(grep -c '^PASS' "$SCRATCH/probe.out")" -ge 45 ] || fail "balloon-probe ran fewer checks than it has"
grep -q "^balloon_mapper " /proc/modules && fail "balloon_mapper left loaded"

gone balloon-probe || fail "the probe's domain outlived it"
[ "$(hv list bystander | awk 'NR == 2 {print $3}')" = "$mem_before" ] ||
	fail "the bystander's memory changed"
[ "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)" = "$dom0_before" ] ||
	fail "dom0's memory changed"
out=$(guest_run bystander 40 'cat /tmp/mark; grep MemTotal /proc/meminfo')
[ "$out" = "$(echo 1234; cat "$SCRATCH/by-before")" ] ||
	{ echo "$out"; cat "$SCRATCH/by-before"; fail "the bystander's state changed"; }
hv destroy bystander
wait_for 20 gone bystander || fail "bystander did not go"
counters_zero || fail "hv.ko still holds something"
