# SPDX-License-Identifier: GPL-2.0-only
# trace-exits.sh: where an hv guest's vCPU exits go while fio runs on its
# xvda (a diagnostic, not a test). One domU (256 MiB, 1 vCPU, blkfront
# with BLKFRONT_ARGS), a 200 MiB file disk; for idle, 4 KiB random reads
# at iodepth 1 and 1 MiB sequential reads it traces KVM's kvm_exit,
# kvm_entry and kvm_pio events for 4 s and prints, per exit reason (I/O
# exits with their port), the count and the dom0 time from the exit to
# the vCPU's next entry.
# Usage: scripts/lab run tests/lab/trace-exits.sh [BLKFRONT_ARGS]; the
# environment variable TRACE_PATTERNS (default "randread:4k read:1m")
# picks the fio RW:BS patterns.
. /lab/tests/lib.sh
BLKFRONT_ARGS=${1:-}
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs none $T || fail "no tracefs"
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"
[ -f /lab/bin/fio.img ] || fail "no /lab/bin/fio.img"
img=/run/trace-exits
mkdir -p $img && truncate -s 200M $img/d.img
hv create "$(mkcfg tx shell 'memory = 256')" >/dev/null || fail "create"
wait_init tx
guest_run tx 40 "$GUEST_WAIT_CORE" || fail "hvx_core"
guest_run tx 30 "modprobe blkfront $BLKFRONT_ARGS" || fail "modprobe blkfront"
hv block-attach tx "file:$img/d.img,xvda,w" || fail "block-attach"
hv block-attach tx "file:/lab/bin/fio.img,xvdz,r" || fail "block-attach fio"
guest_run tx 60 'n=0; until [ -b /dev/xvda ] && [ -b /dev/xvdz ]; do n=$((n+1)); [ $n -gt 150 ] && exit 1; sleep 0.2; done; mkdir -p /fio; mount -t ext4 -o ro /dev/xvdz /fio' ||
	fail "disks"
echo 20000 > $T/buffer_size_kb

# trace WHAT: 4 s of exits, summed per reason (and port).
trace() {
	local e
	echo > $T/trace
	for e in kvm_pio kvm_exit kvm_entry; do echo 1 > $T/events/kvm/$e/enable; done
	sleep 4
	for e in kvm_pio kvm_exit kvm_entry; do echo 0 > $T/events/kvm/$e/enable; done
	echo "== $1: exits in 4 s: count, us in dom0 until the next entry, reason"
	awk 'function ts() { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) return substr($i, 1, length($i) - 1) }
	     /kvm_exit:/ { r = $0; sub(/.*reason /, "", r); sub(/ .*/, "", r); last = r; t0 = ts(); next }
	     /kvm_pio:/ { if (last == "") next; p = $0; sub(/.* at /, "", p); sub(/ .*/, "", p); last = last " port " p; next }
	     /kvm_entry:/ { t = ts(); if (last != "") { n[last]++; us[last] += (t - t0) * 1e6 }; last = "" }
	     END { for (k in n) printf "%8d %10.0f  %s\n", n[k], us[k], k }' $T/trace | sort -k2 -rn | head -12
}

trace idle
for p in ${TRACE_PATTERNS:-randread:4k read:1m}; do
	(sleep 4; trace "fio ${p%%:*} ${p#*:} iodepth 1" > /run/trace-exits.out 2>&1) &
	guest_run tx 60 "/fio/fio --name=t --ioengine=libaio --direct=1 --runtime=10 --time_based --size=150m --filename=/dev/xvda --rw=${p%%:*} --bs=${p#*:} --iodepth=1 --minimal | awk -F';' '{print \"fio: \" \$8 + \$49 \" IOPS, \" \$7 + \$48 \" KiB/s\"}'" ||
		fail "fio $p"
	wait
	cat /run/trace-exits.out
done
hv destroy tx
wait_for 30 gone tx || fail "tx not destroyed"
