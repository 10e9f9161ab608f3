# SPDX-License-Identifier: GPL-2.0-only
# bench-blk-poll.sh [VARIANTS]: blkback's poll_us/poll_tries compared in
# one guest, one boot (the parameters are changed between runs, two
# rounds): fio 8 s, libaio, O_DIRECT on xvda (the bench's 512 MiB backing
# file in dom0's tmpfs), 4 KiB random reads at QD32 and QD1 and 1 MiB
# sequential reads. VARIANTS: "US:TRIES ..." (default "0:4 200:4 200:8
# 100:16"; 0 asks for an event after every pass). Prints per run
# "@@AB round=R poll/tries=US/TRIES PATTERN iops= mbps= pio/io= irq/io=
# exits/io=" (KVM's io exits, injected interrupts and exits per I/O).
. /lab/tests/lib.sh
DIR=/run/blkbench; IMG=$DIR/disk.img
mkdir -p $DIR; mount -t tmpfs -o size=700m tmpfs $DIR
dd if=/dev/urandom of=$IMG bs=1M count=512 2>/dev/null
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail insmod
DOM=bench
rm -f "$(guest_log bench)"	# the VMM appends: a fresh log for wait_init
hv create "$(mkcfg bench shell 'memory = 256' "disk = [ 'file:$IMG,xvda,w', 'file:/lab/bin/fio.img,xvdz,r' ]")" >/dev/null || fail create
wait_init bench
grun 60 "n=0; until [ -b /dev/xvda ] && [ -b /dev/xvdz ] || [ \$n -gt 150 ]; do n=\$((n+1)); sleep 0.2; done; mkdir -p /fio; mount -t ext4 -o ro /dev/xvdz /fio; echo ok"
K=/sys/kernel/debug/kvm; [ -d $K ] || mount -t debugfs none /sys/kernel/debug
for round in 1 2; do
for v in ${1:-0:4 200:4 200:8 100:16}; do poll=${v%%:*}; tries=${v#*:}
 for p in "randread 4k 32" "randread 4k 1" "read 1m 1"; do
  set -- $p
  echo $poll > /sys/module/blkback/parameters/poll_us; echo $tries > /sys/module/blkback/parameters/poll_tries
  e0=$(cat $K/io_exits); i0=$(cat $K/irq_injections); x0=$(cat $K/exits)
  out=$(grun 120 "/fio/fio --minimal --name=b --ioengine=libaio --direct=1 --runtime=8 --time_based --size=448m --filename=/dev/xvda --rw=$1 --bs=$2 --iodepth=$3 | awk -F';' '{print \$8, \$7/1024}'")
  e1=$(cat $K/io_exits); i1=$(cat $K/irq_injections); x1=$(cat $K/exits)
  echo "$out" | tr -d '\r' | awk -v l=$poll/$tries -v r=$round -v p="$1-$2-qd$3" -v e=$((e1-e0)) -v i=$((i1-i0)) -v x=$((x1-x0)) 'NF==2 && $1+0>0 { ios=$1*8; printf "@@AB round=%s poll/tries=%s %s iops=%.0f mbps=%.1f pio/io=%.2f irq/io=%.2f exits/io=%.1f\n", r, l, p, $1, $2, e/ios, i/ios, x/ios }'
 done
done
done
hv destroy bench
