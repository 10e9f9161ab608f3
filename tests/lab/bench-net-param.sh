# SPDX-License-Identifier: GPL-2.0-only
# bench-net-param.sh PARAM "V1 V2 ...": bench-net.sh 10 2000 hv,virtio 2
# once per value of netback's module parameter PARAM (or MODULE/PARAM:
# hv/copy_regs), in one boot (each value has its own interleaved hv/virtio
# rows). Prints bench-net's
# @@BENCH, @@BENCH-MEDIAN and @@BENCH-RATIO lines after a "@@NETAB" line
# naming the value.
. /lab/tests/lib.sh
[ $# -eq 2 ] || fail "usage: bench-net-param.sh PARAM \"VALUES\""
grep -q "^netback " /proc/modules || insmod /lab/modules/netback.ko || fail "insmod netback"
case $1 in */*) P=/sys/module/${1%%/*}/parameters/${1#*/} ;; *) P=/sys/module/netback/parameters/$1 ;; esac
[ -w $P ] || fail "no module parameter $P"
for v in $2; do
	echo $v > $P || fail "$1=$v refused"
	echo "@@NETAB $1=$(cat $P)"
	sh /lab/tests/bench-net.sh 10 2000 hv,virtio 2 2>&1 |
		grep -a "@@BENCH-RATIO\|@@BENCH-MEDIAN\|@@BENCH hv\|@@BENCH virtio\|@@NET-COST hv-.x dev"
	killall -q qemu-system-x86_64 iperf3 tcprr 2>/dev/null
	sleep 2
done
