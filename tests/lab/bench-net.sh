# SPDX-License-Identifier: GPL-2.0-only
# bench-net.sh: network throughput and latency in one lab boot, three ways:
#
#   hv:     domU eth0 (netfront) ══ vifD.0 (netback) ── xenbr0 192.0.2.1 (dom0)
#   virtio: same kernel+initramfs under qemu-system-x86_64 -enable-kvm -M q35,
#           virtio-net-pci + vhost-net on a tap ── xenbr0
#   veth:   two dom0 network namespaces over a veth pair (the limit)
#
# Figures: iperf3 TCP client->dom0 and dom0->client (-R), SECS seconds, and
# tcprr (1-byte TCP request/response) ROUNDS rounds.
# Usage: bench-net.sh [SECS] [ROUNDS] [ROWS] [REPS]
# ROWS (default hv,virtio,veth) may also name hv-copy: the same hv guest
# with netfront's zerocopy=0 (every packet copied, as before zero copy).
#
# The lab's speed drifts by tens of percent within a boot (other work on
# the host's two cores), so sides measured minutes apart are not
# comparable. Every guest is brought up first (the others sit idle while
# one side runs), then each figure runs side after side, and the whole
# sequence is repeated REPS times (default 3): odd repetitions start with
# hv, even ones with virtio, so neither gets the first slot every time
# (hv-copy follows the pair, veth comes last).
# Prints, as it goes, one "@@BENCH WHO tx_mbps= rx_mbps= rr_median_us=
# trans_per_s= rep=N" line per side and repetition ("-": that run failed),
# then "@@BENCH-MEDIAN WHO FIGURE VALUE" per side and figure (medians over
# the repetitions), "@@BENCH-RATIO FIGURE hv/virtio R reps=R1,R2,..." per
# figure (for rr_median_us the ratio is virtio/hv, the times' inverse: above
# 1 hv is faster, as everywhere else), the exact commands (@@BENCH-CMD) and
# how long it took (@@BENCH-TIME).
# @@NET-COST lines say where the time went in each iperf3 run: dom0's
# threads' CPU ticks (10 ms) and busy share, the device's counters, and
# the guest's CPU, interrupts and counters (deltas over the run).
. /lab/tests/lib.sh
SECS=${1:-10}
ROUNDS=${2:-2000}
ROWS=${3:-hv,virtio,veth}
REPS=${4:-3}
row() { case ",$ROWS," in *",$1,"*) return 0 ;; esac; return 1; }
IP=/usr/sbin/ip
[ -x $IP ] || IP=/usr/bin/ip
CMDLINE="console=ttyS0 quiet hv.test=shell"
T0=$(cut -d' ' -f1 /proc/uptime)
# elapsed: whole seconds since the script started.
elapsed() { awk -v a="$T0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN {printf "%d", b - a}'; }

mbps() { awk '/receiver/ {v = $(NF-2)} END {print v + 0}'; }

# ---- where the time goes (printed as @@NET-COST lines, never asserted) ----
# tsnap FILE: dom0's CPU ticks per thread (utime+stime) and the cpu line.
tsnap() {
	local f
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
		      for (k in d) if (d[k] > 1) printf " %s=%d", k, d[k] }' "$2" "$3") rep=$rep"
	echo "@@NET-COST $1 dev $(awk '
		NR == FNR { if ($1 == "n" || $1 == "e") a[$2] = $3; next }
		($1 == "n" || $1 == "e") && $3 - a[$2] != 0 { printf " %s=%.0f", $2, $3 - a[$2] }' "$2" "$3") rep=$rep"
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
		{ d = $2 - a[$1]; if (d != 0) printf " %s=%.0f", $1, d }' /tmp/gc.0 /tmp/gc.1) rep=$rep"
}
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }

grep -q "^netback " /proc/modules || insmod /lab/modules/netback.ko || fail "insmod netback"
modprobe tun; modprobe vhost_net; modprobe veth
$IP link add xenbr0 type bridge
$IP addr add 192.0.2.1/24 dev xenbr0
$IP link set xenbr0 up
iperf3 -s -D >/dev/null 2>&1
tcprr -d >/dev/null 2>&1

# SIDES: the sides up and measuring, in the odd repetitions' order.
SIDES=

