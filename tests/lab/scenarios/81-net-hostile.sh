# SPDX-License-Identifier: GPL-2.0-only
# netback against a hostile frontend (tests/kmod/nethostile), while a
# well-behaved guest keeps talking to dom0:
#
#   n1: nethostile (in netfront's place) ══ vifA.0 ─┐
#                                                   xenbr0 192.0.2.1 (dom0)
#   n2: netfront eth0 192.0.2.11 ══════════ vifB.0 ─┘
#
# Each case runs on a fresh connection (nethostile unbound and bound
# again). A dropped packet gets an error response and the vif stays up; a
# fatal one disables the vif (no response, fatal_errors counts it); bad
# control-ring messages (offsets that wrap, a key too long) and multicast
# control messages (a unicast address, a 65th address) get an error
# status, an impossible ctrl req_prod stops only that ring. After
# every case dom0 and n2 still pass traffic; at the end nothing leaks.
net_setup
# One after the other: two nested guests booting at once set off the
# lab's dom0 panic (docs/lab.md).
hv create "$(mkcfg n1 shell "vif = [ 'bridge=xenbr0' ]")" || fail "create n1"
wait_init n1
hv create "$(mkcfg n2 shell "vif = [ 'bridge=xenbr0' ]")" || fail "create n2"
wait_init n2
d1=$(domain_field n1 2)
d2=$(domain_field n2 2)
for d in $d1 $d2; do
	wait_for 60 sh -c "[ \"\$(xenstore-read /local/domain/0/backend/vif/$d/0/state)\" = 4 ]" ||
		fail "vif$d.0 did not connect"
done
guest_run n2 60 "ip link set eth0 up && ip addr add 192.0.2.11/24 dev eth0 && ping -c 2 -W 5 192.0.2.1" ||
	fail "n2 cannot ping dom0"

P=/sys/module/nethostile/parameters
guest_run n1 30 "echo vif-0 > /sys/bus/hvx/drivers/netfront/unbind && insmod /lib/modules/\$(uname -r)/extra/nethostile.ko && n=0; until [ \"\$(cat $P/connected)\" = Y ]; do n=\$((n+1)); [ \$n -gt 100 ] && exit 1; sleep 0.2; done" ||
	{ xenstore-ls -f "/local/domain/0/backend/vif/$d1/0" | head -20; fail "nethostile did not connect"; }

fatal() {
	ethtool -S "vif$d1.0" | awk '$1 == "fatal_errors:" {print $2}'
}
malformed() {
	ethtool -S "vif$d1.0" | awk '$1 == "rx_errors_malformed:" {print $2}'
}

total_fatal=0
for c in good short zero-frag frag-larger slots19 slots21 cross bad-extra gso-size gso-type \
	 extra-chain flood prod-far rewrite mcast-bad mcast-full ctrl-good ctrl-wrap ctrl-prod-far \
	 hash-rx good; do
	note "case $c"
	# hash-rx waits for IPv4 from dom0: pings to an address bound to n1's MAC
	if [ $c = hash-rx ]; then
		$IP neigh replace 192.0.2.99 lladdr "$(xenstore-read /local/domain/$d1/device/vif/0/mac)" \
			dev xenbr0 nud permanent
		(sleep 1; ping -c 10 -W 1 192.0.2.99 >/dev/null 2>&1) &
	fi
	f0=$(fatal)
	m0=$(malformed)
	out=$(guest_run n1 40 "echo vif-0 > /sys/bus/hvx/drivers/nethostile/unbind; echo vif-0 > /sys/bus/hvx/drivers/nethostile/bind; n=0; until [ \"\$(cat $P/connected)\" = Y ]; do n=\$((n+1)); [ \$n -gt 100 ] && exit 1; sleep 0.2; done; echo $c > $P/run; cat $P/ok $P/last_status $P/responses") ||
		fail "case $c did not run: $out"
	echo "$out" | tr '\n' ' '
	echo
	[ "$(echo "$out" | sed -n 1p)" = 1 ] || fail "case $c: not the expected outcome ($out)"
	f1=$(fatal)
	m1=$(malformed)
	echo "   fatal_errors $f0 -> $f1, malformed $m0 -> $m1"
	case $c in
	slots21|cross|bad-extra|gso-size|gso-type|extra-chain|prod-far)
		[ "$f1" -gt "$f0" ] 2>/dev/null || fail "case $c: the vif was not disabled" ;;
	ctrl-*|mcast-*|hash-rx)
		[ "$f1" = "$f0" ] || fail "case $c: a control message disabled the vif" ;;
	short|zero-frag|frag-larger|slots19)
		[ "$m1" -gt "$m0" ] 2>/dev/null || fail "case $c: the drop was not counted"
		[ "$f1" = "$f0" ] || fail "case $c: a drop disabled the vif" ;;
	esac
	ping -c 1 -W 5 192.0.2.11 >/dev/null || fail "after case $c: dom0 cannot reach n2"
done
dmesg | grep -E "netback|vif$d1" | tail -12

note "teardown"
hv destroy n1 || fail "destroy n1"
hv destroy n2 || fail "destroy n2"
wait_for 10 gone n1 && wait_for 10 gone n2 || fail "domains not gone"
xenstore-rm "/local/domain/0/backend/vif/$d1" 2>/dev/null
xenstore-rm "/local/domain/0/backend/vif/$d2" 2>/dev/null
wait_for 10 sh -c "! $IP link show vif$d1.0" || fail "vif$d1.0 left behind"
$IP link del xenbr0
true
