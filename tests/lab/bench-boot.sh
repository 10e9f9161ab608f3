# SPDX-License-Identifier: GPL-2.0-only
# bench-boot.sh: boot time and VMM memory overhead, hv against QEMU -M microvm,
# same kernel, initramfs, command line, 1 vCPU and 128 MiB, in one lab boot.
# Boot time: from the create command to the guest init's marker on the serial
# console. Overhead: the VMM's RssAnon + RssFile with the guest at its init;
# guest RAM is a memfd in both (RssShmem), so it is left out of both.
# Usage: bench-boot.sh [RUNS]
. /lab/tests/lib.sh
RUNS=${1:-3}
MARK="hv-domU: init reached"
CMDLINE="console=ttyS0 quiet hv.test=halt"
now() { cut -d' ' -f1 /proc/uptime; }
overhead_kib() { awk '/^RssAnon:|^RssFile:/ {s += $2} END {print s}' "/proc/$1/status"; }

hv_run() {
	local cfg log t0 t1 pid
	cfg=$(mkcfg bench halt)
	log=$(guest_log bench)
	rm -f "$log"
	t0=$(now)
	hv create "$cfg" >/dev/null || fail "hv create"
	while ! grep -q "$MARK" "$log" 2>/dev/null; do sleep 0.05; done
	t1=$(now)
	pid=$(vmm_pids)
	echo "@@BENCH hv boot_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}') overhead_kib=$(overhead_kib "$pid")"
	hv destroy bench >/dev/null
}

qemu_run() {
	local log=/tmp/qemu-bench.log t0 t1 pid
	rm -f "$log"
	t0=$(now)
	qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m 128 \
		-object memory-backend-memfd,id=ram,size=128M \
		-M microvm,memory-backend=ram -nodefaults -no-user-config \
		-display none -L /usr/share/qemu -kernel "$HV_DOMU_KERNEL" \
		-initrd "$HV_DOMU_INITRD" -append "$CMDLINE" \
		-serial "file:$log" -no-reboot </dev/null >/dev/null 2>&1 &
	pid=$!
	while ! grep -q "$MARK" "$log" 2>/dev/null; do sleep 0.05; done
	t1=$(now)
	echo "@@BENCH qemu-microvm boot_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}') overhead_kib=$(overhead_kib "$pid")"
	kill "$pid"
	wait "$pid" 2>/dev/null
}

i=0
while [ $i -lt "$RUNS" ]; do
	hv_run
	qemu_run
	i=$((i + 1))
done
