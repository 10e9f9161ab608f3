# SPDX-License-Identifier: GPL-2.0-only
# Several queues: a 2-vCPU guest asks for as many queues as it has CPUs
# (netback offers multi-queue-max-queues), each a pair of rings with its
# own event channels (split: feature-split-event-channels) and its own
# thread in dom0; parallel TCP streams both ways use them, and the data
# is checked once more with sha256.
#
#   guest (2 vCPUs) eth0 queues 0,1 ══ vifD.0 threads vifD.0-q0, -q1 ── xenbr0 192.0.2.1
net_setup
hv create "$(mkcfg mq shell "vcpus = 2" "vif = [ 'bridge=xenbr0' ]")" || fail "create"
wait_init mq
d=$(domain_field mq 2)
be=/local/domain/0/backend/vif/$d/0
fe=/local/domain/$d/device/vif/0
wait_for 60 sh -c "[ \"\$(xenstore-read $be/state)/\$(xenstore-read $fe/state)\" = 4/4 ]" ||
	{ xenstore-ls -f "$fe" | head -30; fail "vif did not connect"; }
[ "$(xenstore-read $be/multi-queue-max-queues)" -ge 2 ] || fail "backend offers no queues"
[ "$(xenstore-read $fe/multi-queue-num-queues)" = 2 ] ||
	{ xenstore-ls -f "$fe" | head -30; fail "the frontend did not ask for 2 queues"; }
for n in 0 1; do
	xenstore-read "$fe/queue-$n/tx-ring-ref" >/dev/null && xenstore-read "$fe/queue-$n/event-channel-tx" >/dev/null &&
		xenstore-read "$fe/queue-$n/event-channel-rx" >/dev/null || fail "queue-$n nodes"
	grep -q "vif$d.0-q$n" /proc/interrupts || fail "no vif$d.0-q$n in /proc/interrupts"
done
grep "vif$d.0-q" /proc/interrupts | cut -c1-80
out=$(guest_run mq 30 "ls /sys/class/net/eth0/queues; ip link set eth0 up && ip addr add 192.0.2.40/24 dev eth0 && ping -c 2 -W 5 192.0.2.1 >/dev/null && echo pinged")
echo "$out"
echo "$out" | grep -q tx-1 || fail "eth0 has no second tx queue"
echo "$out" | grep -q pinged || fail "guest cannot ping dom0"

note "parallel streams both ways"
iperf3 -s -D -1 >/dev/null 2>&1
sleep 0.5
guest_run mq 60 "iperf3 -c 192.0.2.1 -t 4 -P 4 -f m | tail -3" || fail "iperf3 -P 4"
iperf3 -s -D -1 >/dev/null 2>&1
sleep 0.5
guest_run mq 60 "iperf3 -c 192.0.2.1 -t 4 -P 4 -R -f m | tail -3" || fail "iperf3 -P 4 -R"
grep "vif$d.0-q" /proc/interrupts | cut -c1-80

note "content check"
mkdir -p /lab/scratch/www
dd if=/dev/urandom of=/lab/scratch/www/blob bs=64k count=64 2>/dev/null
want=$(sha256sum /lab/scratch/www/blob | cut -d' ' -f1)
busybox httpd -f -p 192.0.2.1:8081 -h /lab/scratch/www &
hpid=$!
trap 'kill $hpid 2>/dev/null' EXIT
sleep 0.5
got=$(guest_run mq 90 'wget -q -O /tmp/in http://192.0.2.1:8081/blob && sha256sum /tmp/in | cut -d" " -f1') ||
	fail "guest wget"
[ "$got" = "$want" ] || fail "dom0 -> guest: sha256 '$got', sent '$want'"

hv destroy mq || fail "destroy"
wait_for 10 gone mq || fail "not gone"
xenstore-rm "/local/domain/0/backend/vif/$d" 2>/dev/null
wait_for 10 sh -c "! $IP link show vif$d.0" || fail "vif$d.0 left behind"
$IP link del xenbr0
true
