# SPDX-License-Identifier: GPL-2.0-only
# bench-blk.sh: block I/O with fio, hv's blkfront/blkback against virtio-blk
# under qemu-system-x86_64 -enable-kvm and against the backing device read
# by dom0 itself (the limit), in one lab boot, on the same backing file (in
# dom0's tmpfs, on a loop device as the hotplug script sets up). dom0 and
# QEMU open one loop device over the file (O_DIRECT); blkback gets its own,
# from the hotplug script: all three submit bios to a loop device, which
# reads and writes the file through tmpfs. (QEMU cannot open the file
# itself with cache=none: tmpfs has no O_DIRECT before Linux 6.6.)
# Guests: the default domU kernel and initramfs, 1 vCPU, 256 MiB; fio comes
# from /lab/bin/fio.img (scripts/mkroot-domu), a second disk in each guest
# and loop-mounted in dom0.
# Patterns (fio, libaio, O_DIRECT, SECONDS each): 4 KiB random reads at
# iodepth 1 and 32, 1 MiB sequential reads and writes at iodepth 1.
# Prints "@@BENCH WHO MODE depth=D iops=X mbps=Y" lines and the commands.
# Usage: bench-blk.sh [SECONDS]
. /lab/tests/lib.sh
SECS=${1:-10}
DIR=/run/blkbench
IMG=$DIR/disk.img
[ -f /lab/bin/fio.img ] || fail "no /lab/bin/fio.img: fio is not installed on the host (scripts/deps)"
# One fio run per pattern; terse output: field 7/8 read KiB/s and IOPS,
# 48/49 the same for writes.
FIO_ARGS="--minimal --name=b --ioengine=libaio --direct=1 --runtime=$SECS --time_based --size=448m"
PATTERNS="randread:4k:1 randread:4k:32 read:1m:1 write:1m:1"
# guest_cmds FIO DEV: the shell line that runs every pattern and prints
# "@@BLK MODE depth=D iops=X mbps=Y".
guest_cmds() {
	echo "for p in $PATTERNS; do rw=\${p%%:*}; r=\${p#*:}; bs=\${r%%:*}; qd=\${r#*:};" \
		"$1 $FIO_ARGS --filename=$2 --rw=\$rw --bs=\$bs --iodepth=\$qd |" \
		"awk -F';' -v rw=\$rw -v qd=\$qd '{ m = rw == \"read\" ? \"seqread\" : rw == \"write\" ? \"seqwrite\" : rw;" \
		"f = rw == \"write\" ? 48 : 7; printf \"@@BLK %s depth=%s iops=%.1f mbps=%.1f\\n\", m, qd, \$(f + 1), \$f / 1024 }'; done"
}

mkdir -p "$DIR"
mount -t tmpfs -o size=700m tmpfs "$DIR" || fail "tmpfs"
dd if=/dev/urandom of="$IMG" bs=1M count=512 2>/dev/null || fail "backing file"
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"

emit() {	# WHO < output with @@BLK lines
	tr -d '\r' | sed -n 's/^@@BLK /@@BENCH '"$1"' /p'
}

note "dom0: fio on a loop device over the file (the limit)"
[ -e /dev/loop-control ] || modprobe loop
loop=$(/usr/sbin/losetup -f --show "$IMG") || fail "losetup"
mkdir -p /run/fio && mount -o loop,ro /lab/bin/fio.img /run/fio || fail "mounting fio.img in dom0"
sh -c "$(guest_cmds /run/fio/fio "$loop")" | emit dom0

note "hv: blkfront/blkback, file:$IMG as xvda"
hv create "$(mkcfg bench shell 'memory = 256' "disk = [ 'file:$IMG,xvda,w', 'file:/lab/bin/fio.img,xvdz,r' ]")" >/dev/null ||
	fail "hv create"
