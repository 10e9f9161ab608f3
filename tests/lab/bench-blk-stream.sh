# SPDX-License-Identifier: GPL-2.0-only
# bench-blk-stream.sh [ROUNDS [VALUES]]: blkback's stream_segs (how a
# large zero-copy request is mapped and submitted in parts) compared in
# one boot: a zero-copy guest (blkfront feature_persistent=0) runs fio
# 1 MiB sequential reads and writes (8 s, libaio, O_DIRECT, iodepth 1)
# with the parameter set to each of VALUES (default "0 32 64"; 0 maps
# whole requests) in turn, then a persistent-grant guest on the same
# file, for ROUNDS (default 2) rounds. Prints "@@STREAM round=R
# side=S rw=RW mbps=X" per run.
. /lab/tests/lib.sh
ROUNDS=${1:-2}
VALUES=${2:-0 32 64}
P=/sys/module/blkback/parameters/stream_segs
DIR=/run/blkstream
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"
[ -f /lab/bin/fio.img ] || fail "no /lab/bin/fio.img: fio is not installed on the host (scripts/deps)"
mkdir -p $DIR && mount -t tmpfs -o size=300m tmpfs $DIR || fail "tmpfs"
dd if=/dev/urandom of=$DIR/d.img bs=1M count=256 2>/dev/null || fail "backing file"
for g in zc:feature_persistent=0 pers:feature_persistent=1; do
	d=${g%%:*}
	hv create "$(mkcfg $d shell 'memory = 256')" >/dev/null || fail "create $d"
	wait_init $d
	guest_run $d 40 "$GUEST_WAIT_CORE" || fail "hvx_core in $d"
	guest_run $d 30 "modprobe blkfront ${g#*:}" || fail "modprobe blkfront in $d"
	hv block-attach $d "file:$DIR/d.img,xvda,w" || fail "block-attach xvda to $d"
	hv block-attach $d "file:/lab/bin/fio.img,xvdz,r" || fail "block-attach the fio image to $d"
	guest_run $d 60 'n=0; until [ -b /dev/xvda ] && [ -b /dev/xvdz ]; do n=$((n+1)); [ $n -gt 150 ] && exit 1; sleep 0.2; done; mkdir -p /fio; mount -t ext4 -o ro /dev/xvdz /fio' ||
		fail "disks in $d"
done
# run DOMAIN RW SIDE ROUND
run() {
	guest_run $1 90 "/fio/fio --minimal --name=s --ioengine=libaio --direct=1 --runtime=8 --time_based --size=200m --filename=/dev/xvda --rw=$2 --bs=1m --iodepth=1 | awk -F';' '{ printf \"@@STREAM round=$4 side=$3 rw=$2 mbps=%.1f\\n\", (\$7 + \$48) / 1024 }'" ||
		echo "fio $2 in $1 ($3) failed"
}
old=$(cat $P)
for r in $(seq "$ROUNDS"); do
	for rw in read write; do
		for s in $VALUES; do
			echo "$s" > $P
			run zc $rw "zerocopy,stream_segs=$s" $r
		done
		run pers $rw persistent $r
	done
done
echo "$old" > $P
hv destroy zc
hv destroy pers
wait_for 20 sh -c "! /usr/sbin/losetup -a | grep -q '$DIR'"
umount $DIR || echo "$DIR: still busy"
exit 0
