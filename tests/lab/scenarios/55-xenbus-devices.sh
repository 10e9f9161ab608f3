# SPDX-License-Identifier: GPL-2.0-only
# Xenbus devices end to end. dom0 writes an "xbtest" backend and frontend
# directory as a toolstack does; dom0's core puts the backend on the
# hvx-backend bus (xbtest_back drives it), the domU's core puts the
# frontend on the hvx bus and udev loads xbtest_front by its alias. Both
# walk Initialising -> InitWait -> Initialised -> Connected over a granted
# page (each checks the other's pattern) and an event channel, then:
#   device 0: the backend closes first (its close parameter), both reach
#             Closed, then the directories go and so do the devices;
#   device 1: the directories go while Connected, and the devices with them;
#   device 2: the frontend driver is unloaded while Connected: both close;
#   device 3: the domU is destroyed while Connected: hv destroy removes
#             the backend directory and the backend lets the device go.
# Every port, grant and mapping is released on both sides.
#
#   dom0: xbtest_back  backend/xbtest/D/N  <-- state -->  device/xbtest/N  domU: xbtest_front
#         (maps the page, binds the port)                 (grants, offers a port)
#                  \_________ xenstored (dom0) _________/
dmesg | grep -q "hvx_core: store ready" ||
	wait_for 20 sh -c 'dmesg | grep -q "hvx_core: store ready"' ||
	fail "dom0's kernel never reached the store (xenstored serving /proc/xen/xsd_kva?)"
insmod /lab/modules/xbtest_back.ko || fail "insmod xbtest_back"
hv create "$(mkcfg xb shell)" || fail "create"
wait_init xb
domid=$(domain_field xb 2)
guest_run xb 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
guest_run xb 30 'n=0; until dmesg | grep -q "hvx_core: store ready"; do n=$((n+1)); [ $n -gt 100 ] && exit 1; sleep 0.2; done' ||
	fail "the domU's kernel never reached the store"

# add_device N: both directories with xl's permissions, state last.
add_device() {
	local fe=/local/domain/$domid/device/xbtest/$1
	local be=/local/domain/0/backend/xbtest/$domid/$1
	xenstore-write "$fe" "" "$be" "" || return 1
	xenstore-chmod "$fe" "n$domid" r0 || return 1
	xenstore-chmod "$be" n0 "r$domid" || return 1
	xenstore-write "$fe/backend" "$be" "$fe/backend-id" 0 \
		"$be/frontend" "$fe" "$be/frontend-id" "$domid" || return 1
	xenstore-write "$be/state" 1 "$fe/state" 1
}

states() {
	echo "$(xenstore-read "/local/domain/0/backend/xbtest/$domid/$1/state" 2>/dev/null)/$(xenstore-read "/local/domain/$domid/device/xbtest/$1/state" 2>/dev/null)"
}

wait_states() {
	wait_for "${3:-30}" sh -c "[ \"\$(xenstore-read /local/domain/0/backend/xbtest/$domid/$1/state)/\$(xenstore-read /local/domain/$domid/device/xbtest/$1/state)\" = $2 ]"
}

remove_device() {
	xenstore-rm "/local/domain/$domid/device/xbtest/$1" &&
		xenstore-rm "/local/domain/0/backend/xbtest/$domid/$1"
}

show() {
	xenstore-ls -f /local/domain/0/backend 2>&1 | head -20
	xenstore-ls -f "/local/domain/$domid/device" 2>&1 | head -20
	xenstore-ls -f "/local/domain/$domid/error" 2>&1 | head
	dmesg | grep -E "xbtest|hvx_core" | tail -8
}

p=/sys/module/xbtest_back/parameters
fp=/sys/module/xbtest_front/parameters
note "device 0: connect"
add_device 0 || fail "writing device 0's directories"
wait_states 0 4/4 || { show; fail "device 0 did not connect (backend/frontend states $(states 0))"; }
[ -d "/sys/bus/hvx-backend/devices/xbtest-$domid-0" ] || fail "no xbtest-$domid-0 on the hvx-backend bus"
[ "$(cat "/sys/bus/hvx-backend/devices/xbtest-$domid-0/state")" = Connected ] || fail "sysfs state"
[ "$(cat "/sys/bus/hvx-backend/devices/xbtest-$domid-0/modalias")" = hvx-backend:xbtest ] ||
	fail "backend modalias"
[ "$(cat $p/connected)/$(cat $p/bad_pattern)" = 1/0 ] ||
	fail "xbtest_back: connected $(cat $p/connected), bad_pattern $(cat $p/bad_pattern)"
