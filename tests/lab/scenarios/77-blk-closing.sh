# SPDX-License-Identifier: GPL-2.0-only
# The backend closes a disk the guest has mounted and is writing to
# (hv block-detach: backend Closing): blkfront fails what is outstanding
# and what comes after with I/O errors and removes the disk (del_gendisk)
# while ext4 still holds it open; nothing in the guest hangs, the mount
# can be taken down, and the same vdev attached again (another file) is a
# new, working disk. The guest's kernel logs no BUG, WARNING or hung task.
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"
img=$SCRATCH/blk77
rm -rf "$img" && mkdir -p "$img"
truncate -s 64M "$img/a.img" "$img/b.img"
DOM=closing
hv create "$(mkcfg closing shell)" || fail "create"
wait_init closing
domid=$(domain_field closing 2)
be=/local/domain/0/backend/vbd/$domid
guest_run closing 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
# What the guest's kernel logged before (a nested guest may warn at boot).
COMPLAINTS='dmesg | grep -cE "BUG|WARNING|Oops|blocked for more than"'
before=$(grun 20 "$COMPLAINTS" | grep -E "^[0-9]+$" | tail -n 1)
[ -n "$before" ] || fail "reading the guest's kernel log"

note "xvdb: ext4 made and mounted, a writer with fsync on it"
hv block-attach closing "file:$img/a.img,xvdb,w" || fail "block-attach xvdb"
out=$(grun 90 'n=0; until [ -b /dev/xvdb ] || [ $n -gt 150 ]; do n=$((n+1)); sleep 0.2; done
	/sbin/mke2fs -q -t ext4 /dev/xvdb && mkdir -p /m && mount -t ext4 /dev/xvdb /m && echo mounted') ||
	fail "making and mounting ext4 on xvdb: $out"
grun 30 '(i=0; while dd if=/dev/urandom of=/m/f$((i % 8)) bs=64k count=16 conv=fsync 2>/dev/null; do i=$((i+1)); done
	echo writer=stopped > /tmp/w) & sleep 2' || fail "starting the writer"

note "hv block-detach of the mounted disk"
hv block-detach closing xvdb || fail "block-detach of a mounted disk"
xenstore-read "$be/51728" >/dev/null 2>&1 && fail "xvdb's backend directory is still there"
out=$(grun 90 'n=0; until [ -f /tmp/w ] || [ $n -gt 250 ]; do n=$((n+1)); sleep 0.2; done; cat /tmp/w
	[ -b /dev/xvdb ] && echo xvdb=still || echo xvdb=gone
	ls /m >/dev/null 2>&1; cat /m/f0 >/dev/null 2>&1
	umount /m && echo umount=ok
	grep -q " /m " /proc/mounts && echo mount=still') || true
echo "$out"
echo "$out" | grep -q '^writer=stopped' || fail "the writer on the closed disk did not stop"
echo "$out" | grep -q '^xvdb=gone' || fail "/dev/xvdb outlived the backend's Closing"
echo "$out" | grep -q '^umount=ok' || fail "the dead disk's filesystem could not be unmounted"
wait_for 10 sh -c "! /usr/sbin/losetup -a | grep -q a.img" || fail "a.img's loop device was not released"

note "the same vdev again, on another file"
hv block-attach closing "file:$img/b.img,xvdb,w" || fail "block-attach xvdb again"
out=$(grun 60 'n=0; until [ -b /dev/xvdb ] || [ $n -gt 150 ]; do n=$((n+1)); sleep 0.2; done
	dd if=/dev/urandom of=/tmp/x bs=64k count=32 2>/dev/null
	dd if=/tmp/x of=/dev/xvdb bs=64k oflag=direct 2>/dev/null &&
	[ "$(dd if=/dev/xvdb bs=64k count=32 iflag=direct 2>/dev/null | sha256sum)" = "$(sha256sum < /tmp/x)" ] && echo again=ok
	echo sum=$(sha256sum < /tmp/x | cut -d" " -f1)
	echo complaints=$('"$COMPLAINTS"')') ||
	fail "the new xvdb: $out"
echo "$out" | grep -q '^again=ok' || fail "the new xvdb did not read back what was written: $out"
echo "$out" | grep -q "^complaints=$before\$" ||
	{ grun 20 'dmesg | grep -E -A8 "BUG|WARNING|Oops|blocked for more" | tail -40'; fail "the guest's kernel complained"; }
sum=$(echo "$out" | sed -n 's/^sum=//p')
[ "$(dd if="$img/b.img" bs=64k count=32 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$sum" ] ||
	fail "b.img does not hold what the guest wrote"

hv destroy closing || fail "destroy"
wait_for 20 sh -c "! xenstore-read $be >/dev/null 2>&1" || fail "backend directories left"
wait_for 20 sh -c "! /usr/sbin/losetup -a | grep -q '$img'" || fail "loop devices left"
rm -rf "$img"
exit 0
