# SPDX-License-Identifier: GPL-2.0-only
# dom0 still maps a domU's granted page when the domU is destroyed: the
# mapping stays valid (the page is held, not freed under dom0) until dom0
# unmaps it, and then nothing of the domain is left in hv.ko.
hv create "$(mkcfg held shell)" || fail "create"
wait_init held
domid=$(domain_field held 2)
out=$(guest_run held 60 "$GUEST_WAIT_CORE && modprobe evtping_front hcall_rounds=0 &&
	echo ref=\$(cat /sys/module/evtping_front/parameters/ref) port=\$(cat /sys/module/evtping_front/parameters/port)") ||
	fail "evtping_front: $out"
ref=$(echo "$out" | sed -n 's/.*ref=\([0-9]*\).*/\1/p')
port=$(echo "$out" | sed -n 's/.*port=\([0-9]*\).*/\1/p')
insmod /lab/modules/evtping_back.ko domid="$domid" ref="$ref" port="$port" rounds=10 hold=1 ||
	fail "evtping_back"
[ "$(hv_counter nr_grant_maps)" = 1 ] || fail "expected one grant mapping, hv info says $(hv_counter nr_grant_maps)"
hv destroy held
wait_for 30 gone held || fail "held not destroyed"
[ "$(hv_counter nr_grant_maps)" = 1 ] || fail "the mapping vanished under dom0"
rmmod evtping_back || fail "rmmod evtping_back"
counters_zero || fail "hv.ko still holds something after the unmap"
