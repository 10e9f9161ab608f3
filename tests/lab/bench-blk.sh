# SPDX-License-Identifier: GPL-2.0-only
# bench-blk.sh: block I/O in a guest, hv's blkfront/blkback against
# virtio-blk under qemu-system-x86_64 -enable-kvm, and the backing device
# read by dom0 itself (the limit), in one lab boot, on the same backing
# file (in dom0's tmpfs, on a loop device as the hotplug script sets up).
# Guests: the default domU kernel and initramfs, 1 vCPU, 256 MiB.
# Patterns (tests/lab/blkbench.c, O_DIRECT): 4 KiB random reads with 1 and
# 32 threads (iodepth 1 and 32), 1 MiB sequential reads and writes.
# Prints "@@BENCH WHO MODE depth=D iops=X mbps=Y" lines.
# Usage: bench-blk.sh [SECONDS]
. /lab/tests/lib.sh
SECS=${1:-10}
DIR=/run/blkbench
IMG=$DIR/disk.img
GUEST_CMDS="blkbench randread DEV $SECS 1; blkbench randread DEV $SECS 32; blkbench seqread DEV $SECS; blkbench seqwrite DEV $SECS"

mkdir -p "$DIR"
mount -t tmpfs -o size=700m tmpfs "$DIR" || fail "tmpfs"
dd if=/dev/urandom of="$IMG" bs=1M count=512 2>/dev/null || fail "backing file"
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"

emit() {	# WHO < blkbench output
	sed -n 's/^@@BLK /@@BENCH '"$1"' /p'
}

note "dom0: blkbench on a loop device over the file (the limit)"
[ -e /dev/loop-control ] || modprobe loop
loop=$(/usr/sbin/losetup -f --show "$IMG") || fail "losetup"
echo "$GUEST_CMDS" | sed "s|DEV|$loop|g" | sh | emit dom0
/usr/sbin/losetup -d "$loop"

note "hv: blkfront/blkback, file:$IMG as xvda"
hv create "$(mkcfg bench shell 'memory = 256' "disk = [ 'file:$IMG,xvda,w' ]")" >/dev/null || fail "hv create"
wait_init bench
out=$(guest_run bench $((SECS * 4 + 60)) "n=0; until [ -b /dev/xvda ]; do n=\$((n+1)); [ \$n -gt 150 ] && exit 1; sleep 0.2; done; $(echo "$GUEST_CMDS" | sed 's|DEV|/dev/xvda|g')") ||
	{ echo "$out"; fail "hv guest run"; }
echo "$out" | emit hv
echo "$out" | grep -v '^@@BLK' | head -5
hv destroy bench

note "qemu: virtio-blk, cache=none, aio=threads, same file"
q=/tmp/qbench
rm -f $q.in $q.out $q.log
mkfifo $q.in $q.out
qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m 256 -M q35 -nodefaults -no-user-config \
	-display none -L /usr/share/qemu -kernel "$HV_DOMU_KERNEL" -initrd "$HV_DOMU_INITRD" \
	-append "console=ttyS0 quiet hv.test=shell" -serial pipe:$q -no-reboot \
	-drive file=$IMG,if=none,id=d0,format=raw,cache=none,aio=threads \
	-device virtio-blk-pci,drive=d0 </dev/null >/dev/null 2>&1 &
qpid=$!
cat $q.out > $q.log &
catpid=$!
exec 3>$q.in
wait_for 120 grep -q "hv-domU: init reached" $q.log || { tail $q.log; fail "qemu guest did not boot"; }
sleep 1
echo "n=0; until [ -b /dev/vda ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done; $(echo "$GUEST_CMDS" | sed 's|DEV|/dev/vda|g'); echo QBENCH-DONE" >&3
wait_for $((SECS * 4 + 90)) grep -q "^QBENCH-DONE" $q.log || { tail -20 $q.log; fail "qemu guest run"; }
tr -d '\r' < $q.log | emit virtio-blk
exec 3>&-
kill $qpid $catpid 2>/dev/null
wait $qpid 2>/dev/null
umount "$DIR"
echo "@@BENCH-CMD guest and dom0: $GUEST_CMDS (DEV = /dev/xvda, /dev/vda, /dev/loopN)"
echo "@@BENCH-CMD qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m 256 -M q35 -drive file=$IMG,if=none,id=d0,format=raw,cache=none,aio=threads -device virtio-blk-pci,drive=d0"
