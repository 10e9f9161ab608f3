# SPDX-License-Identifier: GPL-2.0-only
# bench-balloon.sh: ballooning 1 GiB down and back up, hv (balloon.ko, hv
# mem-set) beside virtio-balloon under qemu-system-x86_64 -enable-kvm (q35,
# virtio-balloon-pci, QEMU monitor "balloon N"), in one lab boot (not a
# test). Both guests: the same kernel and initramfs (its virtio_balloon
# loads by modalias under QEMU, balloon.ko with the core under hv), 1 vCPU,
# 1280 MiB in a memfd, dirtied first (all but 64 MiB of what the guest has
# free written to tmpfs, then removed) so that the pages the balloon takes
# are backed on the host. Figures per run:
#   down_s     target 1280 -> 256 MiB until the balloon reports it (hv list:
#              hv.ko's count of the domain's pages; QEMU: info balloon)
#   up_s       target 256 -> 1280 MiB until the balloon reports it
#   reclaim    host memory returned (the memfd's allocated blocks, read
#              from dom0 the same way for both) per MiB the target asked for
# Both are polled every 0.1 s. Prints "@@BENCH WHO k=v..." and the commands
# as "@@BENCH-CMD ...".
# Usage: bench-balloon.sh [RUNS [WHICH]]
#   WHICH  both (default: the figure), hv or qemu (one side only, to debug it
#          in minutes; BENCH_BALLOON_ONLY in the environment does the same)
. /lab/tests/lib.sh
RUNS=${1:-1}
WHICH=${2:-${BENCH_BALLOON_ONLY:-both}}
case $WHICH in
both | hv | qemu) ;;
*) fail "bench-balloon: WHICH is both, hv or qemu, not '$WHICH'" ;;
esac
FULL=1280
LOW=256
Q=/tmp/vb-ser
M=/tmp/vb-mon
# All the guest can spare but 64 MiB, written to tmpfs and removed.
DIRTY='n=$(awk "/MemAvailable/ {print int(\$2 / 1024) - 64}" /proc/meminfo); mount -o remount,size=${n}m /tmp && dd if=/dev/zero of=/tmp/fill bs=1M count=$n 2>/dev/null; rm -f /tmp/fill; echo dirtied=$n'
QEMU_CMD="qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m $FULL -object memory-backend-memfd,id=ram,size=${FULL}M -M q35,memory-backend=ram -device virtio-balloon-pci"
now() { cut -d' ' -f1 /proc/uptime; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
ratio() { awk -v a="$1" -v b="$2" -v r=$((FULL - LOW)) 'BEGIN {printf "%.3f", (a - b) / 1024 / r}'; }

# poll SECONDS COMMAND...: COMMAND every 0.1 s until it succeeds.
poll() {
	local n=0 limit=$(($1 * 10))
	shift
	until "$@"; do
		n=$((n + 1))
		[ $n -ge $limit ] && return 1
		sleep 0.1
	done
}

# memfd_kib PID NAME: allocated KiB of PID's memfd called NAME.
memfd_kib() {
	local fd
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd") in
		*"memfd:$2"*) echo $(($(stat -L -c %b "$fd") / 2)); return 0 ;;
		esac
	done
	echo "bench-balloon: no memfd:$2 in process $1" >&2
	echo 0
}

hv_at() { [ "$(hv list bench | awk 'NR == 2 {print $3}')" = "$1" ]; }

hv_run() {
	local pid before after t0 t1 t2
	# The VMM appends to the console log: a second run's wait_init would
	# see the first guest's init marker and type into a guest still booting.
	rm -f "$(guest_log bench)"
	hv create "$(mkcfg bench shell "memory = $FULL")" >/dev/null || fail "hv create"
	wait_init bench 120
	# balloon.ko loads with the core at boot; wait until it follows the store.
	guest_run bench 60 'n=0; until dmesg | grep -q "balloon: following memory/target"; do n=$((n+1)); [ $n -gt 250 ] && exit 1; sleep 0.2; done' >/dev/null ||
		{ tail -n 20 "$(guest_log bench)"; fail "hv guest: balloon.ko not there"; }
	guest_run bench 600 "$DIRTY" | grep dirtied= || fail "hv guest: dirtying memory"
	pid=$(vmm_pids)
	before=$(memfd_kib "$pid" hv-guest-ram)
	t0=$(now)
	hv mem-set bench $LOW 2>/dev/null
	poll 300 hv_at $LOW || fail "hv: down"
	t1=$(now)
	after=$(memfd_kib "$pid" hv-guest-ram)
	hv mem-set bench $FULL
	poll 300 hv_at $FULL || fail "hv: up"
	t2=$(now)
	echo "@@BENCH hv down_s=$(secs "$t0" "$t1") up_s=$(secs "$t1" "$t2") reclaim=$(ratio "$before" "$after") memfd_before_mib=$((before / 1024)) memfd_after_mib=$((after / 1024))"
	hv destroy bench >/dev/null
	wait_for 30 gone bench
}

