# SPDX-License-Identifier: GPL-2.0-only
# The store from dom0: xenstored on its socket and the xenstore tools
# (read, write, ls, list, exists, rm, chmod, watch); a domU's nodes appear
# on create with xl's permissions and go when it is destroyed or its VMM is
# killed, with @introduceDomain and @releaseDomain firing; hostile socket
# clients leave xenstored serving; nothing stays held in hv.ko.
[ -S /run/xenstored/socket ] ||
	xenstored --pid-file /run/xenstored.pid --log /var/log/xenstored.log ||
	fail "xenstored does not start"
xsd=$(cat /run/xenstored.pid)
alive "$xsd" || fail "no xenstored process"
grep -E "kernel|VIRQ|evtchn" /var/log/xenstored.log | sed 's/^[0-9-]* [0-9:]* //' |
	while read -r line; do note "$line"; done

note "tools over the socket"
xenstore-write /test/a 1 /test/b 'two words' || fail "xenstore-write"
[ "$(xenstore-read /test/a)" = 1 ] || fail "xenstore-read /test/a"
[ "$(xenstore-read /test/b)" = "two words" ] || fail "xenstore-read /test/b"
[ "$(xenstore read -p /test/a)" = "/test/a: 1" ] || fail "xenstore read -p"
[ "$(xenstore-list /test | tr '\n' ' ')" = "a b " ] || fail "xenstore-list"
xenstore-ls /test | grep -qx 'a = "1"' || { xenstore-ls /test; fail "xenstore-ls"; }
xenstore-ls -f / | grep -qx '/test/b = "two words"' || fail "xenstore-ls -f"
xenstore-exists /test/a || fail "xenstore-exists /test/a"
xenstore-exists /test/nope && fail "xenstore-exists of a missing node"
err=$(xenstore-read /test/nope 2>&1) && fail "read of a missing node succeeded"
echo "$err" | grep -q "ENOENT" || fail "no ENOENT: $err"
xenstore-chmod /test/a n0 r7 || fail "xenstore-chmod"
xenstore-ls -f -p /test | grep -qx '/test/a = "1"   (n0,r7)' || { xenstore-ls -f -p /test; fail "perms"; }
xenstore-ls -p /test | grep -qx 'a = "1" \( \.\)*  (n0,r7)' || { xenstore-ls -p /test; fail "ls -p"; }
xenstore-chmod /test/a bogus 2>/dev/null && fail "chmod accepted a bad permission"
xenstore-watch -n 2 /test/w > "$SCRATCH/w.out" &
wpid=$!
sleep 0.5
xenstore-write /test/w/x 1 || fail "write under a watch"
wait_for 10 sh -c "[ \$(wc -l < $SCRATCH/w.out) -ge 2 ]" ||
	{ cat "$SCRATCH/w.out"; fail "the watch did not fire twice"; }
[ "$(tr '\n' ' ' < "$SCRATCH/w.out")" = "/test/w /test/w/x " ] ||
	{ cat "$SCRATCH/w.out"; fail "watch events"; }
wait "$wpid"
xenstore-rm /test || fail "xenstore-rm"
xenstore-exists /test/a && fail "/test/a survived rm"

note "a domU's nodes"
xenstore-watch -n 2 @introduceDomain > "$SCRATCH/in.out" &
xenstore-watch -n 3 @releaseDomain > "$SCRATCH/out.out" &
sleep 0.5
hv create "$(mkcfg st shell)" || fail "create"
domid=$(domain_field st 2)
home=/local/domain/$domid
wait_for 10 sh -c "[ \$(wc -l < $SCRATCH/in.out) -ge 2 ]" ||
	{ cat "$SCRATCH/in.out"; fail "@introduceDomain did not fire"; }
[ "$(xenstore-read $home/name)" = st ] || fail "$home/name"
[ "$(xenstore-read $home/domid)" = "$domid" ] || fail "$home/domid"
[ "$(xenstore-read $home/memory/target)" = 196608 ] || fail "memory/target"
xenstore-read $home/store/port | grep -q '^[1-9]' || fail "store/port"
xenstore-exists "$(xenstore-read $home/vm)/name" || fail "no /vm node"
xenstore-ls -f -p /local/domain | grep -qx "$home = \"\"   (n0,r$domid)" ||
	{ xenstore-ls -f -p /local/domain; fail "$home permissions"; }
xenstore-ls -f -p $home | grep -qx "$home/control/shutdown = \"\"   (n$domid)" ||
	{ xenstore-ls -f -p $home; fail "control/shutdown permissions"; }
note "$(xenstore-ls $home | wc -l) nodes under $home"
hv destroy st || fail "destroy"
xenstore-exists $home/name && fail "$home still there after destroy"
wait_for 10 sh -c "[ \$(wc -l < $SCRATCH/out.out) -ge 2 ]" ||
	{ cat "$SCRATCH/out.out"; fail "@releaseDomain did not fire on destroy"; }

note "a domU whose VMM is killed"
hv create "$(mkcfg st shell)" || fail "create again"
domid=$(domain_field st 2)
xenstore-exists /local/domain/$domid/name || fail "nodes of the second domain"
kill -9 "$(vmm_pids)"
wait_for 10 gone st || fail "st still registered after SIGKILL"
wait_for 10 sh -c "! xenstore-exists /local/domain/$domid/name" ||
	fail "the dead domain's nodes stayed"
wait_for 10 sh -c "[ \$(wc -l < $SCRATCH/out.out) -ge 3 ]" ||
	{ cat "$SCRATCH/out.out"; fail "@releaseDomain did not fire on death"; }
wait

note "hostile clients"
xs-hostile || fail "xs-hostile"
alive "$xsd" || fail "xenstored died"
xenstore-ls / > /dev/null || fail "xenstored does not answer"
grep -q "payload of" /var/log/xenstored.log || fail "the oversized payload was not logged"
grep "is gone\|released" /var/log/xenstored.log | sed 's/^[0-9-]* [0-9:]* //' |
	while read -r line; do note "$line"; done
wait_for 10 counters_zero || fail "something of the dead domains stays held"