# ---- bring-up: the hv guest ----
if row hv || row hv-copy; then
note "bring-up: hv guest (netfront/netback)"
hv create "$(mkcfg nb shell "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:10' ]")" >/dev/null || fail "create"
wait_init nb
d=$(domain_field nb 2)
wait_for 60 sh -c "[ \"\$(xenstore-read /local/domain/0/backend/vif/$d/0/state)\" = 4 ]" ||
	fail "vif did not connect"
guest_run nb 30 "ip link set eth0 up && ip addr add 192.0.2.10/24 dev eth0 && ping -c 1 -W 5 192.0.2.1 >/dev/null" ||
	fail "hv guest network"
fi
# ZC: netfront's zerocopy parameter as last set (hv and hv-copy share the guest).
ZC=

# ---- bring-up: QEMU virtio-net + vhost-net ----
qpid=
if row virtio; then
note "bring-up: QEMU guest (virtio-net + vhost-net)"
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
	qpid=
	return 1
}
QEMU=$QPCI
QROW=virtio-vhost
if ! qstart "$QEMU"; then
	echo "   q35 did not boot: microvm with virtio-mmio instead"
	QEMU=$QMMIO
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
grep -q vhost /proc/*/comm 2>/dev/null && echo "   (vhost worker threads present)"
fi

# ---- bring-up: veth between two namespaces ----
if row veth; then
note "bring-up: veth pair between two dom0 namespaces"
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
fi

row hv && SIDES="$SIDES hv"
row virtio && SIDES="$SIDES $QROW"
row hv-copy && SIDES="$SIDES hv-copy"
row veth && SIDES="$SIDES veth"
TUP=$(elapsed)
note "all sides up after ${TUP} s:$SIDES"

# ---- one run of one figure on one side ----
# Each sets val (and tps for rr); val stays empty when the run failed.
# fig_hv WHO FIG: from the hv guest, netfront's zerocopy parameter set
# first when it changes (1 for hv, 0 for hv-copy).
fig_hv() {
	local zc=1 flag= out g0 g1
	[ "$1" = hv-copy ] && zc=0
	if [ "$zc" != "$ZC" ]; then
		guest_run nb 10 "echo $zc > /sys/module/netfront/parameters/zerocopy" >/dev/null &&
			ZC=$zc
	fi
	case $2 in
	rr)
		out=$(guest_run nb 120 "tcprr -c 192.0.2.1 5208 $ROUNDS")
		echo "   $1 rr: $out"
		val=$(echo "$out" | field rr_median_us); tps=$(echo "$out" | field trans_per_s)
		return ;;
	rx) flag=" -R" ;;
	esac
	g0=$(guest_run nb 10 "$GSNAP"); tsnap "vif$d.0" /tmp/ts.0
	out=$(guest_run nb $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS$flag -f m")
	tsnap "vif$d.0" /tmp/ts.1; g1=$(guest_run nb 10 "$GSNAP")
	echo "$out" | tail -4 | sed "s/^/   $1 $2: /"
	val=$(echo "$out" | mbps)
	tcost "$1-$2" /tmp/ts.0 /tmp/ts.1; gcost "$1-$2" "$g0" "$g1"
}
# fig_virtio FIG: from the QEMU guest.
fig_virtio() {
	local flag= out g0 g1
	case $1 in
	rr)
		out=$(qrun 120 "tcprr -c 192.0.2.1 5208 $ROUNDS")
		echo "   virtio rr: $out"
		val=$(echo "$out" | field rr_median_us); tps=$(echo "$out" | field trans_per_s)
		return ;;
	rx) flag=" -R" ;;
	esac
	g0=$(qrun 20 "$GSNAP"); tsnap qtap0 /tmp/ts.0
	out=$(qrun $((SECS + 30)) "iperf3 -c 192.0.2.1 -t $SECS$flag -f m")
	tsnap qtap0 /tmp/ts.1; g1=$(qrun 20 "$GSNAP")
	echo "$out" | tail -4 | sed "s/^/   virtio $1: /"
	val=$(echo "$out" | mbps)
	tcost "virtio-$1" /tmp/ts.0 /tmp/ts.1; gcost "virtio-$1" "$g0" "$g1"
}
# fig_veth FIG: between the two namespaces.
fig_veth() {
	local flag= out
	case $1 in
	rr)
		out=$($NSB tcprr -c 192.0.2.101 5208 "$ROUNDS" 2>&1)
		echo "   veth rr: $out"
		val=$(echo "$out" | field rr_median_us); tps=$(echo "$out" | field trans_per_s)
		return ;;
	rx) flag=-R ;;
	esac
	out=$($NSB iperf3 -c 192.0.2.101 -t "$SECS" $flag -f m 2>&1)
	echo "$out" | tail -4 | sed "s/^/   veth $1: /"
	val=$(echo "$out" | mbps)
}
# side_alive WHO: its guest is still there (a nested guest may die: a
# triple fault now and then, docs/lab.md); says why when it is not.
side_alive() {
	case $1 in
	hv|hv-copy)
		exists nb && return 0
		echo "   hv guest gone: $(grep -h "crashed\|exited" /var/log/hv/vmm-nb.log 2>/dev/null | tail -1)"
		tail -5 "$(guest_log nb)" 2>/dev/null | sed 's/^/   hv guest console: /' ;;
	virtio*)
		[ -n "$qpid" ] && alive "$qpid" && return 0
		echo "   QEMU guest gone:"; tail -5 /tmp/qemu-net.err /tmp/qs.log 2>/dev/null | sed 's/^/   /' ;;
	*) return 0 ;;
	esac
	return 1
}

# RES: one line per run, "REP WHO FIG VALUE" (tps as FIG trans_per_s).
RES=/tmp/netbench.res
: > $RES
figname() { case $1 in tx) echo "guest->dom0" ;; rx) echo "dom0->guest" ;; *) echo "TCP RR" ;; esac; }
rep=1
while [ $rep -le "$REPS" ]; do
	# Odd repetitions in SIDES' order (hv first), even ones with the
	# first two (hv and virtio) swapped.
	order=$SIDES
	if [ $((rep % 2)) = 0 ]; then
		order=$(echo $SIDES | awk '{ if (NF > 1) { t = $1; $1 = $2; $2 = t } print }')
	fi
	note "rep $rep/$REPS (order: $(echo $order), t=$(elapsed) s)"
	for fig in tx rx rr; do
		for who in $order; do
			val= tps=
			# A side whose guest died earlier in this repetition.
			case " $SIDES " in
			*" $who "*) note "rep $rep $(figname $fig): $who (t=$(elapsed) s)" ;;
			*) echo "$rep $who $fig -" >> $RES; [ $fig = rr ] && echo "$rep $who tps -" >> $RES; continue ;;
			esac
			case $who in
			hv|hv-copy) fig_hv $who $fig ;;
			virtio*) fig_virtio $fig ;;
			veth) fig_veth $fig ;;
			esac
			[ "$val" = 0 ] && val=
			echo "$rep $who $fig ${val:--}" >> $RES
			[ $fig = rr ] && echo "$rep $who tps ${tps:--}" >> $RES
			if [ -z "$val" ] && ! side_alive $who; then
				echo "   $who: no more runs"
				SIDES=$(echo " $SIDES " | sed "s/ $who / /; s/^ *//; s/ *\$//")
				[ $who = hv ] && SIDES=$(echo " $SIDES " | sed "s/ hv-copy / /; s/^ *//; s/ *\$//")
				[ $who = hv-copy ] && SIDES=$(echo " $SIDES " | sed "s/ hv / /; s/^ *//; s/ *\$//")
			fi
		done
	done
	# This repetition's raw figures, one line per side, the old format.
	awk -v r=$rep '$1 == r { v[$2, $3] = $4; if (!($2 in seen)) { seen[$2] = 1; o[++n] = $2 } }
		END { for (i = 1; i <= n; i++) { w = o[i]
			printf "@@BENCH %s tx_mbps=%s rx_mbps=%s rr_median_us=%s trans_per_s=%s rep=%d\n",
				w, v[w, "tx"], v[w, "rx"], v[w, "rr"], v[w, "tps"], r } }' $RES
	rep=$((rep + 1))
