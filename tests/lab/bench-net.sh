# SPDX-License-Identifier: GPL-2.0-only
# bench-net.sh: network throughput and latency in one lab boot, three ways:
#
#   hv:     domU eth0 (netfront) ══ vifD.0 (netback) ── xenbr0 192.0.2.1 (dom0)
#   virtio: same kernel+initramfs under qemu-system-x86_64 -enable-kvm -M q35,
#           virtio-net-pci + vhost-net on a tap ── xenbr0
#   veth:   two dom0 network namespaces over a veth pair (the limit)
#
# Each: iperf3 TCP client->dom0 and dom0->client (-R), SECS seconds, and
# tcprr (1-byte TCP request/response) ROUNDS rounds. Prints @@BENCH lines.
# Usage: bench-net.sh [SECS] [ROUNDS] [ROWS]
# ROWS (default hv,virtio,veth) may also name hv-copy: the same hv guest
# with netfront's zerocopy=0 (every packet copied, as before zero copy).
. /lab/tests/lib.sh
SECS=${1:-10}
ROUNDS=${2:-2000}
ROWS=${3:-hv,virtio,veth}
row() { case ",$ROWS," in *",$1,"*) return 0 ;; esac; return 1; }
IP=/usr/sbin/ip
[ -x $IP ] || IP=/usr/bin/ip
CMDLINE="console=ttyS0 quiet hv.test=shell"

mbps() { awk '/receiver/ {v = $(NF-2)} END {print v + 0}'; }
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }

grep -q "^netback " /proc/modules || insmod /lab/modules/netback.ko || fail "insmod netback"
modprobe tun; modprobe vhost_net; modprobe veth
$IP link add xenbr0 type bridge
$IP addr add 192.0.2.1/24 dev xenbr0
$IP link set xenbr0 up
iperf3 -s -D >/dev/null 2>&1
tcprr -d >/dev/null 2>&1

