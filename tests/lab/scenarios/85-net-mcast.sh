# SPDX-License-Identifier: GPL-2.0-only
# Multicast control (feature-multicast-control, dynamic variant): netfront
# sends its multicast list as MCAST_ADD/DEL extras, netback passes the
# guest only the multicast frames it listed, and filtering follows the
# guest's all-multicast mode through request-multicast-control.
#
#   dom0 ping 224.1.2.3 (01:00:5e:01:02:03) -> xenbr0 -> vifD.0 [filter] ══ eth0 (netfront)
net_setup
hv create "$(mkcfg mc shell "vif = [ 'bridge=xenbr0' ]")" || fail "create"
wait_init mc
d=$(domain_field mc 2)
be=/local/domain/0/backend/vif/$d/0
fe=/local/domain/$d/device/vif/0
wait_for 60 sh -c "[ \"\$(xenstore-read $be/state)/\$(xenstore-read $fe/state)\" = 4/4 ]" ||
	fail "vif did not connect"
[ "$(xenstore-read $be/feature-multicast-control)/$(xenstore-read $be/feature-dynamic-multicast-control)" = 1/1 ] ||
	fail "netback does not offer multicast control"
guest_run mc 30 "ip link set eth0 up && ip addr add 192.0.2.60/24 dev eth0 && ping -c 1 -W 5 192.0.2.1 >/dev/null" ||
	fail "guest network"
wait_for 10 sh -c "[ \"\$(xenstore-read $fe/request-multicast-control)\" = 1 ]" ||
	fail "netfront did not ask for filtering: $(xenstore-read $fe/request-multicast-control)"
$IP route add 224.0.0.0/4 dev xenbr0 2>/dev/null

stat() { ethtool -S "vif$d.0" | awk -v k="$1:" '$1 == k {print $2}'; }
# send6: six ICMP echoes to 224.1.2.3 from dom0 (nobody answers)
send6() { ping -c 6 -W 1 224.1.2.3 >/dev/null 2>&1; sleep 0.3; }
# expect_filtered yes|no WHY: the six were filtered (mcast_filtered grew
# by 6 or more) or not (by 2 at most: dom0's own IPv6 and IGMP multicast,
# which the guest did not list, may be filtered meanwhile)
expect_filtered() {
	local before=$f now
	send6
	now=$(stat mcast_filtered)
	f=$now
	echo "   mcast_filtered $before -> $now ($2)"
	if [ "$1" = no ]; then
		[ "$now" -le $((before + 2)) ] || fail "$2: frames were filtered"
	else
		[ "$now" -ge $((before + 6)) ] || fail "$2: frames were not filtered"
	fi
}
[ "$(stat mcast_ctrl)" -gt 0 ] || fail "netfront sent no MCAST_ADD (its IPv6 groups)"

note "not listed: filtered"
f=$(stat mcast_filtered)
expect_filtered yes "224.1.2.3 not listed"

note "listed: delivered"
rx0=$(guest_run mc 20 "/usr/bin/ip maddr add 01:00:5e:01:02:03 dev eth0 && sleep 0.5 && cat /sys/class/net/eth0/statistics/rx_packets") ||
	fail "/usr/bin/ip maddr add"
expect_filtered no "224.1.2.3 listed"
rx1=$(guest_run mc 20 "cat /sys/class/net/eth0/statistics/rx_packets")
echo "   guest rx_packets $rx0 -> $rx1"
[ "$rx1" -ge $((rx0 + 6)) ] || fail "the guest did not receive the listed group's frames"

note "removed: filtered again"
guest_run mc 20 "/usr/bin/ip maddr del 01:00:5e:01:02:03 dev eth0 && sleep 0.5" || fail "ip maddr del"
expect_filtered yes "224.1.2.3 removed"

note "all-multicast: filtering off (dynamic), then on again"
guest_run mc 20 "/usr/bin/ip link set eth0 allmulticast on" || fail "allmulticast on"
wait_for 10 sh -c "[ \"\$(xenstore-read $fe/request-multicast-control)\" = 0 ]" ||
	fail "request-multicast-control did not go to 0"
expect_filtered no "all-multicast"
guest_run mc 20 "/usr/bin/ip link set eth0 allmulticast off" || fail "allmulticast off"
wait_for 10 sh -c "[ \"\$(xenstore-read $fe/request-multicast-control)\" = 1 ]" ||
	fail "request-multicast-control did not go back to 1"
expect_filtered yes "all-multicast off"
guest_run mc 20 "ping -c 1 -W 5 192.0.2.1 >/dev/null" || fail "unicast after the filter changes"

$IP route del 224.0.0.0/4 dev xenbr0 2>/dev/null
hv destroy mc || fail "destroy"
wait_for 10 gone mc || fail "not gone"
xenstore-rm "/local/domain/0/backend/vif/$d" 2>/dev/null
wait_for 10 sh -c "! $IP link show vif$d.0" || fail "vif$d.0 left behind"
$IP link del xenbr0
true
