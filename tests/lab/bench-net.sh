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
# @@NET-COST lines say where the time went in each iperf3 run: dom0's
# threads' CPU ticks (10 ms) and busy share, the device's counters, and
# the guest's CPU, interrupts and counters (deltas over the run).
. /lab/tests/lib.sh
SECS=${1:-10}
ROUNDS=${2:-2000}
ROWS=${3:-hv,virtio,veth}
row() { case ",$ROWS," in *",$1,"*) return 0 ;; esac; return 1; }
IP=/usr/sbin/ip
[ -x $IP ] || IP=/usr/bin/ip
CMDLINE="console=ttyS0 quiet hv.test=shell"

mbps() { awk '/receiver/ {v = $(NF-2)} END {print v + 0}'; }

# ---- where the time goes (printed as @@NET-COST lines, never asserted) ----
# tsnap FILE: dom0's CPU ticks per thread (utime+stime) and the cpu line.
tsnap() {
	{ cat /proc/[0-9]*/task/[0-9]*/stat 2>/dev/null | awk '{
		o = index($0, "("); c = index($0, ") ")
		comm = substr($0, o + 1, c - o - 1); gsub(/[ \/]/, "_", comm)
		sub(/[-_.:0-9]*$/, "", comm); sub(/^vif.*/, "netback-thread", comm)
		sub(/^kworker.*/, "kworker", comm)
		split(substr($0, c + 2), a, " ")
		print "t", $1, comm, a[12] + a[13] }'
	  awk '/^cpu / {print "c", $2 + $3 + $4 + $6 + $7 + $8, $5}' /proc/stat
	  for f in tx_packets tx_bytes rx_packets rx_bytes; do
		echo "n $f $(cat /sys/class/net/$1/statistics/$f 2>/dev/null)"
	  done
	  ethtool -S "$1" 2>/dev/null | awk -F: 'NF == 2 {gsub(/ /, ""); print "e", $1, $2}'
	} > "$2"
}
# tcost TAG BEFORE AFTER: dom0 threads' ticks (10 ms) over the run, busiest first,
# dom0's busy share of its 2 CPUs, and the device's counters' deltas.
tcost() {
	echo "@@NET-COST $1 dom0 $(awk '
		NR == FNR { if ($1 == "t") a[$2] = $4; if ($1 == "c") { b0 = $2; i0 = $3 } next }
		$1 == "t" && ($2 in a) { d[$3] += $4 - a[$2] }
		$1 == "c" { b1 = $2 - b0; i1 = $3 - i0 }
		END { printf "busy=%d%% ticks:", 100 * b1 / (b1 + i1 + 0.001)
		      for (k in d) if (d[k] > 1) printf " %s=%d", k, d[k] }' "$2" "$3")"
	echo "@@NET-COST $1 dev $(awk '
		NR == FNR { if ($1 == "n" || $1 == "e") a[$2] = $3; next }
		($1 == "n" || $1 == "e") && $3 - a[$2] != 0 { printf " %s=%.0f", $2, $3 - a[$2] }' "$2" "$3")"
}
# The guest's side: CPU, interrupts, eth0's counters (raw; gcost parses).
GSNAP='head -1 /proc/stat; cat /proc/interrupts; for f in tx_packets tx_bytes rx_packets rx_bytes; do echo "stat $f $(cat /sys/class/net/eth0/statistics/$f)"; done; ethtool -S eth0 2>/dev/null; grep -A1 ^Tcp: /proc/net/snmp | tail -1'
gparse() {
	tr -d '\r' | awk '
		/^cpu / { print "cpu_busy", $2 + $3 + $4 + $7 + $8; print "cpu_idle", $5; print "cpu_softirq", $8 }
		/^ *[0-9]+: +[0-9]+/ && $NF ~ /eth|virtio|hvx|evtchn/ { sub(":", "", $1); print "irq" $1 "_" $NF, $2 }
		/^stat / { print $2, $3 }
		/^ +[a-z_0-9]+: [0-9]+$/ { sub(":", "", $1); print $1, $2 }
		/^Tcp: [0-9]/ { print "tcp_in_segs", $11; print "tcp_out_segs", $12 }'
}
# gcost TAG BEFORE-TEXT AFTER-TEXT
gcost() {
	echo "$2" | gparse > /tmp/gc.0
	echo "$3" | gparse > /tmp/gc.1
	echo "@@NET-COST $1 guest $(awk '
		NR == FNR { a[$1] = $2; next }
		{ d = $2 - a[$1]; if (d != 0) printf " %s=%.0f", $1, d }' /tmp/gc.0 /tmp/gc.1)"
}
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
	g0=$(guest_run nb 10 "$GSNAP"); tsnap "vif$d.0" /tmp/ts.0
	out=$(guest_run nb $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS -f m")
	tsnap "vif$d.0" /tmp/ts.1; g1=$(guest_run nb 10 "$GSNAP")
	echo "$out" | tail -4 | sed "s/^/   $1 tx: /"
	tx=$(echo "$out" | mbps)
	tcost "$1-tx" /tmp/ts.0 /tmp/ts.1; gcost "$1-tx" "$g0" "$g1"
	g0=$(guest_run nb 10 "$GSNAP"); tsnap "vif$d.0" /tmp/ts.0
	out=$(guest_run nb $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS -R -f m")
	tsnap "vif$d.0" /tmp/ts.1; g1=$(guest_run nb 10 "$GSNAP")
	echo "$out" | tail -4 | sed "s/^/   $1 rx: /"
	rx=$(echo "$out" | mbps)
	tcost "$1-rx" /tmp/ts.0 /tmp/ts.1; gcost "$1-rx" "$g0" "$g1"
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
g0=$(qrun 20 "$GSNAP"); tsnap qtap0 /tmp/ts.0
out=$(qrun $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS -f m")
tsnap qtap0 /tmp/ts.1; g1=$(qrun 20 "$GSNAP")
echo "$out" | tail -4 | sed 's/^/   virtio tx: /'
qtx=$(echo "$out" | mbps)
tcost virtio-tx /tmp/ts.0 /tmp/ts.1; gcost virtio-tx "$g0" "$g1"
g0=$(qrun 20 "$GSNAP"); tsnap qtap0 /tmp/ts.0
out=$(qrun $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS -R -f m")
tsnap qtap0 /tmp/ts.1; g1=$(qrun 20 "$GSNAP")
echo "$out" | tail -4 | sed 's/^/   virtio rx: /'
qrx=$(echo "$out" | mbps)
tcost virtio-rx /tmp/ts.0 /tmp/ts.1; gcost virtio-rx "$g0" "$g1"
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