wait_init bench
out=$(guest_run bench $((SECS * 4 + 60)) "n=0; until [ -b /dev/xvda ] && [ -b /dev/xvdz ]; do n=\$((n+1)); [ \$n -gt 150 ] && exit 1; sleep 0.2; done
	mkdir -p /fio && mount -t ext4 -o ro /dev/xvdz /fio || exit 1
	$(guest_cmds /fio/fio /dev/xvda)") ||
	{ echo "$out"; fail "hv guest run"; }
echo "$out" | emit hv
echo "$out" | grep -v '^@@BLK' | head -5
dmesg | grep "blkback vbd-.*-51712: connected" | tail -n 1
hv destroy bench

note "hv with persistent grants (blkfront feature_persistent=1): a raw row beside"
hv create "$(mkcfg bench shell 'memory = 256')" >/dev/null || fail "hv create"
wait_init bench
guest_run bench 40 "$GUEST_WAIT_CORE && modprobe blkfront feature_persistent=1" >/dev/null ||
	fail "blkfront with feature_persistent=1"
hv block-attach bench "file:$IMG,xvda,w" || fail "block-attach xvda"
hv block-attach bench "file:/lab/bin/fio.img,xvdz,r" || fail "block-attach the fio image"
out=$(guest_run bench $((SECS * 4 + 60)) "n=0; until [ -b /dev/xvda ] && [ -b /dev/xvdz ]; do n=\$((n+1)); [ \$n -gt 150 ] && exit 1; sleep 0.2; done
	mkdir -p /fio && mount -t ext4 -o ro /dev/xvdz /fio || exit 1
	$(guest_cmds /fio/fio /dev/xvda)") ||
	{ echo "$out"; fail "hv guest run (persistent)"; }
echo "$out" | emit hv-persistent
dmesg | grep "blkback vbd-.*-51712: connected" | tail -n 1
hv destroy bench

note "qemu: virtio-blk, cache=none, aio=native, on $loop (the same file)"
q=/tmp/qbench
rm -f $q.in $q.out $q.log
mkfifo $q.in $q.out
QEMU_DISK="-drive file=$loop,if=none,id=d0,format=raw,cache=none,aio=native -device virtio-blk-pci,drive=d0"
qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m 256 -M q35 -nodefaults -no-user-config \
	-display none -L /usr/share/qemu -kernel "$HV_DOMU_KERNEL" -initrd "$HV_DOMU_INITRD" \
	-append "console=ttyS0 quiet hv.test=shell" -serial pipe:$q -no-reboot $QEMU_DISK \
	-drive file=/lab/bin/fio.img,if=none,id=d1,format=raw,readonly=on -device virtio-blk-pci,drive=d1 \
	</dev/null >$q.err 2>&1 &
qpid=$!
cat $q.out > $q.log &
catpid=$!
wait_for 120 grep -q "hv-domU: init reached" $q.log || { tail $q.log; cat $q.err; fail "qemu guest did not boot"; }
sleep 1
# One open per line, with QEMU already reading: a shell blocked in open()
# of a fifo returns EINTR when a child exits (busybox does not retry).
echo "n=0; until [ -b /dev/vda ] && [ -b /dev/vdb ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done; mkdir -p /fio; mount -t ext4 -o ro /dev/vdb /fio; echo QBENCH-MOUNTED=\$?" > $q.in
wait_for 60 grep -q "^QBENCH-MOUNTED=0" $q.log || { tail -20 $q.log; fail "qemu guest: mounting the fio disk"; }
echo "$(guest_cmds /fio/fio /dev/vda); echo QBENCH-DONE" > $q.in
wait_for $((SECS * 4 + 90)) grep -q "^QBENCH-DONE" $q.log || { tail -20 $q.log; fail "qemu guest run"; }
emit virtio-blk < $q.log
kill $qpid $catpid 2>/dev/null
wait $qpid 2>/dev/null
/usr/sbin/losetup -d "$loop"
umount /run/fio
umount "$DIR"
echo "@@BENCH-CMD fio $FIO_ARGS --filename=DEV --rw=RW --bs=BS --iodepth=QD for RW:BS:QD in $PATTERNS (DEV = /dev/xvda in the hv domU, /dev/vda in the QEMU guest, /dev/loopN over the file in dom0)"
echo "@@BENCH-CMD qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m 256 -M q35 $QEMU_DISK"
echo "@@BENCH-CMD hv: disk = [ 'file:$IMG,xvda,w' ], memory = 256, 1 vCPU; blkfront and blkback defaults"