# ---- hv ----
# hv_row NAME ZEROCOPY: the three figures from the hv guest, netfront's
# zerocopy parameter set first.
hv_row() {
	guest_run nb 10 "echo $2 > /sys/module/netfront/parameters/zerocopy" >/dev/null
	out=$(guest_run nb $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS -f m")
	echo "$out" | tail -4 | sed "s/^/   $1 tx: /"
	tx=$(echo "$out" | mbps)
	out=$(guest_run nb $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS -R -f m")
	echo "$out" | tail -4 | sed "s/^/   $1 rx: /"
	rx=$(echo "$out" | mbps)
	rr=$(guest_run nb 120 "tcprr -c 192.0.2.1 5208 $ROUNDS")
	echo "   $1 rr: $rr"
	echo "@@BENCH $1 tx_mbps=$tx rx_mbps=$rx rr_median_us=$(echo "$rr" | field rr_median_us) trans_per_s=$(echo "$rr" | field trans_per_s)"
	guest_run nb 10 "ethtool -S eth0" 2>/dev/null | grep -E "copied" | sed "s/^/   $1 netfront: /"
	ethtool -S "vif$d.0" 2>/dev/null | sed "s/^/   $1 /"
}
if row hv || row hv-copy; then
hv create "$(mkcfg nb shell "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:10' ]")" >/dev/null || fail "create"
wait_init nb
d=$(domain_field nb 2)
wait_for 60 sh -c "[ \"\$(xenstore-read /local/domain/0/backend/vif/$d/0/state)\" = 4 ]" ||
	fail "vif did not connect"
guest_run nb 30 "ip link set eth0 up && ip addr add 192.0.2.10/24 dev eth0 && ping -c 1 -W 5 192.0.2.1 >/dev/null" ||
	fail "hv guest network"
row hv && hv_row hv 1
row hv-copy && hv_row hv-copy 0
hv destroy nb >/dev/null
xenstore-rm "/local/domain/0/backend/vif/$d" 2>/dev/null
fi

# ---- QEMU virtio-net + vhost-net ----
if row virtio; then
# q35 with virtio-net-pci (MSI-X): what a KVM user runs. If q35 cannot
# boot (its SeaBIOS missing from dom0's image), microvm with virtio-mmio
# (virtio-net-device), which needs no BIOS; the row says which.
# The guest's shell is on the serial port; command output is read back
# between two markers the shell prints (typed as qbN-be''gin, so the
# terminal's echo of the typed line never matches them).
$IP tuntap add dev qtap0 mode tap
$IP link set qtap0 master xenbr0
$IP link set qtap0 up
QCOMMON="qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m 192 -nodefaults -no-user-config -display none -L /usr/share/qemu -kernel $HV_DOMU_KERNEL -initrd $HV_DOMU_INITRD -append '$CMDLINE' -serial pipe:/tmp/qs -no-reboot -netdev tap,id=n0,ifname=qtap0,script=no,downscript=no,vhost=on"
QPCI="$QCOMMON -M q35 -device virtio-net-pci,netdev=n0,mac=00:16:3e:00:00:20,romfile="
QMMIO="$QCOMMON -object memory-backend-memfd,id=ram,size=192M -M microvm,memory-backend=ram -device virtio-net-device,netdev=n0,mac=00:16:3e:00:00:20"
# qstart CMD: start QEMU and wait for the guest's init; status 1 if it does not come.
qstart() {
	rm -f /tmp/qs.in /tmp/qs.out /tmp/qs.log
	mkfifo /tmp/qs.in /tmp/qs.out
	cat /tmp/qs.out > /tmp/qs.log &
	catpid=$!
	eval "$1" </dev/null >/tmp/qemu-net.err 2>&1 &
	qpid=$!
	exec 7>/tmp/qs.in
	wait_for 120 grep -q "hv-domU: init reached" /tmp/qs.log && return 0
	cat /tmp/qemu-net.err
	tail -5 /tmp/qs.log
	exec 7>&-
	kill $qpid $catpid 2>/dev/null
	wait $qpid 2>/dev/null
	return 1
}
QEMU=$QPCI
QROW=virtio-vhost
if ! qstart "$QEMU"; then
	echo "   q35 did not boot: microvm with virtio-mmio instead"
	QEMU=$QMMIO
	QROW=virtio-vhost
	QNOTE="(microvm, virtio-mmio)"
	qstart "$QEMU" || fail "qemu guest did not boot"
fi
sleep 2
# qrun SECS CMDS: run CMDS in the QEMU guest's serial shell, print the output.
# The marker is new on every call from the clock (qrun runs in a $(...)
# subshell, where a counter would never advance: every call then printed
# the first call's output, the cause of the old identical peer figures).
qrun() {
	local qn
	qn=$(cut -d' ' -f1 /proc/uptime | tr -d .)
	echo "echo qb$qn-be''gin; { $2; } 2>&1; echo qb$qn-e''nd" >&7
	wait_for "$1" grep -q "^qb$qn-end" /tmp/qs.log || { tail -20 /tmp/qs.log; return 1; }
	tr -d '\r' < /tmp/qs.log | sed -n "/^qb$qn-begin/,/^qb$qn-end/p" | sed '1d;$d'
}
out=$(qrun 60 "n=0; until ip link show eth0 >/dev/null 2>&1; do n=\$((n+1)); [ \$n -gt 100 ] && break; sleep 0.2; done; ip link set eth0 up && ip addr add 192.0.2.20/24 dev eth0 && ping -c 1 -W 5 192.0.2.1 >/dev/null && echo net-ok")
echo "$out" | grep -q net-ok || { echo "$out"; fail "qemu guest network"; }
out=$(qrun $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS -f m")
echo "$out" | tail -4 | sed 's/^/   virtio tx: /'
qtx=$(echo "$out" | mbps)
out=$(qrun $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS -R -f m")
echo "$out" | tail -4 | sed 's/^/   virtio rx: /'
qrx=$(echo "$out" | mbps)
qrr=$(qrun 120 "tcprr -c 192.0.2.1 5208 $ROUNDS")
echo "   virtio rr: $qrr"
echo "@@BENCH $QROW tx_mbps=$qtx rx_mbps=$qrx rr_median_us=$(echo "$qrr" | field rr_median_us) trans_per_s=$(echo "$qrr" | field trans_per_s)"
grep -q vhost /proc/*/comm 2>/dev/null && echo "   (vhost worker threads present)"
echo "poweroff -f" >&7
exec 7>&-
sleep 1
kill $qpid $catpid 2>/dev/null
wait $qpid 2>/dev/null
$IP link del qtap0
fi

# ---- veth between two namespaces ----
if row veth; then
# nsenter --net only switches the network namespace (ip netns exec also
# remounts /sys, which dom0's initramfs root does not allow).
$IP netns add nsa
$IP netns add nsb
$IP link add va type veth peer name vb
$IP link set va netns nsa
$IP link set vb netns nsb
$IP -n nsa addr add 192.0.2.101/24 dev va
$IP -n nsb addr add 192.0.2.102/24 dev vb
$IP -n nsa link set va up
$IP -n nsb link set vb up
$IP -n nsa link set lo up
$IP -n nsb link set lo up
NSDIR=/run/netns
[ -e $NSDIR/nsa ] || NSDIR=/var/run/netns
NSA="nsenter --net=$NSDIR/nsa"
NSB="nsenter --net=$NSDIR/nsb"
$NSA iperf3 -s -D >/dev/null 2>&1
$NSA tcprr -d >/dev/null 2>&1
sleep 1
$NSB ping -c 1 -W 5 192.0.2.101 >/dev/null || echo "   veth: ping failed"
out=$($NSB iperf3 -c 192.0.2.101 -t "$SECS" -f m 2>&1)
echo "$out" | tail -4 | sed 's/^/   veth tx: /'
vtx=$(echo "$out" | mbps)
out=$($NSB iperf3 -c 192.0.2.101 -t "$SECS" -R -f m 2>&1)
echo "$out" | tail -4 | sed 's/^/   veth rx: /'
vrx=$(echo "$out" | mbps)
vrr=$($NSB tcprr -c 192.0.2.101 5208 "$ROUNDS" 2>&1)
echo "   veth rr: $vrr"
echo "@@BENCH veth tx_mbps=$vtx rx_mbps=$vrx rr_median_us=$(echo "$vrr" | field rr_median_us) trans_per_s=$(echo "$vrr" | field trans_per_s)"
$IP netns del nsa
$IP netns del nsb
fi
$IP link del xenbr0

{ row hv || row hv-copy; } && echo "@@BENCH-CMD hv guest (1 vCPU, 192 MiB, 1 queue): iperf3 -c 192.0.2.1 -t $SECS -f m; iperf3 -c 192.0.2.1 -t $SECS -R -f m; tcprr -c 192.0.2.1 5208 $ROUNDS (servers in dom0: iperf3 -s -D; tcprr -d)$(row hv-copy && echo '; hv-copy: the same after echo 0 > /sys/module/netfront/parameters/zerocopy')"
row virtio && echo "@@BENCH-CMD virtio $QNOTE: $QEMU (same guest commands, from 192.0.2.20 on the same bridge)"
row veth && echo "@@BENCH-CMD veth: ip netns add nsa/nsb, veth va/vb; nsenter --net=$NSDIR/nsb iperf3 -c 192.0.2.101 -t $SECS [-R] -f m; tcprr -c 192.0.2.101 5208 $ROUNDS"
true
