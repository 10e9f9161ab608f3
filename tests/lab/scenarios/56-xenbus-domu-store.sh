# SPDX-License-Identifier: GPL-2.0-only
# A domU's own store nodes through its kernel's store client (the xenstore
# tools in the domU go through xenfs's /proc/xen/xenbus): relative paths
# resolve under its home, it reads what the toolstack wrote and writes
# where it may, the store refuses what it may not (EACCES), and dom0 sees
# its writes; the kernel announced control/feature-poweroff. Skipped when
# the tree has no xenfs yet.
hv create "$(mkcfg xs shell)" || fail "create"
wait_init xs
domid=$(domain_field xs 2)
guest_run xs 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
if ! guest_run xs 20 '[ -e /proc/xen/xenbus ] || [ -e /dev/xen/xenbus ]' >/dev/null; then
	note "skipped: the domU has no /proc/xen/xenbus (no xenfs in this tree)"
	hv destroy xs
	wait_for 30 gone xs || fail "xs not destroyed"
	exit 0
fi
home=/local/domain/$domid
secret=/local/domain/0/xs-secret
xenstore-write $secret dom0-only && xenstore-chmod $secret n0 || fail "writing $secret"
out=$(guest_run xs 40 'xenstore-read name; xenstore-read domid;
	xenstore-write data/hello "from the domU" && xenstore-read data/hello;
	xenstore-read '"$secret"' 2>&1; xenstore-write /local/domain/0/x 1 2>&1;
	xenstore-read control/feature-poweroff')
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = xs ] || fail "the domU read its name wrong"
[ "$(echo "$out" | sed -n 2p)" = "$domid" ] || fail "the domU read its domid wrong"
[ "$(echo "$out" | sed -n 3p)" = "from the domU" ] || fail "the domU cannot read back data/hello"
echo "$out" | sed -n 4p | grep -q EACCES || fail "the domU read $secret"
echo "$out" | sed -n 5p | grep -q EACCES || fail "the domU wrote under dom0's home"
[ "$(echo "$out" | sed -n 6p)" = 1 ] || fail "the kernel did not write control/feature-poweroff"
[ "$(xenstore-read $home/data/hello)" = "from the domU" ] || fail "dom0 does not see the domU's write"
xenstore-exists /local/domain/0/x && fail "/local/domain/0/x exists"
xenstore-rm $secret
hv destroy xs
wait_for 30 gone xs || fail "xs not destroyed"
counters_zero || fail "hv.ko still holds something for a dead domain"