# qemu_cmd SECONDS COMMANDS: run COMMANDS in the QEMU guest's serial shell.
qemu_cmd() {
	local tag="qb$(now | tr -d .)"
	echo "$2; echo $tag-end=\$?" >&3
	poll "$1" grep -q "^$tag-end=0" $Q.log
}

# qemu_at MIB: QEMU's monitor says the balloon is at MIB.
qemu_at() {
	echo "info balloon" >&4
	sleep 0.05
	[ "$(tr -d '\r' < $M.log | sed -n 's/.*balloon: actual=\([0-9]*\).*/\1/p' | tail -n 1)" = "$1" ]
}

# qemu_state PID: what a peer that did not boot was doing, for the log.
qemu_state() {
	echo "qemu: pid $1 $(kill -0 "$1" 2>/dev/null && echo running || echo exited)," \
		"cpu ticks $(awk '{print $14 "+" $15}' /proc/"$1"/stat 2>/dev/null)"
	# (a write to the monitor's pipe after QEMU exited would be SIGPIPE)
	if kill -0 "$1" 2>/dev/null; then
		echo "info status" >&4
		echo "info registers" >&4
		sleep 1
	fi
	echo "--- serial"; tr -d '\r' < $Q.log | tail -n 20
	echo "--- stderr"; cat /tmp/vb-qemu.err
	echo "--- monitor"; tr -d '\r' < $M.log | grep -a 'VM status\|RIP=\|CR0=' | tail -n 3
}

qemu_run() {
	local pid catq catm before after t0 t1 t2
	# q35 boots SeaBIOS: dom0's image has it only when built after it was
	# added (a stale image left QEMU to exit at once, the empty console).
	[ -e /usr/share/qemu/bios-256k.bin ] ||
		fail "qemu: no /usr/share/qemu/bios-256k.bin in dom0 (rebuild build/lab/dom0.cpio.gz)"
	rm -f $Q.* $M.* /tmp/vb-qemu.err
	mkfifo $Q.in $Q.out $M.in $M.out
	# Readers first, as bench-net does.
	cat $Q.out > $Q.log &
	catq=$!
	cat $M.out > $M.log &
	catm=$!
	# shellcheck disable=SC2086
	$QEMU_CMD -nodefaults -no-user-config -display none -L /usr/share/qemu \
		-kernel "$HV_DOMU_KERNEL" -initrd "$HV_DOMU_INITRD" \
		-append "console=ttyS0 quiet hv.test=shell" \
		-serial pipe:$Q -monitor pipe:$M -no-reboot </dev/null >/tmp/vb-qemu.err 2>&1 &
	pid=$!
	exec 3>$Q.in 4>$M.in
	wait_for 120 grep -q "hv-domU: init reached" $Q.log ||
		{ qemu_state "$pid"; free -m; fail "qemu guest boot"; }
	sleep 1
	qemu_cmd 60 'modprobe virtio_balloon && n=0; until ls /sys/bus/virtio/drivers/virtio_balloon/ | grep -q virtio; do n=$((n+1)); [ $n -gt 100 ] && exit 1; sleep 0.2; done' ||
		{ tail -n 20 $Q.log; fail "virtio_balloon in the qemu guest"; }
	qemu_cmd 600 "$DIRTY" || fail "qemu guest: dirtying memory"
	grep -a dirtied= $Q.log | tail -n 1
	poll 30 qemu_at $FULL || { tail -n 5 $M.log; fail "qemu: the balloon does not report $FULL MiB"; }
	before=$(memfd_kib "$pid" memory-backend-memfd)
	t0=$(now)
	echo "balloon $LOW" >&4
	poll 300 qemu_at $LOW || { tail -n 5 $M.log; fail "qemu: down"; }
	t1=$(now)
	after=$(memfd_kib "$pid" memory-backend-memfd)
	echo "balloon $FULL" >&4
	poll 300 qemu_at $FULL || fail "qemu: up"
	t2=$(now)
	echo "@@BENCH virtio-balloon down_s=$(secs "$t0" "$t1") up_s=$(secs "$t1" "$t2") reclaim=$(ratio "$before" "$after") memfd_before_mib=$((before / 1024)) memfd_after_mib=$((after / 1024))"
	echo quit >&4
	sleep 1
	exec 3>&- 4>&-
	kill "$pid" "$catq" "$catm" 2>/dev/null
	wait "$pid" 2>/dev/null
}

i=0
while [ $i -lt "$RUNS" ]; do
	[ "$WHICH" = qemu ] || hv_run
	[ "$WHICH" = hv ] || qemu_run
	i=$((i + 1))
done
echo "@@BENCH-CMD guests: memory $FULL MiB, 1 vCPU, dirtied: $DIRTY"
echo "@@BENCH-CMD hv: memory = $FULL in the config; hv mem-set bench $LOW; hv mem-set bench $FULL; polled: hv list bench"
echo "@@BENCH-CMD qemu: $QEMU_CMD; monitor: balloon $LOW; balloon $FULL; polled: info balloon"
echo "@@BENCH-CMD host memory: stat -L -c %b /proc/PID/fd/N of the memfd (hv-guest-ram, memory-backend-memfd), before and after going down"
