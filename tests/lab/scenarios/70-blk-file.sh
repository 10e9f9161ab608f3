# SPDX-License-Identifier: GPL-2.0-only
# Virtual disks end to end: a file-backed disk (file:, a loop device set up
# by the udev-run hotplug script), a phy: disk on a loop device dom0 set
# up itself, and a read-only file disk.
#
#   dom0: d1.img --loop--> blkback ==ring==> blkfront /dev/xvda  (rw)  domU
#         /dev/loopP ----> blkback ==ring==> blkfront /dev/xvdb  (rw)
#         ro.img --loop--> blkback ==ring==> blkfront /dev/xvdc  (ro)
#
# The guest makes ext4 on xvda, fills it and checksums it; reads and
# writes xvdb raw with a checksum; refuses writes to xvdc. dom0 checks the
# backend's nodes and statistics, then destroys the domain and finds the
# same checksums in the backing files; every loop device, grant mapping
# and store directory is released.
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"
[ -x /etc/hv/scripts/block ] || fail "dom0 has no /etc/hv/scripts/block (mkroot-dom0)"
img=$SCRATCH/blk70
rm -rf "$img" && mkdir -p "$img"
truncate -s 64M "$img/d1.img"
truncate -s 16M "$img/p.img"
dd if=/dev/urandom of="$img/ro.img" bs=1M count=4 2>/dev/null
ro_sum=$(sha256sum < "$img/ro.img" | cut -d' ' -f1)
[ -e /dev/loop-control ] || modprobe loop || fail "modprobe loop"
loopp=$(/usr/sbin/losetup -f --show "$img/p.img") || fail "losetup for the phy: disk"
loops_before=$(/usr/sbin/losetup -a | wc -l)

cfg=$(mkcfg blk shell "disk = [ 'file:$img/d1.img,xvda,w', 'phy:$loopp,xvdb,w', 'format=raw, vdev=xvdc, access=ro, target=$img/ro.img' ]")
hv create "$cfg" || { dmesg | tail -20; fail "create with three disks"; }
wait_init blk
domid=$(domain_field blk 2)
be=/local/domain/0/backend/vbd/$domid
for id in 51712 51728 51744; do
	[ "$(xenstore-read "$be/$id/hotplug-status")" = connected ] ||
		fail "disk $id: hotplug-status $(xenstore-read "$be/$id/hotplug-status" 2>&1)"
done
wait_for 30 sh -c "[ \$(xenstore-read $be/51712/state) = 4 ] && [ \$(xenstore-read $be/51744/state) = 4 ]" ||
	{ xenstore-ls -f "$be"; dmesg | tail -20; fail "the backends did not connect"; }
[ "$(xenstore-read "$be/51744/info")" = 4 ] || fail "xvdc: info $(xenstore-read "$be/51744/info"), not 4 (read-only)"
[ "$(xenstore-read "$be/51712/sectors")" = 131072 ] || fail "xvda: sectors"
[ "$(xenstore-read /local/domain/$domid/device/vbd/51712/protocol)" = x86_64-abi ] || fail "protocol"
hv block-list blk | tee /dev/stderr | grep -q '^51744 ' || fail "hv block-list"

