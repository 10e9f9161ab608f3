# SPDX-License-Identifier: GPL-2.0-only
# The network split driver end to end:
#
#   dom0: xenbr0 192.0.2.1 ── vifD.0 (netback) ══ netif rings ══ eth0 (netfront) 192.0.2.10 :domU
#
# hv create writes the vif nodes from the config's vif = [...]; netback
# makes vifD.0, udev runs vif-bridge (vifD.0 onto xenbr0, hotplug-status),
# udev in the guest loads netfront, both sides reach Connected. Then: ping
# both ways, 8 MiB each way over HTTP (busybox httpd + wget) checked with sha256,
# UDP both ways with every datagram checked (tcprr -u), iperf3 TCP both
# ways and UDP, MTU 9000 (UDP checked again), then teardown with no leak.
net_setup
hv create "$(mkcfg n1 shell "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:10' ]")" || fail "create"
wait_init n1
domid=$(domain_field n1 2)
be=/local/domain/0/backend/vif/$domid/0
fe=/local/domain/$domid/device/vif/0
show() {
	xenstore-ls -f "$be" 2>&1 | head -30
	xenstore-ls -f "$fe" 2>&1 | head -30
	xenstore-ls -f "/local/domain/$domid/error" 2>&1 | head
	dmesg | grep -E "netback|vif" | tail -10
}
wait_for 60 sh -c "[ \"\$(xenstore-read $be/state)/\$(xenstore-read $fe/state)\" = 4/4 ]" ||
	{ show; fail "vif did not connect (states $(xenstore-read $be/state)/$(xenstore-read $fe/state))"; }
[ "$(xenstore-read $be/hotplug-status)" = connected ] || fail "hotplug-status"
$IP link show "vif$domid.0" | grep -q "master xenbr0" || fail "vif$domid.0 is not on xenbr0"
[ "$(xenstore-read $fe/mac)" = 00:16:3e:00:00:10 ] || fail "frontend mac"
hv network-list n1 | grep -q "00:16:3e:00:00:10" || fail "network-list"

note "guest: eth0 up, ping dom0"
guest_run n1 60 "ip link set eth0 up && ip addr add 192.0.2.10/24 dev eth0 && cat /sys/class/net/eth0/address && ping -c 3 -W 5 192.0.2.1" ||
	{ show; fail "guest cannot ping dom0"; }
note "dom0 pings the guest"
ping -c 3 -W 5 192.0.2.10 || fail "dom0 cannot ping the guest"

note "TCP dom0 -> guest, 8 MiB over HTTP, sha256 checked"
mkdir -p /lab/scratch/www
dd if=/dev/urandom of=/lab/scratch/www/blob bs=64k count=128 2>/dev/null
want=$(sha256sum /lab/scratch/www/blob | cut -d' ' -f1)
busybox httpd -f -p 192.0.2.1:8080 -h /lab/scratch/www &
hpid=$!
trap 'kill $hpid 2>/dev/null' EXIT
sleep 0.5
got=$(guest_run n1 120 'wget -q -O /tmp/in http://192.0.2.1:8080/blob && sha256sum /tmp/in | cut -d" " -f1; rm -f /tmp/in') ||
	fail "guest wget"
[ "$got" = "$want" ] || fail "dom0 -> guest: sha256 '$got', sent '$want'"

note "TCP guest -> dom0, 8 MiB over HTTP, sha256 checked"
want=$(guest_run n1 60 'mkdir -p /tmp/www && dd if=/dev/urandom of=/tmp/www/blob bs=64k count=128 2>/dev/null && httpd -p 8080 -h /tmp/www && sha256sum /tmp/www/blob | cut -d" " -f1') ||
	fail "guest httpd"
rm -f /lab/scratch/out
wget -q -O /lab/scratch/out http://192.0.2.10:8080/blob || fail "dom0 wget"
got=$(sha256sum /lab/scratch/out | cut -d' ' -f1)
[ -n "$want" ] && [ "$got" = "$want" ] ||
	{ ethtool -S "vif$domid.0"; fail "guest -> dom0: sha256 '$got' ($(wc -c < /lab/scratch/out) bytes), sent '$want'"; }

note "UDP both ways, every datagram checked (tcprr -u: 1000 of 1-8000 bytes, fragmented)"
tcprr -E 5300 &
upid=$!
trap 'kill $hpid $upid 2>/dev/null' EXIT
sleep 0.3
out=$(guest_run n1 120 "tcprr -u 192.0.2.1 5300 1000") || fail "UDP guest -> dom0 -> guest: $out"
echo "guest to dom0 and back: $out"
guest_run n1 20 "tcprr -e 5301" || fail "guest UDP echo"
out=$(tcprr -u 192.0.2.10 5301 1000) || fail "UDP dom0 -> guest -> dom0: $out"
echo "dom0 to guest and back: $out"

if [ -x /usr/bin/iperf3 ]; then
	note "iperf3 TCP both ways, UDP"
	iperf3 -s -D -1 >/dev/null 2>&1
	sleep 0.5
	guest_run n1 60 "iperf3 -c 192.0.2.1 -t 3 -f m | tail -4" || fail "iperf3 guest -> dom0"
	iperf3 -s -D -1 >/dev/null 2>&1
	sleep 0.5
	guest_run n1 60 "iperf3 -c 192.0.2.1 -t 3 -R -f m | tail -4" || fail "iperf3 dom0 -> guest"
	iperf3 -s -D -1 >/dev/null 2>&1
	sleep 0.5
	out=$(guest_run n1 60 "iperf3 -c 192.0.2.1 -u -b 20M -t 3 -f m | tail -4") || fail "iperf3 UDP"
	echo "$out"
fi

note "MTU 9000"
$IP link set "vif$domid.0" mtu 9000 && $IP link set xenbr0 mtu 9000 || fail "dom0 mtu 9000"
guest_run n1 30 "ip link set eth0 mtu 9000 && ping -c 2 -W 5 -s 8900 192.0.2.1" || fail "jumbo ping from the guest"
ping -c 2 -W 5 -s 8900 192.0.2.10 || fail "jumbo ping to the guest"
out=$(tcprr -u 192.0.2.10 5301 300) || fail "UDP at MTU 9000: $out"
echo "MTU 9000, dom0 to guest and back: $out"

ethtool -S "vif$domid.0" 2>/dev/null | head -12
cat "/sys/class/net/vif$domid.0/statistics/rx_errors" "/sys/class/net/vif$domid.0/statistics/tx_dropped"

note "detach while running, then destroy"
hv network-detach n1 0 || fail "network-detach"
wait_for 10 sh -c "! $IP link show vif$domid.0" || fail "vif$domid.0 still there after detach"
hv destroy n1 || fail "destroy"
wait_for 10 gone n1 || fail "n1 not gone"
$IP link del xenbr0
true
