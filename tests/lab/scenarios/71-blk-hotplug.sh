# SPDX-License-Identifier: GPL-2.0-only
# Disks that come and go while the domain runs, and what reaches the
# backing file:
#   - hv block-attach of xvda and xvdb while the guest writes to xvda;
#   - hv block-detach of xvdb while the guest writes to it: the writer
#     gets an error, nothing hangs, the loop device and directories go;
#   - online resize: the file grows, `losetup -c`, the guest sees the size;
#   - discard: blkdiscard in the guest shrinks the file's allocation;
#   - durability: data written with fsync is in the file after hv destroy
#     right after.
# blkfront asks for 16-page rings and 2 queues (max_ring_page_order=4
# max_queues=2) and grants each request's pages itself (zero copy,
# feature_persistent=0, the default, asked for explicitly; scenarios 72 and
# 76 run persistent grants):
# attaching xvdb while xvda is written makes two CPUs take grants at once,
# which once broke a grant-table frame (docs/blkif.md).
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"
img=$SCRATCH/blk71
rm -rf "$img" && mkdir -p "$img"
truncate -s 64M "$img/a.img" "$img/b.img"
DOM=hot
hv create "$(mkcfg hot shell 'vcpus = 2')" || fail "create"
wait_init hot
domid=$(domain_field hot 2)
be=/local/domain/0/backend/vbd/$domid
guest_run hot 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
guest_run hot 30 'modprobe blkfront max_ring_page_order=4 max_queues=2 feature_persistent=0' || fail "modprobe blkfront"

note "attach xvda, write to it, attach xvdb meanwhile"
hv block-attach hot "file:$img/a.img,xvda,w" || fail "block-attach xvda"
grun 30 'n=0; until [ -b /dev/xvda ]; do n=$((n+1)); [ $n -gt 150 ] && exit 1; sleep 0.2; done
	(dd if=/dev/urandom of=/dev/xvda bs=64k count=512 oflag=direct 2>/dev/null; echo writer-a=$? > /tmp/wa) & true' ||
	fail "xvda did not appear"
fe=/local/domain/$domid/device/vbd/51712
[ "$(xenstore-read $fe/multi-queue-num-queues)" = 2 ] && [ "$(xenstore-read $fe/ring-page-order)" = 4 ] &&
	xenstore-read $fe/queue-1/ring-ref15 >/dev/null || fail "no 2 queues of 16 ring pages in $fe"
dmesg | grep -q "vbd-$domid-51712: connected to domain $domid: 2 rings of 16 pages" ||
	fail "blkback did not connect 2 rings of 16 pages"
hv block-attach hot "file:$img/b.img,xvdb,w" || fail "block-attach xvdb during I/O"
out=$(grun 60 'n=0; until [ -b /dev/xvdb ] && [ -f /tmp/wa ]; do n=$((n+1)); [ $n -gt 250 ] && exit 1; sleep 0.2; done; cat /tmp/wa') ||
	fail "xvdb did not appear, or the xvda writer hung: $out"
echo "$out" | grep -q 'writer-a=0' || fail "writing xvda while xvdb came: $out"

note "detach xvdb while the guest writes to it"
grun 30 '(while dd if=/dev/zero of=/dev/xvdb bs=64k count=200 oflag=direct 2>/dev/null; do :; done; echo writer-b=stopped > /tmp/wb) & sleep 1' || fail "starting the xvdb writer"
hv block-detach hot xvdb || fail "block-detach xvdb"
xenstore-read "$be/51728" >/dev/null 2>&1 && fail "xvdb's backend directory is still there"
out=$(grun 60 'n=0; until [ -f /tmp/wb ]; do n=$((n+1)); [ $n -gt 250 ] && exit 1; sleep 0.2; done; cat /tmp/wb; [ -b /dev/xvdb ] && echo xvdb=still || echo xvdb=gone') ||
	fail "the xvdb writer hung after the detach: $out"
echo "$out"
echo "$out" | grep -q 'writer-b=stopped' || fail "the writer of a detached disk did not stop"
echo "$out" | grep -q 'xvdb=gone' || fail "/dev/xvdb outlived its detach"
wait_for 10 sh -c "! /usr/sbin/losetup -a | grep -q b.img" || fail "b.img's loop device was not released"

note "online resize: 64 MiB -> 96 MiB"
# The hotplug script's device (a.img may have a stale loop device of an
# earlier try of this scenario beside it).
phys=$(xenstore-read $be/51712/physical-device) || fail "no physical-device for xvda"
loop=/dev/$(basename "$(readlink /sys/dev/block/$((0x${phys%%:*})):$((0x${phys##*:})))")
[ -b "$loop" ] || fail "no loop device for a.img (physical-device $phys)"
truncate -s 96M "$img/a.img"
/usr/sbin/losetup -c "$loop" || fail "losetup -c"
wait_for 10 sh -c "[ \$(xenstore-read $be/51712/sectors) = 196608 ]" ||
	fail "the backend did not see the new size ($(xenstore-read $be/51712/sectors))"
out=$(grun 30 'n=0; until [ "$(cat /sys/block/xvda/size)" = 196608 ]; do n=$((n+1)); [ $n -gt 100 ] && break; sleep 0.2; done; cat /sys/block/xvda/size')
[ "$out" = 196608 ] || fail "the guest's xvda is $out sectors, not 196608"

note "discard shrinks the backing file"
grun 60 'dd if=/dev/urandom of=/dev/xvda bs=1M count=48 oflag=direct 2>/dev/null; sync' || fail "filling xvda"
before=$(du -k "$img/a.img" | cut -f1)
[ "$(xenstore-read $be/51712/feature-discard)" = 1 ] || fail "no feature-discard on a file disk"
out=$(grun 60 '/usr/sbin/blkdiscard /dev/xvda && echo discard=ok') || fail "blkdiscard: $out"
after=$(du -k "$img/a.img" | cut -f1)
note "a.img: ${before} KiB allocated before blkdiscard, ${after} KiB after"
[ "$after" -lt $((before / 4)) ] || fail "discard did not free the file's blocks ($before -> $after KiB)"
[ "$(cat /sys/bus/hvx-backend/devices/vbd-$domid-51712/statistics/ds_req)" -ge 1 ] || fail "ds_req"

note "fsync, then hv destroy at once: the data is in the file"
out=$(grun 60 'dd if=/dev/urandom of=/tmp/d bs=1M count=2 2>/dev/null
	dd if=/tmp/d of=/dev/xvda bs=1M seek=5 conv=fsync 2>/dev/null && echo sum=$(sha256sum < /tmp/d | cut -d" " -f1)') ||
	fail "the fsync'ed write: $out"
hv destroy hot || fail "destroy"
sum=$(echo "$out" | sed -n 's/^sum=//p')
[ "$(dd if="$img/a.img" bs=1M skip=5 count=2 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$sum" ] ||
	fail "a.img does not hold the fsync'ed data"
wait_for 20 sh -c "! /usr/sbin/losetup -a | grep -q '$img'" || fail "loop devices left"
rm -rf "$img"
exit 0