done

# Medians over the repetitions (runs that failed left out), and ratios.
awk -v qrow="${QROW:-virtio-vhost}" '
function med(w, f,    n, i, j, x, t) {
	n = 0
	for (i = 1; i <= reps; i++)
		if (v[i, w, f] != "" && v[i, w, f] != "-") x[++n] = v[i, w, f] + 0
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && x[j - 1] > x[j]; j--) { t = x[j]; x[j] = x[j - 1]; x[j - 1] = t }
	if (!n) return "-"
	return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
}
function num(x) { return x == int(x) ? sprintf("%d", x) : sprintf("%.1f", x) }
# ratio A B: A / B of two values, "-" when either is missing.
function ratio(a, b) { return (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }
{ v[$1, $2, $3] = $4; if ($1 > reps) reps = $1; if (!($2 in seen)) { seen[$2] = 1; o[++nw] = $2 } }
END {
	split("tx_mbps rx_mbps rr_median_us", fn, " ")
	split("tx rx rr", fs, " ")
	for (i = 1; i <= nw; i++)
		for (k = 1; k <= 3; k++) {
			m[o[i], fs[k]] = med(o[i], fs[k])
			printf "@@BENCH-MEDIAN %s %s %s\n", o[i], fn[k], (m[o[i], fs[k]] == "-" ? "-" : num(m[o[i], fs[k]]))
		}
	for (i = 1; i <= nw; i++) {
		w = o[i]
		if (w != "hv" && w != "hv-copy" || !(qrow in seen)) continue
		for (k = 1; k <= 3; k++) {
			f = fs[k]; per = ""
			for (r = 1; r <= reps; r++)
				per = per (r > 1 ? "," : "") (f == "rr" ? ratio(v[r, qrow, f], v[r, w, f]) : ratio(v[r, w, f], v[r, qrow, f]))
			printf "@@BENCH-RATIO %s %s %s reps=%s\n", fn[k], (f == "rr" ? "virtio/" w : w "/virtio"),
				(f == "rr" ? ratio(m[qrow, f], m[w, f]) : ratio(m[w, f], m[qrow, f])), per
		}
	}
}' $RES

# ---- tear-down ----
if row hv || row hv-copy; then
	if exists nb; then
		guest_run nb 10 "ethtool -S eth0" 2>/dev/null | grep -E "copied" | sed "s/^/   hv netfront (all reps): /"
		ethtool -S "vif$d.0" 2>/dev/null | sed "s/^/   hv (all reps) /"
		hv destroy nb >/dev/null
	fi
	xenstore-rm "/local/domain/0/backend/vif/$d" 2>/dev/null
fi
if [ -n "$qpid" ]; then
	echo "poweroff -f" >&7
	exec 7>&-
	sleep 1
	kill $qpid $catpid 2>/dev/null
	wait $qpid 2>/dev/null
fi
row virtio && $IP link del qtap0
if row veth; then
	$IP netns del nsa
	$IP netns del nsb
fi
$IP link del xenbr0

echo "@@BENCH-CMD sequence: every side up first, then $REPS repetitions of [guest->dom0, dom0->guest, TCP RR], each figure side after side; odd repetitions hv first, even ones virtio first; medians over the repetitions"
{ row hv || row hv-copy; } && echo "@@BENCH-CMD hv guest (1 vCPU, 192 MiB, 1 queue): iperf3 -c 192.0.2.1 -t $SECS -f m; iperf3 -c 192.0.2.1 -t $SECS -R -f m; tcprr -c 192.0.2.1 5208 $ROUNDS (servers in dom0: iperf3 -s -D; tcprr -d)$(row hv-copy && echo '; hv: echo 1 > /sys/module/netfront/parameters/zerocopy first, hv-copy: echo 0')"
row virtio && echo "@@BENCH-CMD virtio $QNOTE: $QEMU (same guest commands, from 192.0.2.20 on the same bridge)"
row veth && echo "@@BENCH-CMD veth: ip netns add nsa/nsb, veth va/vb; nsenter --net=$NSDIR/nsb iperf3 -c 192.0.2.101 -t $SECS [-R] -f m; tcprr -c 192.0.2.101 5208 $ROUNDS"
echo "@@BENCH-TIME total_s=$(elapsed) bringup_s=$TUP reps=$REPS secs=$SECS rounds=$ROUNDS"
true
