# SPDX-License-Identifier: GPL-2.0-only
# Persistent grants (feature-persistent) against blkback, from both sides:
#   - blkfront (feature_persistent=1) on xvda: data written and read back
#     through its pool of granted pages, with 1 MiB and 4 KiB requests;
#   - tests/kmod/blkhostile (persistent=1) on xvdb, with blkback's
#     max_persistent_grants at 16 for that ring: 48 distinct refs written
#     and read back (blkback must evict), at most 16 still mapped after
#     (a grant can be ended only once blkback let it go), the ended refs
#     granted again for other pages with other data, which blkback must
#     write, not the pages it had mapped under those refs before.
# Destroying the domain unmaps every persistent grant (the runner checks
# hv.ko's counters); dom0's kernel logs no BUG or WARNING.
#
#   domU: blkfront   -- xvda (d.img) --\
#         blkhostile -- xvdb (p.img) --+--> blkback (dom0), persistent
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"
img=$SCRATCH/blk76
rm -rf "$img" && mkdir -p "$img"
truncate -s 16M "$img/d.img" "$img/p.img"
dmesg_before=$(dmesg | grep -cE "BUG|WARNING|Oops")
p=/sys/module/blkback/parameters
[ "$(cat $p/feature_persistent)" = Y ] || fail "blkback does not offer feature-persistent"

hv create "$(mkcfg pers shell)" || fail "create"
wait_init pers
domid=$(domain_field pers 2)
be=/local/domain/0/backend/vbd/$domid
guest_run pers 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
guest_run pers 30 'modprobe blkhostile devid=51728 persistent=1 pcap=16 && modprobe blkfront feature_persistent=1' ||
	fail "loading blkhostile and blkfront in the guest"
hv block-attach pers "file:$img/d.img,xvda,w" || fail "block-attach xvda"
wait_for 30 sh -c "[ \$(xenstore-read $be/51712/state) = 4 ]" || fail "xvda did not connect"
# Read by the ring as it connects: only xvdb's ring gets 16.
echo 16 > $p/max_persistent_grants
hv block-attach pers "file:$img/p.img,xvdb,w" || { echo 1056 > $p/max_persistent_grants; fail "block-attach xvdb"; }
wait_for 30 sh -c "[ \$(xenstore-read $be/51728/state) = 4 ]"
ok=$?
echo 1056 > $p/max_persistent_grants
[ $ok = 0 ] || { xenstore-ls -f "$be"; fail "xvdb did not connect"; }
for id in 51712 51728; do
	[ "$(xenstore-read /local/domain/$domid/device/vbd/$id/feature-persistent)" = 1 ] ||
		fail "the frontend of $id did not ask for feature-persistent"
	dmesg | grep -q "vbd-$domid-$id: connected to domain $domid: 1 ring of 1 pages, persistent grants" ||
		fail "blkback did not take feature-persistent for $id"
done

note "blkfront: 1 MiB and 4 KiB writes and reads through the pool of granted pages"
out=$(guest_run pers 60 'dd if=/dev/urandom of=/tmp/x bs=1M count=6 2>/dev/null
	dd if=/tmp/x of=/dev/xvda bs=1M oflag=direct 2>/dev/null || exit 1
	dd if=/tmp/x of=/dev/xvda bs=4k seek=2048 oflag=direct 2>/dev/null || exit 1
	s=$(sha256sum < /tmp/x | cut -d" " -f1)
	[ "$(dd if=/dev/xvda bs=1M count=6 iflag=direct 2>/dev/null | sha256sum | cut -d" " -f1)" = $s ] && echo big=ok
	[ "$(dd if=/dev/xvda bs=4k skip=2048 count=1536 iflag=direct 2>/dev/null | sha256sum | cut -d" " -f1)" = $s ] && echo small=ok
	echo sum=$s') || fail "blkfront I/O with persistent grants: $out"
echo "$out" | grep -q '^big=ok' && echo "$out" | grep -q '^small=ok' || fail "blkfront read back other data: $out"
sum=$(echo "$out" | sed -n 's/^sum=//p')
[ "$(dd if="$img/d.img" bs=1M count=6 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$sum" ] ||
	fail "d.img does not hold what the guest wrote"
note "hv.ko holds $(hv_counter nr_grant_maps) grant maps for the domain's two disks"

note "blkhostile: 48 refs through a table of 16, refs granted again for other pages"
out=$(guest_run pers 120 'echo 1 > /sys/module/blkhostile/parameters/run_persistent
	p=/sys/module/blkhostile/parameters; echo "$(cat $p/passed) $(cat $p/failed) $(cat $p/verdict)"
	dmesg | grep "blkhostile: persistent" | tail -n 1') ||
	{ echo "$out"; fail "running the persistent cases"; }
echo "$out"
echo "$out" | grep -q ' 0 ok$' || { dmesg | tail -20; fail "persistent grants: $out"; }

hv destroy pers || fail "destroy"
wait_for 20 sh -c "! xenstore-read $be >/dev/null 2>&1" || fail "backend directories left"
[ "$(dmesg | grep -cE "BUG|WARNING|Oops")" = "$dmesg_before" ] ||
	{ dmesg | grep -E -A5 "BUG|WARNING|Oops" | tail -30; fail "dom0's kernel complained"; }
wait_for 20 sh -c "! /usr/sbin/losetup -a | grep -q '$img'" || fail "a loop device outlived the domain"
rm -rf "$img"
exit 0
