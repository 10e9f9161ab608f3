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
# Prints "@@BENCH WHO MODE depth=D iops=X mbps=Y" lines and the commands,
# and per pattern a "@@BLK-COST" line: KVM exits, interrupts injected,
# the guest's disk interrupts and blkback's events, per I/O (from KVM's
# debugfs counters and /proc/interrupts), to tell where a guest's time goes.
# Each @@BLK-COST line also gives blkback's threads' CPU time per I/O
# (backend-us/io, from /proc/PID/schedstat) and the mean request size
# blkback saw (kib/req, from its statistics), to tell whether a 1 MiB I/O
# arrives as one request and what it costs dom0 besides the loop device,
# and dom0's CPU time per I/O in the guest's vCPU (vcpu-us/io) and in
# everything else (dom0-us/io: the VMM or QEMU, blkback, the loop device),
# from /proc/stat, for both guests alike.
# Usage: bench-blk.sh [SECONDS [SIDES]]; SIDES (default all) is a comma
# list of dom0,hv,hv-persistent,virtio-blk,nosched, to iterate on one side.
. /lab/tests/lib.sh
SECS=${1:-10}
SIDES=$(echo "${2:-dom0,hv,hv-persistent,virtio-blk,nosched}" | tr , ' ')
side() { case " $SIDES " in *" $1 "*) return 0 ;; esac; return 1; }
DIR=/run/blkbench
IMG=$DIR/disk.img
[ -f /lab/bin/fio.img ] || fail "no /lab/bin/fio.img: fio is not installed on the host (scripts/deps)"
# One fio run per pattern; terse output: field 7/8 read KiB/s and IOPS,
# 48/49 the same for writes.
FIO_ARGS="--minimal --name=b --ioengine=libaio --direct=1 --runtime=$SECS --time_based --size=448m"
PATTERNS=${BLK_PATTERNS:-"randread:4k:1 randread:4k:32 read:1m:1 write:1m:1"}
FIO_AWK='{ m = rw == "read" ? "seqread" : rw == "write" ? "seqwrite" : rw; f = rw == "write" ? 48 : 7; printf "@@BLK %s depth=%s iops=%.1f mbps=%.1f\n", m, qd, $(f + 1), $f / 1024 }'
# BLK_TRACE (a diagnostic, off by default): guest kernel functions
# (comma list) that both guests time with ftrace's function_graph during
# every pattern; per pattern and function a "@@BLK-TRACE WHO MODE FUNC
# calls/io=N us/call=X us/io=Y" line (the guest's clock, which also runs
# while its vCPU is out).
TRACE_FUNCS=$(echo "${BLK_TRACE:-}" | tr , ' ')
TRACE_PRE=$(cat <<'EOF'
T=/sys/kernel/tracing; [ -d $T/events ] || mount -t tracefs nodev $T; echo 0 > $T/tracing_on; echo nop > $T/current_tracer; echo 8192 > $T/buffer_size_kb; echo funcgraph-tail > $T/trace_options; echo > $T/set_ftrace_filter; for f in @FUNCS@; do echo $f >> $T/set_ftrace_filter 2>/dev/null; done; echo function_graph > $T/current_tracer; echo > $T/trace; echo 1 > $T/tracing_on;
EOF
)
TRACE_POST=$(cat <<'EOF'
echo 0 > $T/tracing_on; awk -F'|' '$1 ~ / us/ { d = $1; sub(/^.*\) */, "", d); gsub(/[^0-9.]/, "", d); f = $2; gsub(/[ ;(){}\/*]/, "", f); sub(/\[.*\]/, "", f); if (f == "") next; n[f]++; s[f] += d } END { for (f in n) print "@@TRACE", f, n[f], s[f] }' $T/trace; echo nop > $T/current_tracer
EOF
)
# traced LINE: a guest shell line, timed per BLK_TRACE function if set.
traced() {
	if [ -z "$TRACE_FUNCS" ]; then
		echo "$1"
	else
		printf '%s %s; %s\n' "$(printf '%s' "$TRACE_PRE" | sed "s|@FUNCS@|$TRACE_FUNCS|")" "$1" "$TRACE_POST"
	fi
}
# trace_lines WHO OUTPUT: the @@BLK-TRACE lines of one pattern's output.
trace_lines() {
	echo "$2" | tr -d '\r' | awk -v who="$1" -v secs="$SECS" '
		/^@@BLK / { m = $2 " " $3; split($4, kv, "="); ios = kv[2] * secs }
		/^@@TRACE / { n[$2] = $3; s[$2] = $4 }
		END {
			if (!ios) exit
			for (f in n)
				printf "@@BLK-TRACE %s %s %s calls/io=%.2f us/call=%.1f us/io=%.1f\n",
					who, m, f, n[f] / ios, s[f] / n[f], s[f] / ios
		}'
}

