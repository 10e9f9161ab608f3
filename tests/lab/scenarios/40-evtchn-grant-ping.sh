# SPDX-License-Identifier: GPL-2.0-only
# The core loads by udev in a domU; a guest test module and a dom0 test
# module ping-pong over an event channel and share a granted page: dom0
# maps it (zero copy), checks the guest's pattern and writes its own, and
# the guest finds dom0's pattern. Both IRQs show by name in
# /proc/interrupts; every port, mapping and pinned page is gone at the end.
hv create "$(mkcfg ping shell)" || fail "create"
wait_init ping
domid=$(domain_field ping 2)
guest_run ping 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
out=$(guest_run ping 60 'modprobe evtping_front hcall_rounds=2000 &&
	cd /sys/module/evtping_front/parameters && echo ref=$(cat ref) port=$(cat port) hcall=$(cat hcall_median_ns)/$(cat hcall_p99_ns)') ||
	fail "evtping_front: $out"
echo "$out"
ref=$(echo "$out" | sed -n 's/.*ref=\([0-9]*\).*/\1/p')
port=$(echo "$out" | sed -n 's/.*port=\([0-9]*\).*/\1/p')
[ -n "$ref" ] && [ -n "$port" ] || fail "no ref/port from the guest"
insmod /lab/modules/evtping_back.ko domid="$domid" ref="$ref" port="$port" rounds=2000 ||
	{ dmesg | tail -5; fail "evtping_back"; }
p=/sys/module/evtping_back/parameters
note "event round trip dom0->domU->dom0: median $(cat $p/median_ns) ns, p99 $(cat $p/p99_ns) ns"
[ "$(cat $p/completed)" = 2000 ] || fail "only $(cat $p/completed) round trips"
grep -q evtping-back /proc/interrupts || fail "dom0: no evtping-back in /proc/interrupts"
out=$(guest_run ping 30 'cat /sys/module/evtping_front/parameters/verdict; grep -c evtping-front /proc/interrupts; cat /sys/module/evtping_front/parameters/pongs')
echo "$out"
echo "$out" | grep -q '^ok' || fail "the guest did not find dom0's pattern in the granted page"
[ "$(echo "$out" | sed -n 3p)" -ge 2000 ] 2>/dev/null || fail "the guest answered fewer than 2000 events"
rmmod evtping_back || fail "rmmod evtping_back"
[ "$(hv_counter nr_grant_maps)" = 0 ] || fail "a grant mapping outlived evtping_back"
guest_run ping 30 'rmmod evtping_front' || fail "rmmod evtping_front"
hv destroy ping
wait_for 30 gone ping || fail "ping not destroyed"
counters_zero || fail "hv.ko still holds something for a dead domain"