note "guest: ext4 on xvda, raw on xvdb, read-only xvdc"
out=$(guest_run blk 120 'n=0; until [ -b /dev/xvda ] && [ -b /dev/xvdb ] && [ -b /dev/xvdc ]; do n=$((n+1)); [ $n -gt 150 ] && exit 1; sleep 0.2; done
	cat /sys/block/xvda/size /sys/block/xvdc/ro
	/sbin/mke2fs -q -t ext4 /dev/xvda || exit 1
	mkdir -p /mnt && mount -t ext4 /dev/xvda /mnt || exit 1
	dd if=/dev/urandom of=/mnt/f1 bs=1M count=24 2>/dev/null
	dd if=/dev/urandom of=/mnt/f2 bs=4k count=333 2>/dev/null
	sync
	echo sum1=$(sha256sum < /mnt/f1 | cut -d" " -f1)
	echo sum2=$(sha256sum < /mnt/f2 | cut -d" " -f1)
	umount /mnt || exit 1
	/sbin/e2fsck -fn /dev/xvda >/dev/null 2>&1 && echo fsck=ok
	dd if=/dev/urandom of=/tmp/raw bs=1M count=8 2>/dev/null
	dd if=/tmp/raw of=/dev/xvdb bs=64k oflag=direct 2>/dev/null || dd if=/tmp/raw of=/dev/xvdb bs=64k
	sync
	echo rawsum=$(dd if=/dev/xvdb bs=1M count=8 iflag=direct 2>/dev/null | sha256sum | cut -d" " -f1)
	echo rosum=$(sha256sum < /dev/xvdc | cut -d" " -f1)
	dd if=/dev/zero of=/dev/xvdc bs=4k count=1 conv=fsync 2>/dev/null && echo rowrite=accepted || echo rowrite=refused
	true') || { echo "$out"; dmesg | tail -20; fail "guest disk work"; }
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = 131072 ] || fail "the guest's xvda is not 131072 sectors"
[ "$(echo "$out" | sed -n 2p)" = 1 ] || fail "the guest's xvdc is not read-only"
echo "$out" | grep -q '^fsck=ok' || fail "e2fsck in the guest found errors"
echo "$out" | grep -q '^rowrite=refused' || fail "a write to the read-only disk was accepted"
[ "$(echo "$out" | sed -n 's/^rosum=//p')" = "$ro_sum" ] || fail "xvdc reads differ from ro.img"
sum1=$(echo "$out" | sed -n 's/^sum1=//p')
sum2=$(echo "$out" | sed -n 's/^sum2=//p')
rawsum=$(echo "$out" | sed -n 's/^rawsum=//p')
st=/sys/bus/hvx-backend/devices/vbd-$domid-51712/statistics
note "xvda statistics: rd_req $(cat $st/rd_req) wr_req $(cat $st/wr_req) f_req $(cat $st/f_req) rd_sect $(cat $st/rd_sect) wr_sect $(cat $st/wr_sect) oo_req $(cat $st/oo_req)"
[ "$(cat $st/wr_sect)" -ge 49152 ] || fail "xvda: wr_sect $(cat $st/wr_sect), less than the 24 MiB written"
[ "$(cat /sys/bus/hvx-backend/devices/vbd-$domid-51744/statistics/wr_req)" = 0 ] ||
	fail "a write reached the read-only disk's device"

hv destroy blk || fail "destroy"
wait_for 20 sh -c "! xenstore-read $be >/dev/null 2>&1" || fail "the backend directories outlived the domain"
wait_for 20 sh -c "[ \$(/usr/sbin/losetup -a | wc -l) -le $loops_before ]" ||
	{ /usr/sbin/losetup -a; fail "the hotplug script did not release the loop devices"; }
/usr/sbin/losetup -a | grep -q d1.img && fail "d1.img is still on a loop device"
/usr/sbin/losetup -d "$loopp"
[ "$(dd if="$img/p.img" bs=1M count=8 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$rawsum" ] ||
	fail "p.img does not hold what the guest wrote to xvdb"
[ "$(sha256sum < "$img/ro.img" | cut -d' ' -f1)" = "$ro_sum" ] || fail "ro.img changed"
e2fsck -fn "$img/d1.img" >/dev/null 2>&1 || fail "dom0's e2fsck finds d1.img damaged"
mkdir -p /mnt/d1 && mount -o loop,ro "$img/d1.img" /mnt/d1 || fail "dom0 cannot mount d1.img"
s1=$(sha256sum < /mnt/d1/f1 | cut -d' ' -f1)
s2=$(sha256sum < /mnt/d1/f2 | cut -d' ' -f1)
umount /mnt/d1
[ "$s1/$s2" = "$sum1/$sum2" ] || fail "d1.img's files differ from what the guest checksummed"
note "all checksums match from dom0"

note "a new domain on the same disk finds the same files"
hv create "$(mkcfg blk2 shell "disk = [ 'file:$img/d1.img,xvda,r' ]")" || fail "create again"
wait_init blk2
out=$(guest_run blk2 60 'n=0; until [ -b /dev/xvda ]; do n=$((n+1)); [ $n -gt 150 ] && exit 1; sleep 0.2; done
	mkdir -p /mnt && mount -t ext4 -o ro,noload /dev/xvda /mnt || exit 1
	echo sums=$(sha256sum < /mnt/f1 | cut -d" " -f1)/$(sha256sum < /mnt/f2 | cut -d" " -f1)
	umount /mnt') || fail "mounting the disk again: $out"
[ "$(echo "$out" | sed -n 's/^sums=//p')" = "$sum1/$sum2" ] || fail "the files differ in the new domain: $out"
hv destroy blk2 || fail "destroy blk2"
rm -rf "$img"
exit 0