# fio_line FIO DEV RW:BS:QD IRQ: the shell line that runs one pattern and
# prints "@@BLK MODE depth=D iops=X mbps=Y" and "@@IRQ N", the interrupts
# of /proc/interrupts lines matching IRQ taken meanwhile.
fio_line() {
	local rw=${3%%:*} r=${3#*:}
	local bs=${r%%:*} qd=${r#*:}
	echo "i0=\$(awk '/$4/ { s += \$2 } END { print s + 0 }' /proc/interrupts);" \
		"$1 $FIO_ARGS --filename=$2 --rw=$rw --bs=$bs --iodepth=$qd | awk -F';' -v rw=$rw -v qd=$qd '$FIO_AWK';" \
		"echo @@IRQ \$((\$(awk '/$4/ { s += \$2 } END { print s + 0 }' /proc/interrupts) - i0))"
}

KVMD=/sys/kernel/debug/kvm
# /proc/stat's unit (USER_HZ, 100 on Linux x86) in microseconds.
TICK_US=$((1000000 / $(getconf CLK_TCK 2>/dev/null || echo 100)))
[ -d $KVMD ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
# kvm_snap: KVM's global exits, injected interrupts, halts, I/O exits;
# blkback's events (dom0's /proc/interrupts).
# kvm_snap [DOMID]: blkback's figures for that domain only (all without).
kvm_snap() {
	local f d=${1:-*}
	for f in exits irq_injections halt_exits io_exits; do
		cat $KVMD/$f 2>/dev/null || echo 0
	done
	awk '/blkif-backend/ { s += $2 + $3 } END { print s + 0 }' /proc/interrupts
	# blkback's threads' CPU time (ns); its requests and sectors so far.
	for t in /proc/[0-9]*/task/[0-9]*; do
		case $(cat $t/comm 2>/dev/null) in blkback.$d.*) cat $t/schedstat 2>/dev/null ;; esac
	done | awk '{ s += $1 } END { print s + 0 }'
	cat /sys/bus/hvx-backend/devices/vbd-$d-51712/statistics/rd_req \
	    /sys/bus/hvx-backend/devices/vbd-$d-51712/statistics/wr_req 2>/dev/null |
		awk '{ s += $1 } END { print s + 0 }'
	cat /sys/bus/hvx-backend/devices/vbd-$d-51712/statistics/rd_sect \
	    /sys/bus/hvx-backend/devices/vbd-$d-51712/statistics/wr_sect 2>/dev/null |
		awk '{ s += $1 } END { print s + 0 }'
	# dom0's CPU time (ticks) in guests' vCPUs (guest, guest_nice) and
	# in everything else but idle (the VMM or QEMU, blkback, the loop
	# device, interrupts): where an I/O's time goes, both sides alike.
	awk '/^cpu / { g = $10 + $11; print g; print $2 + $3 + $4 + $7 + $8 - g }' /proc/stat
}
# cost WHO OUTPUT BEFORE AFTER: the @@BLK-COST line of one pattern.
cost() {
	echo "$2" | tr -d '\r' | awk -v who="$1" -v secs="$SECS" -v b="$3" -v a="$4" -v tick="$TICK_US" '
		/^@@BLK / { m = $2 " " $3; split($4, kv, "="); ios = kv[2] * secs }
		/^@@IRQ / { irq = $2 }
		END {
			if (!ios) exit
			split(b, x, " "); split(a, y, " ")
			reqs = y[7] - x[7]
			printf "@@BLK-COST %s %s ios=%d exits/io=%.1f injected/io=%.2f halts/io=%.2f pio/io=%.2f guest-irqs/io=%.2f backend-events/io=%.2f backend-us/io=%.1f reqs/io=%.2f kib/req=%.1f vcpu-us/io=%.0f dom0-us/io=%.0f\n",
				who, m, ios, (y[1] - x[1]) / ios, (y[2] - x[2]) / ios, (y[3] - x[3]) / ios,
				(y[4] - x[4]) / ios, irq / ios, (y[5] - x[5]) / ios,
				(y[6] - x[6]) / ios / 1000, reqs / ios, reqs ? (y[8] - x[8]) / 2 / reqs : 0,
				(y[9] - x[9]) * tick / ios, (y[10] - x[10]) * tick / ios
		}'
}

mkdir -p "$DIR"
mount -t tmpfs -o size=700m tmpfs "$DIR" || fail "tmpfs"
dd if=/dev/urandom of="$IMG" bs=1M count=512 2>/dev/null || fail "backing file"
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"

emit() {	# WHO < output with @@BLK lines
	tr -d '\r' | sed -n 's/^@@BLK /@@BENCH '"$1"' /p'
}

[ -e /dev/loop-control ] || modprobe loop
loop=$(/usr/sbin/losetup -f --show "$IMG") || fail "losetup"
echo "dom0 $loop scheduler: $(cat /sys/block/${loop#/dev/}/queue/scheduler)"
mkdir -p /run/fio && mount -o loop,ro /lab/bin/fio.img /run/fio || fail "mounting fio.img in dom0"

# Every side is brought up first and the patterns then run side after
# side, one pattern at a time: the lab's speed drifts by tens of percent
# within a boot (other work on the host's two cores), so two sides are
# compared over the same minute, not over runs minutes apart. The other
# guests sit idle meanwhile.

# hv_create NAME CONFIG: a new domain NAME, its console log started afresh:
# the VMM appends to a name's log, and a second run of this script in one
# boot would otherwise find the first run's "init reached" there and type
# at a guest still booting (every guest of a second run "froze" so).
hv_create() {
	rm -f "$(guest_log "$1")"
	hv create "$2" >/dev/null || fail "hv create $1"
}

# guest_tail NAME: the end of NAME's console log and dom0's kernel log,
# when a guest stops answering (what it last said, and dom0's view).
guest_tail() {
	echo "-- the last of $1's console:"
	tail -n 30 "$(guest_log "$1")" 2>/dev/null | tr -d '\r'
	echo "-- dom0's kernel log:"
	dmesg | tail -n 20
}

# hv_ready: the domain $DOM sees xvda and has the fio disk mounted.
hv_ready() {
	local out
	out=$(grun 60 "n=0; until [ -b /dev/xvda ] && [ -b /dev/xvdz ] || [ \$n -gt 150 ]; do n=\$((n+1)); sleep 0.2; done
		mkdir -p /fio; grep -q ' /fio ' /proc/mounts || mount -t ext4 -o ro /dev/xvdz /fio
		grep -q ' /fio ' /proc/mounts && echo xvda scheduler: \$(cat /sys/block/xvda/queue/scheduler)")
	local rc=$?
	echo "$out"
	[ $rc = 0 ] || guest_tail "$DOM"
	return $rc
}

# HV_SIDES: "WHO:DOMAIN" of each hv guest that is up.
HV_SIDES=
if side hv; then
	note "hv: blkfront/blkback, file:$IMG as xvda"
	DOM=bench
	hv_create bench "$(mkcfg bench shell 'memory = 256' "disk = [ 'file:$IMG,xvda,w', 'file:/lab/bin/fio.img,xvdz,r' ]")"
	wait_init bench
	if hv_ready; then
		HV_SIDES="$HV_SIDES hv:bench"
		dmesg | grep "blkback vbd-.*-51712: connected" | tail -n 1
	else
		echo "hv: the guest did not mount the fio disk: no hv row"
		hv destroy bench
	fi
fi

# hv_variant WHO DOMAIN ARGS: a domain with blkfront loaded with ARGS
# (module parameters) before its disks are attached.
hv_variant() {
	local out
	DOM=$2
	hv_create "$2" "$(mkcfg "$2" shell 'memory = 256')"
	wait_init "$2"
	if out=$(grun 60 "$GUEST_WAIT_CORE && modprobe blkfront $3 && echo loaded"); then
		hv block-attach "$2" "file:$IMG,xvda,w" || fail "block-attach xvda"
		hv block-attach "$2" "file:/lab/bin/fio.img,xvdz,r" || fail "block-attach the fio image"
		if hv_ready; then
			HV_SIDES="$HV_SIDES $1:$2"
			dmesg | grep "blkback vbd-.*-51712: connected" | tail -n 1
		else
			echo "$1: the guest did not mount the fio disk: no $1 row"
			hv destroy "$2"
		fi
	else
		echo "$out"
		echo "blkfront $3 did not load: no $1 row"
		hv destroy "$2"
	fi
}
# Sides named hv-NAME=P1+P2: blkfront with parameters P1 P2 (experiments).
nv=0
for s in $SIDES; do
	case $s in hv-*=*)
		nv=$((nv + 1))
		note "hv, blkfront ${s#*=}"
		hv_variant "${s%%=*}" benchv$nv "$(echo "${s#*=}" | tr + ' ')" ;;
	esac
done
if side hv-persistent; then
	note "hv persistent grants (blkfront feature_persistent=1): a raw row beside"
	hv_variant hv-persistent benchpg feature_persistent=1
fi

# hv_pattern WHO DOMAIN RW:BS:QD: one pattern in an hv guest.
hv_pattern() {
	local out b a id
	DOM=$2
	id=$(domain_field "$2" 2)
	b=$(kvm_snap "$id")
	out=$(grun $((SECS * 3 + 60)) "$(traced "$(fio_line /fio/fio /dev/xvda $3 blkif)")") ||
		{ echo "$out"; guest_tail "$2"; echo "$1: fio $3 failed: no more $1 rows"; return 1; }
	a=$(kvm_snap "$id")
	echo "$out" | emit "$1"
	cost "$1" "$out" "$(echo $b)" "$(echo $a)"
	trace_lines "$1" "$out"
}

QEMU_DISK="-drive file=$loop,if=none,id=d0,format=raw,cache=none,aio=native -device virtio-blk-pci,drive=d0"
q=/tmp/qbench
qpid=
if side virtio-blk; then
	note "qemu: virtio-blk, cache=none, aio=native, on $loop (the same file)"
	rm -f $q.in $q.out $q.log
	mkfifo $q.in $q.out
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
	echo "n=0; until [ -b /dev/vda ] && [ -b /dev/vdb ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done; mkdir -p /fio; mount -t ext4 -o ro /dev/vdb /fio; echo QBENCH-MOUNTED=\$?; echo vda scheduler: \$(cat /sys/block/vda/queue/scheduler)" > $q.in
	wait_for 60 grep -q "^QBENCH-MOUNTED=0" $q.log || { tail -20 $q.log; fail "qemu guest: mounting the fio disk"; }
	grep -a "vda scheduler" $q.log | tr -d '\r'
fi
qn=0
# qemu_pattern RW:BS:QD [SETUP]: one pattern in the QEMU guest (SETUP,
# shell, runs before it there); prints its raw output between markers.
qemu_pattern() {
	qn=$((qn + 1))
	echo "echo QBENCH-$qn-BEGIN; ${2:-}$(traced "$(fio_line /fio/fio /dev/vda $1 'virtio.*-req')"); echo QBENCH-$qn-END" > $q.in
	wait_for $((SECS * 3 + 60)) grep -q "^QBENCH-$qn-END" $q.log ||
		{ tail -20 $q.log; echo "qemu guest run ($1) did not finish: no more virtio-blk rows"; return 1; }
	tr -d '\r' < $q.log | sed -n "/^QBENCH-$qn-BEGIN/,/^QBENCH-$qn-END/p" > $q.run
}

for p in $PATTERNS; do
	note "pattern $p"
	side dom0 && sh -c "$(fio_line /run/fio/fio "$loop" $p NONE)" | emit dom0
	alive=
	for w in $HV_SIDES; do
		if hv_pattern "${w%%:*}" "${w#*:}" $p; then
			alive="$alive $w"
		else
			hv destroy "${w#*:}"
		fi
	done
	HV_SIDES=$alive
	if [ -n "$qpid" ]; then
		b=$(kvm_snap)
		if qemu_pattern $p; then
			a=$(kvm_snap)
			emit virtio-blk < $q.run
			cost virtio-blk "$(cat $q.run)" "$(echo $b)" "$(echo $a)"
			trace_lines virtio-blk "$(cat $q.run)"
		else
			kill $qpid
			qpid=
		fi
	fi
done
for w in $HV_SIDES; do
	hv destroy "${w#*:}"
done
# Beside the table: virtio-blk's random reads without an I/O scheduler.
if [ -n "$qpid" ] && side nosched; then
	for p in randread:4k:1 randread:4k:32; do
		qemu_pattern $p "echo none > /sys/block/vda/queue/scheduler; " || break
		sed -n 's/^@@BLK /@@BLK-NOSCHED virtio-blk /p' $q.run
	done
fi
[ -n "$qpid" ] && kill $qpid $catpid 2>/dev/null
[ -n "$qpid" ] && wait $qpid 2>/dev/null
/usr/sbin/losetup -d "$loop"
echo "@@BENCH-CMD fio $FIO_ARGS --filename=DEV --rw=RW --bs=BS --iodepth=QD for RW:BS:QD in $PATTERNS (DEV = /dev/xvda in the hv domU, /dev/vda in the QEMU guest, /dev/loopN over the file in dom0)"
echo "@@BENCH-CMD qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m 256 -M q35 $QEMU_DISK"
echo "@@BENCH-CMD hv: disk = [ 'file:$IMG,xvda,w' ], memory = 256, 1 vCPU; blkfront and blkback defaults (zero copy); hv-persistent: modprobe blkfront feature_persistent=1 before block-attach"

# Beside the table: hv's random reads without an I/O scheduler. The guest
# runs them in the background, onto its console, so that dom0 never waits
# on a guest shell stuck behind the disk (an elevator switch froze one).
if side nosched; then
note "hv: random reads without an I/O scheduler (beside the table)"
DOM=benchns
hv_create benchns "$(mkcfg benchns shell 'memory = 256' "disk = [ 'file:$IMG,xvda,w', 'file:/lab/bin/fio.img,xvdz,r' ]")"
wait_init benchns
log=$(guest_log benchns)
if grun 60 "n=0; until [ -b /dev/xvda ] && [ -b /dev/xvdz ] || [ \$n -gt 150 ]; do n=\$((n+1)); sleep 0.2; done
	mkdir -p /fio; mount -t ext4 -o ro /dev/xvdz /fio" >/dev/null; then
	n=0
	for p in randread:4k:1 randread:4k:32; do
		n=$((n + 1))
		# One pattern per line typed: the guest's shell line stays short.
		grun 20 "(echo none > /sys/block/xvda/queue/scheduler; echo NOSCHED-$n-BEGIN; $(fio_line /fio/fio /dev/xvda $p blkif); echo NOSCHED-$n-END) > /dev/console 2>&1 &" >/dev/null ||
			{ echo "hv guest: fio $p without a scheduler did not start"; break; }
		wait_for $((SECS + 90)) sh -c "tr -d '\\r' < $log | grep -q '^NOSCHED-$n-END'" ||
			{ echo "hv guest: fio $p without a scheduler did not finish"; break; }
		tr -d '\r' < "$log" | sed -n "/^NOSCHED-$n-BEGIN/,/^NOSCHED-$n-END/p" | sed -n 's/^@@BLK /@@BLK-NOSCHED hv /p'
	done
else
	echo "hv guest: the fio disk did not mount: no runs without a scheduler"
fi
hv destroy benchns
fi
wait_for 20 sh -c "! /usr/sbin/losetup -a | grep -q '$IMG'"
umount /run/fio
umount "$DIR" || echo "$DIR: still busy"
exit 0
