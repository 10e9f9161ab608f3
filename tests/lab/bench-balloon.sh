# SPDX-License-Identifier: GPL-2.0-only
# bench-balloon.sh: ballooning 1 GiB down and back up, hv (balloon.ko, hv mem-set)
# beside virtio-balloon under qemu-system-x86_64 -enable-kvm (-M microvm,
# virtio-balloon-device, QEMU monitor "balloon N"), in one lab boot (not a
# test). Both guests: the same kernel and initramfs, 1 vCPU, 1280 MiB in a
# memfd, dirtied first (all but 64 MiB of what the guest has free written
# to tmpfs, then removed) so that the pages the balloon takes are backed on
# the host. Figures per run:
#   down_s     target 1280 -> 256 MiB until the guest reports it
#   up_s       target 256 -> 1280 MiB until the guest reports it
#   reclaim    host memory returned (the memfd's allocated blocks, from
#              dom0) per MiB the target asked for (1024 MiB)
# The virtio modules come in a cpio appended to the initramfs
# (build/bin/vballoon.cpio.gz, made by scripts/bench).
# Usage: bench-balloon.sh [RUNS]
. /lab/tests/lib.sh
RUNS=${1:-1}
FULL=1280
LOW=256
# All the guest can spare but 64 MiB, written to tmpfs and removed.
DIRTY='n=$(awk "/MemAvailable/ {print int(\$2 / 1024) - 64}" /proc/meminfo); mount -o remount,size=${n}m /tmp && dd if=/dev/zero of=/tmp/fill bs=1M count=$n 2>/dev/null; rm -f /tmp/fill'
now() { cut -d' ' -f1 /proc/uptime; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }

# memfd_kib PID NAME: allocated KiB of PID's memfd called NAME.
memfd_kib() {
	local fd
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd") in
		*"memfd:$2"*) echo $(($(stat -L -c %b "$fd") / 2)); return 0 ;;
		esac
	done
	echo 0
}

hv_run() {
	local pid before after t0 t1 t2
	hv create "$(mkcfg bench shell "memory = $FULL")" >/dev/null || fail "hv create"
	wait_init bench 120
	guest_run bench 60 "$GUEST_WAIT_CORE && modprobe balloon" >/dev/null || fail "balloon.ko"
	guest_run bench 600 "$DIRTY" >/dev/null || fail "hv guest: dirtying memory"
	pid=$(vmm_pids)
	before=$(memfd_kib "$pid" hv-guest-ram)
	t0=$(now)
	hv mem-set bench $LOW 2>/dev/null
	wait_for 300 sh -c "[ \"\$(hv list bench | awk 'NR == 2 {print \$3}')\" = $LOW ]" || fail "hv: down"
	t1=$(now)
	after=$(memfd_kib "$pid" hv-guest-ram)
	hv mem-set bench $FULL
	wait_for 300 sh -c "[ \"\$(hv list bench | awk 'NR == 2 {print \$3}')\" = $FULL ]" || fail "hv: up"
	t2=$(now)
	echo "@@BENCH hv down_s=$(secs "$t0" "$t1") up_s=$(secs "$t1" "$t2") reclaim=$(awk -v a="$before" -v b="$after" -v r=$((FULL - LOW)) 'BEGIN {printf "%.3f", (a - b) / 1024 / r}') memfd_before_mib=$((before / 1024)) memfd_after_mib=$((after / 1024))"
	hv destroy bench >/dev/null
	wait_for 30 gone bench
}

# The QEMU guest's serial console through a pipe chardev, its monitor through another.
qemu_cmd() {
	local tag="qb$(cut -d' ' -f1 /proc/uptime | tr -d .)"
	echo "$2; echo $tag-end=\$?" > /tmp/vb-ser.in
	wait_for "$1" grep -q "^$tag-end=0" /tmp/vb-ser.log
}

qemu_actual() {
	echo "info balloon" > /tmp/vb-mon.in
	sleep 0.1
	sed -n 's/.*actual=\([0-9]*\).*/\1/p' /tmp/vb-mon.log | tail -n 1
}

# qemu_wait MIB: until the monitor says the guest is at MIB (at most ~5 min).
qemu_wait() {
	local n=0
	while [ "$(qemu_actual)" != "$1" ]; do
		n=$((n + 1))
		[ $n -gt 2500 ] && return 1
	done
	return 0
}

qemu_run() {
	local pid before after t0 t1 t2 mods
	rm -f /tmp/vb-ser.* /tmp/vb-mon.*
	mkfifo /tmp/vb-ser.in /tmp/vb-ser.out /tmp/vb-mon.in /tmp/vb-mon.out
	cat "$HV_DOMU_INITRD" /lab/bin/vballoon.cpio.gz > /tmp/vb-initrd.img
	qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m $FULL \
		-object memory-backend-memfd,id=ram,size=${FULL}M \
		-M microvm,memory-backend=ram -nodefaults -no-user-config \
		-display none -L /usr/share/qemu -kernel "$HV_DOMU_KERNEL" \
		-initrd /tmp/vb-initrd.img -append "console=ttyS0 quiet hv.test=shell" \
		-device virtio-balloon-device -serial pipe:/tmp/vb-ser \
		-monitor pipe:/tmp/vb-mon -no-reboot </dev/null >/dev/null 2>&1 &
	pid=$!
	cat /tmp/vb-ser.out > /tmp/vb-ser.log &
	cat /tmp/vb-mon.out > /tmp/vb-mon.log &
	wait_for 120 grep -q "hv-domU: init reached" /tmp/vb-ser.log || fail "qemu guest boot"
	sleep 1
	mods='for m in virtio_ring virtio virtio_mmio virtio_balloon; do
		p=""; [ $m = virtio_mmio ] && p=$(tr " " "\n" < /proc/cmdline | sed -n "s/^virtio_mmio\./ /p" | tr -d "\n");
		insmod /vb/$m.ko $p || exit 1; done'
	qemu_cmd 60 "$mods" || { tail -n 20 /tmp/vb-ser.log; fail "virtio_balloon in the qemu guest"; }
	qemu_cmd 600 "$DIRTY" || fail "qemu guest: dirtying memory"
	before=$(memfd_kib "$pid" ram)
	t0=$(now)
	echo "balloon $LOW" > /tmp/vb-mon.in
	qemu_wait $LOW || fail "qemu: down"
	t1=$(now)
	after=$(memfd_kib "$pid" ram)
	echo "balloon $FULL" > /tmp/vb-mon.in
	qemu_wait $FULL || fail "qemu: up"
	t2=$(now)
	echo "@@BENCH virtio-balloon down_s=$(secs "$t0" "$t1") up_s=$(secs "$t1" "$t2") reclaim=$(awk -v a="$before" -v b="$after" -v r=$((FULL - LOW)) 'BEGIN {printf "%.3f", (a - b) / 1024 / r}') memfd_before_mib=$((before / 1024)) memfd_after_mib=$((after / 1024))"
	echo quit > /tmp/vb-mon.in
	sleep 1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	kill $(jobs -p) 2>/dev/null
	rm -f /tmp/vb-initrd.img
}

i=0
while [ $i -lt "$RUNS" ]; do
	hv_run
	qemu_run
	i=$((i + 1))
done