grep -q xbtest-back /proc/interrupts || fail "dom0: no xbtest-back in /proc/interrupts"
grep -q xenbus /proc/interrupts || fail "dom0: no xenbus in /proc/interrupts"
out=$(guest_run xb 30 "grep -c '^xbtest_front ' /proc/modules; cat /sys/bus/hvx/devices/xbtest-0/nodename /sys/bus/hvx/devices/xbtest-0/modalias /sys/bus/hvx/devices/xbtest-0/state; cat $fp/connected $fp/bad_pattern $fp/events; grep -c -e xbtest-front -e xenbus /proc/interrupts")
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = 1 ] || fail "udev did not load xbtest_front"
[ "$(echo "$out" | sed -n 2p)" = device/xbtest/0 ] || fail "frontend nodename"
[ "$(echo "$out" | sed -n 3p)" = hvx:xbtest ] || fail "frontend modalias"
[ "$(echo "$out" | sed -n 4p)" = Connected ] || fail "frontend sysfs state"
[ "$(echo "$out" | sed -n 5p)/$(echo "$out" | sed -n 6p)" = 1/0 ] || fail "xbtest_front did not connect cleanly"
[ "$(echo "$out" | sed -n 7p)" -ge 1 ] 2>/dev/null || fail "the frontend got no event from the backend"
[ "$(echo "$out" | sed -n 8p)" = 2 ] || fail "domU: xbtest-front and xenbus not both in /proc/interrupts"
[ "$(hv_counter nr_grant_maps)" = 1 ] || fail "dom0 should map one grant, maps $(hv_counter nr_grant_maps)"

note "device 0: the backend closes"
echo 1 > $p/close || fail "close"
wait_states 0 6/6 || { show; fail "device 0 did not close (states $(states 0))"; }
[ "$(hv_counter nr_grant_maps)" = 0 ] || fail "a grant mapping outlived Closed"
grep -q xbtest-back /proc/interrupts && fail "dom0: xbtest-back still bound after Closed"
remove_device 0 || fail "removing device 0's directories"
wait_for 10 sh -c "[ ! -e /sys/bus/hvx-backend/devices/xbtest-$domid-0 ]" ||
	fail "xbtest-$domid-0 stayed after its directory went"
out=$(guest_run xb 30 "n=0; while [ -e /sys/bus/hvx/devices/xbtest-0 ] && [ \$n -lt 50 ]; do n=\$((n+1)); sleep 0.2; done; ls /sys/bus/hvx/devices | wc -l; cat $fp/closed $fp/refs_in_use; grep -c xbtest-front /proc/interrupts")
echo "$out"
[ "$(echo "$out" | tr '\n' ' ')" = "0 1 0 0 " ] ||
	fail "domU after device 0: devices/closed/grant refs/irqs = $(echo "$out" | tr '\n' ' ')"

note "device 1: the directories go while connected"
add_device 1 || fail "writing device 1's directories"
wait_states 1 4/4 || { show; fail "device 1 did not connect (states $(states 1))"; }
[ "$(cat $p/connected)" = 2 ] || fail "xbtest_back connected $(cat $p/connected) devices, not 2"
remove_device 1 || fail "removing device 1's directories"
wait_for 10 sh -c "[ ! -e /sys/bus/hvx-backend/devices/xbtest-$domid-1 ]" ||
	fail "xbtest-$domid-1 stayed after its directory went"
wait_for 10 sh -c '[ "$(. /lab/tests/lib.sh; hv_counter nr_grant_maps)" = 0 ]' ||
	fail "a grant mapping outlived device 1"
out=$(guest_run xb 30 "n=0; while [ \"\$(ls /sys/bus/hvx/devices | wc -l)\$(cat $fp/refs_in_use)\" != 00 ] && [ \$n -lt 50 ]; do n=\$((n+1)); sleep 0.2; done; ls /sys/bus/hvx/devices | wc -l; cat $fp/refs_in_use; grep -c xbtest-front /proc/interrupts")
echo "$out"
[ "$(echo "$out" | tr '\n' ' ')" = "0 0 0 " ] ||
	fail "domU after device 1: devices/grant refs/irqs = $(echo "$out" | tr '\n' ' ')"

note "device 2: the frontend driver is unloaded while connected"
add_device 2 || fail "writing device 2's directories"
wait_states 2 4/4 || { show; fail "device 2 did not connect (states $(states 2))"; }
guest_run xb 30 'rmmod xbtest_front' || fail "rmmod xbtest_front"
wait_states 2 6/6 || { show; fail "device 2 did not close (states $(states 2))"; }
[ "$(hv_counter nr_grant_maps)" = 0 ] || fail "a grant mapping outlived device 2's frontend"
remove_device 2 || fail "removing device 2's directories"

note "device 3: the domain is destroyed while connected"
guest_run xb 30 'modprobe xbtest_front' || fail "modprobe xbtest_front"
add_device 3 || fail "writing device 3's directories"
wait_states 3 4/4 || { show; fail "device 3 did not connect (states $(states 3))"; }
hv destroy xb
wait_for 30 gone xb || fail "xb not destroyed"
# hv destroy removes the dead domain's backend directories (as xl does):
# the backend device goes with its directory, its mapping and port too.
xenstore-exists "/local/domain/0/backend/xbtest/$domid" &&
	{ show; fail "hv destroy left the dead domain's backend directory"; }
wait_for 10 sh -c "[ -z \"\$(ls /sys/bus/hvx-backend/devices)\" ]" ||
	fail "backend devices stayed after their directories went"
[ "$(hv_counter nr_grant_maps)" = 0 ] || fail "a grant mapping outlived the frontend's domain"
xenstore-rm "/local/domain/0/backend/xbtest" || fail "removing the backends' directory"
[ "$(cat $p/connected)/$(cat $p/bad_pattern)" = 4/0 ] ||
	fail "xbtest_back: connected $(cat $p/connected), bad_pattern $(cat $p/bad_pattern)"
rmmod xbtest_back || fail "rmmod xbtest_back"
counters_zero || fail "hv.ko still holds something for a dead domain"
