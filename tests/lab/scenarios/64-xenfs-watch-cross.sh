# SPDX-License-Identifier: GPL-2.0-only
# Watches through the xenbus file fire across domains: a domU's process
# watches a node of its own and sees dom0 write it; a dom0 process watches
# the same node and sees the domU write it.
grep -q ' /proc/xen xenfs ' /proc/mounts ||
	mount -t xenfs xenfs /proc/xen || fail "dom0: mount -t xenfs xenfs /proc/xen"
[ -e /proc/xen/xenbus ] || fail "dom0: no /proc/xen/xenbus (a core without the store?)"
hv create "$(mkcfg xwc shell)" || fail "create"
wait_init xwc
domid=$(domain_field xwc 2)
store_up() {
	timeout 5 xenbus-file-probe read /local/domain >/dev/null 2>&1
}
wait_for 60 store_up || fail "the store does not answer through /proc/xen/xenbus"
node=/local/domain/$domid/data/xwc
xenbus-file-probe give "$domid" "$node" || fail "cannot give the domU a store directory"
guest_run xwc 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"

# domU watches, dom0 writes.
guest_run xwc 20 "xenbus-file-probe waitwatch $node/ping from-dom0 60 > /tmp/w.out 2>&1 & true" ||
	fail "cannot start the domU's watcher"
out=$(guest_run xwc 30 'n=0; while ! grep -q watching /tmp/w.out; do n=$((n+1)); [ $n -gt 100 ] && break; sleep 0.2; done; cat /tmp/w.out')
echo "$out" | grep -q '^watching' || { echo "$out"; fail "the domU's watch did not start"; }
xenbus-file-probe write "$node/ping" from-dom0 || fail "dom0 cannot write $node/ping"
out=$(guest_run xwc 70 'wait; cat /tmp/w.out')
echo "$out"
echo "$out" | grep -q "reads from-dom0" || fail "the domU's watch did not see dom0's write"

# dom0 watches, the domU writes.
xenbus-file-probe waitwatch "$node/pong" from-domU 60 > /lab/scratch/w0.out 2>&1 &
watcher=$!
wait_for 20 grep -q watching /lab/scratch/w0.out || fail "dom0's watch did not start"
guest_run xwc 20 "xenbus-file-probe write $node/pong from-domU" || fail "the domU cannot write"
wait $watcher
status=$?
cat /lab/scratch/w0.out
[ $status -eq 0 ] || fail "dom0's watch did not see the domU's write"
hv destroy xwc
wait_for 30 gone xwc || fail "xwc not destroyed"
node_gone() {
	! xenbus-file-probe read "$node" >/dev/null 2>&1
}
wait_for 10 node_gone || fail "the domain's store directory outlived it"
counters_zero || fail "hv.ko holds something after the probes"
