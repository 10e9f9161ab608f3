# SPDX-License-Identifier: GPL-2.0-only
# netfront unloaded and loaded again, many times, while the backend stays:
#
#   guest eth0 192.0.2.50 (netfront: rmmod, modprobe, unbind, bind) ══ vifD.0 (netback) ── xenbr0
#
# Each round must end Connected on both sides with traffic flowing:
#  - rmmod, wait for Closed/Closed, modprobe (scenario 82's sequence);
#  - rmmod and modprobe back to back (the backend may see the frontend's
#    Closed and Initialising in one go, or only the Initialising);
#  - the driver unbound and bound again through sysfs.
# A frontend that probes while the backend still says Closed (it has not
# seen the new Initialising yet) must wait for it, not close again: that
# left both ends Closed now and then (scenario 82, before the fix).
# At the end no grant mapping or port is left.
net_setup
hv create "$(mkcfg rl shell "vif = [ 'bridge=xenbr0' ]")" || fail "create"
wait_init rl
d=$(domain_field rl 2)
be=/local/domain/0/backend/vif/$d/0
fe=/local/domain/$d/device/vif/0
state() { echo "$(xenstore-read "$be/state")/$(xenstore-read "$fe/state")"; }
wait_state() { wait_for "$2" sh -c "[ \"\$(xenstore-read $be/state)/\$(xenstore-read $fe/state)\" = $1 ]"; }
wait_state 4/4 60 || fail "vif: $(state)"
UP="n=0; until ip link show eth0 >/dev/null 2>&1; do n=\$((n+1)); [ \$n -gt 50 ] && break; sleep 0.2; done; ip link set eth0 up && ip addr add 192.0.2.50/24 dev eth0 && ping -c 1 -W 5 192.0.2.1 >/dev/null"
guest_run rl 40 "$UP" || fail "first ping"

round() {	# NAME GUEST-COMMANDS
	guest_run rl 40 "$2" || fail "$1: guest commands failed"
	wait_state 4/4 20 || { dmesg | grep -E "netback|vif$d" | tail -5; fail "$1: states $(state), not 4/4"; }
	guest_run rl 40 "$UP" || fail "$1: no traffic after reconnecting"
}

for i in 1 2 3 4; do
	note "round $i: rmmod, Closed/Closed, modprobe"
	guest_run rl 30 "rmmod netfront" || fail "rmmod $i"
	wait_state 6/6 20 || fail "round $i: after rmmod $(state), not 6/6"
	round "round $i" "modprobe netfront"
done
for i in 1 2 3; do
	note "round $i: rmmod and modprobe back to back"
	round "back-to-back $i" "rmmod netfront && modprobe netfront"
done
for i in 1 2; do
	note "round $i: unbind and bind"
	round "rebind $i" "echo vif-0 > /sys/bus/hvx/drivers/netfront/unbind && echo vif-0 > /sys/bus/hvx/drivers/netfront/bind"
done
dmesg | grep -c "vif$d.0: connected" | sed 's/^/backend connections: /'

note "teardown: nothing left"
hv destroy rl || fail "destroy"
wait_for 10 gone rl || fail "not gone"
xenstore-rm "/local/domain/0/backend/vif/$d" 2>/dev/null
wait_for 10 sh -c "! $IP link show vif$d.0" || fail "vif$d.0 left behind"
wait_for 10 counters_zero || { counters_zero; fail "hv.ko still holds grants or ports"; }
$IP link del xenbr0
true
