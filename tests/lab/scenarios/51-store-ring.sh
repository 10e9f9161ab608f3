# SPDX-License-Identifier: GPL-2.0-only
# A domU's own store ring, served by xenstored as that unprivileged domain.
# Until the guest kernel's xenbus exists, dom0 plays the guest on the ring
# (xs-ring-probe) while the guest keeps off it (its core is blacklisted):
# its home, relative paths, data/ writable, dom0's nodes refused, a watch
# and its first event. Then impossible ring indices drop that ring only;
# xenstored keeps serving and destroy still removes everything.
[ -S /run/xenstored/socket ] ||
	xenstored --pid-file /run/xenstored.pid --log /var/log/xenstored.log ||
	fail "xenstored does not start"
xsd=$(cat /run/xenstored.pid)
hv create "$(mkcfg ring 'shell modprobe.blacklist=hvx_core,hvx_xenbus,balloon')" || fail "create"
domid=$(domain_field ring 2)
home=/local/domain/$domid
gfn=$(xenstore-read $home/store/ring-ref) || fail "no $home/store/ring-ref"
wait_init ring
out=$(guest_run ring 30 'grep -q "^hvx_core " /proc/modules && echo loaded || echo absent')
[ "$out" = absent ] || fail "the guest's core is loaded ($out): it would share the ring"
xs-ring-probe "$domid" "$gfn" ring || fail "xs-ring-probe"
[ "$(xenstore-read $home/data/probe)" = hello ] || fail "the guest's write is not there"
xenstore-ls -f -p $home | grep -qx "$home/data/probe = \"hello\"   (n$domid)" ||
	{ xenstore-ls -f -p $home; fail "the guest's node is not its own"; }
wait_for 10 grep -q "dom$domid: impossible ring indices" /var/log/xenstored.log ||
	fail "xenstored did not drop the hostile ring"
alive "$xsd" || fail "xenstored died"
xenstore-ls / > /dev/null || fail "xenstored does not answer"
hv destroy ring || fail "destroy"
xenstore-exists $home && fail "$home stayed"
wait_for 10 counters_zero || fail "something of the domain stays held"
