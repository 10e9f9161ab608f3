# SPDX-License-Identifier: GPL-2.0-only
# control/shutdown: the domU's core watches it, takes each request and
# clears the node: "suspend" is refused with a message, an unknown word is
# ignored, "poweroff" starts the guest's orderly poweroff (/sbin/poweroff).
# Whether the domain then ends is up to the guest's init (the lab's
# default init does not act on poweroff's signal), so only the kernel's
# part is checked here.
hv create "$(mkcfg ctl shell)" || fail "create"
wait_init ctl
domid=$(domain_field ctl 2)
node=/local/domain/$domid/control/shutdown
guest_run ctl 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
guest_run ctl 30 'n=0; until dmesg | grep -q "hvx_core: store ready"; do n=$((n+1)); [ $n -gt 100 ] && exit 1; sleep 0.2; done' ||
	fail "the domU's kernel never reached the store"
wait_for 10 sh -c "[ \"\$(xenstore-read /local/domain/$domid/control/feature-reboot)\" = 1 ]" ||
	fail "the kernel did not write control/feature-reboot"
cleared() {
	[ -z "$(xenstore-read "$node")" ]
}
for req in suspend frobnicate; do
	xenstore-write "$node" "$req" || fail "writing $req"
	wait_for 10 cleared || fail "the guest did not take \"$req\" from $node"
done
out=$(guest_run ctl 20 'dmesg | grep -c -e "suspend is not supported" -e "unknown shutdown request \"frobnicate\" ignored"')
[ "$out" = 2 ] || fail "the guest logged $out of its 2 refusals"
exists ctl || fail "the domain went on a refused request"
xenstore-write "$node" poweroff || fail "writing poweroff"
wait_for 10 cleared || fail "the guest did not take poweroff from $node"
if ! guest_run ctl 20 'dmesg | grep -q "the toolstack asks for poweroff"'; then
	# Only a guest that is already going away may fail to answer.
	wait_for 30 gone ctl || fail "the guest's kernel did not act on poweroff"
fi
exists ctl && hv destroy ctl
wait_for 30 gone ctl || fail "ctl not destroyed"
counters_zero || fail "hv.ko still holds something for a dead domain"
