# SPDX-License-Identifier: GPL-2.0-only
# Data integrity, end to end, with fio's verify (crc32c) and ext4:
#   - fio in the guest on xvda (2 queues of 4-page rings, persistent
#     grants, indirect requests): sequential and random writes, block sizes
#     512 B to 1 MiB, O_DIRECT (libaio, iodepth 16) and buffered (psync),
#     four jobs at once, each region read back and checked;
#   - ext4 made, filled and checksummed; the domain destroyed and created
#     again (a new boot): e2fsck clean, every checksum right;
#   - a file written and fsync'ed, the domain destroyed at once: dom0's
#     e2fsck replays the journal, finds the filesystem sound, and the file
#     holds what the guest wrote.
# fio comes from /lab/bin/fio.img (scripts/mkroot-domu), attached read-only
# as xvdz; the scenario is skipped without it.
[ -f /lab/bin/fio.img ] || { echo "no /lab/bin/fio.img: fio is not installed on the host (scripts/deps)"; exit 77; }
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"
img=$SCRATCH/blk72
rm -rf "$img" && mkdir -p "$img"
truncate -s 160M "$img/d.img"
FIO_MNT='mkdir -p /fio && { grep -q " /fio " /proc/mounts || mount -t ext4 -o ro /dev/xvdz /fio; }'
WAIT_DISKS='n=0; until [ -b /dev/xvda ] && [ -b /dev/xvdz ]; do n=$((n+1)); [ $n -gt 150 ] && exit 1; sleep 0.2; done'

DOM=fio
hv create "$(mkcfg fio shell 'vcpus = 2' 'memory = 256')" || fail "create"
wait_init fio
domid=$(domain_field fio 2)
guest_run fio 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
guest_run fio 30 'modprobe blkfront max_ring_page_order=2 max_queues=2 feature_persistent=1' || fail "modprobe blkfront"
hv block-attach fio "file:$img/d.img,xvda,w" || fail "block-attach xvda"
hv block-attach fio "file:/lab/bin/fio.img,xvdz,r" || fail "block-attach the fio image"
out=$(grun 60 "$WAIT_DISKS; $FIO_MNT && /fio/fio --version") || fail "mounting the fio image: $out"
echo "$out"
dmesg | grep -q "vbd-$domid-51712: connected to domain $domid: 2 rings of 4 pages, persistent grants" ||
	fail "xvda is not on 2 rings of 4 pages with persistent grants"

note "fio verify=crc32c: seq/rand x direct/buffered, 512 B..1 MiB, 4 jobs at once"
FIO="/fio/fio --thread --filename=/dev/xvda --size=24m --bsrange=512-1m --verify=crc32c \
--verify_fatal=1 --randrepeat=1 --group_reporting=0 \
--name=seq-direct --rw=write --direct=1 --ioengine=libaio --iodepth=16 --offset=0 \
--name=rand-direct --rw=randwrite --direct=1 --ioengine=libaio --iodepth=16 --offset=32m \
--name=seq-buffered --rw=write --direct=0 --ioengine=psync --offset=64m \
--name=rand-buffered --rw=randwrite --direct=0 --ioengine=psync --offset=96m"
out=$(grun 150 "$FIO > /tmp/fio.out 2>&1; echo fio=\$?; grep -E 'err=|verify|bad' /tmp/fio.out") ||
	{ echo "$out"; fail "fio did not finish"; }
echo "$out"
echo "$out" | grep -q '^fio=0' || fail "fio verify failed"
[ "$(echo "$out" | grep -c 'err= 0')" = 4 ] || fail "not every fio job ended with err= 0"
s=/sys/bus/hvx-backend/devices/vbd-$domid-51712/statistics
note "blkback: rd_req $(cat $s/rd_req) wr_req $(cat $s/wr_req) rd_sect $(cat $s/rd_sect) wr_sect $(cat $s/wr_sect)"
[ "$(cat $s/wr_sect)" -ge $((4 * 24 * 2048)) ] || fail "blkback wrote fewer sectors than fio did"

note "ext4: made, filled, checksummed"
out=$(grun 120 '/sbin/mke2fs -q -t ext4 /dev/xvda || exit 1
	mkdir -p /data && mount -t ext4 /dev/xvda /data || exit 1
	for i in 1 2 3 4 5 6; do dd if=/dev/urandom of=/data/f$i bs=1M count=$((i * 2)) 2>/dev/null || exit 1; done
	cp /fio/usr/bin/fio /data/fio.bin || exit 1
	(cd /data && sha256sum f1 f2 f3 f4 f5 f6 fio.bin > SUMS) && cat /data/SUMS | wc -l
	umount /data') || fail "filling ext4: $out"
echo "$out"

note "a new boot: e2fsck and the checksums in the guest"
hv destroy fio || fail "destroy"
wait_for 20 sh -c "! /usr/sbin/losetup -a | grep -q '$img'" || fail "d.img's loop device outlived the domain"
hv create "$(mkcfg fio shell 'vcpus = 2' 'memory = 256' "disk = [ 'file:$img/d.img,xvda,w', 'file:/lab/bin/fio.img,xvdz,r' ]")" ||
	fail "create again with the disks in the config"
# The guest's log goes on from the first boot: wait for the second marker.
wait_init fio 90 2
domid=$(domain_field fio 2)
out=$(grun 120 "$WAIT_DISKS
	/sbin/e2fsck -fn /dev/xvda >/dev/null 2>&1 && echo fsck=ok
	mkdir -p /data && mount -t ext4 /dev/xvda /data || exit 1
	(cd /data && sha256sum -c SUMS >/dev/null 2>&1) && echo sums=ok") || fail "after the new boot: $out"
echo "$out"
echo "$out" | grep -q '^fsck=ok' || fail "e2fsck in the guest found errors after the new boot"
echo "$out" | grep -q '^sums=ok' || fail "checksums differ after the new boot"

note "fsync'ed file, then hv destroy at once: dom0 finds it"
out=$(grun 60 'dd if=/dev/urandom of=/tmp/d bs=1M count=3 2>/dev/null
	dd if=/tmp/d of=/data/durable bs=1M conv=fsync 2>/dev/null && echo sum=$(sha256sum < /tmp/d | cut -d" " -f1)') ||
	fail "the fsync'ed write: $out"
hv destroy fio || fail "destroy"
sum=$(echo "$out" | sed -n 's/^sum=//p')
[ -n "$sum" ] || fail "no checksum from the guest: $out"
wait_for 20 sh -c "! /usr/sbin/losetup -a | grep -q '$img'" || fail "d.img's loop device outlived the domain"
/sbin/e2fsck -fy "$img/d.img" >/dev/null 2>&1
[ $? -le 1 ] || fail "dom0's e2fsck could not repair d.img after the destroy"
/sbin/e2fsck -fn "$img/d.img" >/dev/null 2>&1 || fail "d.img is not clean after the journal replay"
mkdir -p /mnt/d72 && mount -o loop,ro "$img/d.img" /mnt/d72 || fail "dom0 cannot mount d.img"
(cd /mnt/d72 && sha256sum -c SUMS >/dev/null 2>&1) || { umount /mnt/d72; fail "dom0: checksums differ"; }
got=$(sha256sum < /mnt/d72/durable | cut -d' ' -f1)
umount /mnt/d72
[ "$got" = "$sum" ] || fail "the fsync'ed file is not in d.img as the guest wrote it"
note "dom0: e2fsck clean after the replay, the 7 checksums and the fsync'ed file right"
rm -rf "$img"
exit 0
