# SPDX-License-Identifier: GPL-2.0-only
# xdp-headroom (feature-xdp-headroom): netfront asks netback to leave bytes
# free before the data of every rx slot; netback places the data there,
# counts the headroom in the status and sends an XDP extra, as upstream.
#
#   dom0 192.0.2.1 ── vifD.0 [data at +headroom] ══ eth0 (netfront xdp_headroom=256) 192.0.2.70
#
# Then the frontend's value changed while connected (Reconfiguring ->
# Reconfigured -> Connected), written by dom0 in the frontend's place: a
# value past half a page is refused (no headroom, an error in the store),
# a good one applies at once; the data is checked each time.
net_setup
hv create "$(mkcfg xh shell "vif = [ 'bridge=xenbr0' ]")" || fail "create"
wait_init xh
d=$(domain_field xh 2)
be=/local/domain/0/backend/vif/$d/0
fe=/local/domain/$d/device/vif/0
st() { echo "$(xenstore-read $be/state)/$(xenstore-read $fe/state)"; }
wait_st() { wait_for "${2:-30}" sh -c "[ \"\$(xenstore-read $be/state)/\$(xenstore-read $fe/state)\" = $1 ]"; }
wait_st 4/4 60 || fail "vif did not connect: $(st)"
[ "$(xenstore-read $be/feature-xdp-headroom)" = 1 ] || fail "no feature-xdp-headroom"

note "netfront loaded again with xdp_headroom=256"
guest_run xh 40 "rmmod netfront && modprobe netfront xdp_headroom=256" || fail "reload netfront"
wait_st 4/4 || fail "no reconnect: $(st)"
[ "$(xenstore-read $fe/xdp-headroom)" = 256 ] || fail "frontend xdp-headroom: $(xenstore-read $fe/xdp-headroom)"
dmesg | grep "vif$d.0: xdp-headroom" | tail -1
dmesg | grep -q "vif$d.0: xdp-headroom 256" || fail "netback did not take the headroom"
guest_run xh 40 "n=0; until ip link show eth0 >/dev/null 2>&1; do n=\$((n+1)); [ \$n -gt 50 ] && break; sleep 0.2; done; ip link set eth0 up && ip addr add 192.0.2.70/24 dev eth0 && ping -c 2 -W 5 192.0.2.1 >/dev/null" ||
	fail "no traffic with headroom 256"

mkdir -p /lab/scratch/www
dd if=/dev/urandom of=/lab/scratch/www/blob bs=64k count=64 2>/dev/null
want=$(sha256sum /lab/scratch/www/blob | cut -d' ' -f1)
busybox httpd -f -p 192.0.2.1:8086 -h /lab/scratch/www &
hpid=$!
tcprr -E 5386 &
upid=$!
trap 'kill $hpid $upid 2>/dev/null' EXIT
sleep 0.3
check() {	# WHY: 4 MiB dom0 -> guest (TSO, many slots) and UDP both ways, checked
	local got out
	got=$(guest_run xh 90 'wget -q -O /tmp/in http://192.0.2.1:8086/blob && sha256sum /tmp/in | cut -d" " -f1; rm -f /tmp/in') ||
		fail "$1: wget"
	[ "$got" = "$want" ] || fail "$1: sha256 '$got', sent '$want'"
	out=$(guest_run xh 90 "tcprr -u 192.0.2.1 5386 300") || fail "$1: UDP: $out"
	echo "   $1: 4 MiB sha256 ok, $out"
}
check "headroom 256"

note "hostile values while connected: refused"
for bad in 4000 70000 junk; do
	xenstore-write $fe/xdp-headroom $bad
	xenstore-write $fe/state 7
	wait_st 8/7 || fail "xdp-headroom $bad: no Reconfigured ($(st))"
	xenstore-write $fe/state 4
	wait_st 4/4 || fail "xdp-headroom $bad: not Connected again ($(st))"
done
dmesg | grep "vif$d.0: xdp-headroom" | tail -1
dmesg | grep "vif$d.0: xdp-headroom" | tail -1 | grep -q "xdp-headroom 0$" ||
	fail "a refused headroom was taken"
xenstore-read /local/domain/0/error/backend/vif/$d/0/error | grep -q "xdp-headroom 70000" ||
	fail "no error for xdp-headroom 70000: $(xenstore-read /local/domain/0/error/backend/vif/$d/0/error)"
check "headroom refused (0)"

note "a good value while connected: 128"
xenstore-write $fe/xdp-headroom 128
xenstore-write $fe/state 7
wait_st 8/7 || fail "no Reconfigured ($(st))"
xenstore-write $fe/state 4
wait_st 4/4 || fail "not Connected again ($(st))"
dmesg | grep -q "vif$d.0: xdp-headroom 128" || fail "netback did not take 128"
check "headroom 128"

hv destroy xh || fail "destroy"
wait_for 10 gone xh || fail "not gone"
xenstore-rm "/local/domain/0/backend/vif/$d" 2>/dev/null
wait_for 10 sh -c "! $IP link show vif$d.0" || fail "vif$d.0 left behind"
$IP link del xenbr0
true
