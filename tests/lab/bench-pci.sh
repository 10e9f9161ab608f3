# SPDX-License-Identifier: GPL-2.0-only
# bench-pci.sh: QEMU's edu device driven by the same driver (tests/kmod/edu,
# edu_test) in one lab boot, three ways (not a test):
#   native: in dom0 itself;
#   hv:     in a domU, passed through with pciback/pcifront (BAR mapped as
#           a KVM memory slot, DMA through hv.ko's IOMMU domain);
#   vfio:   in a guest of qemu-system-x86_64 -enable-kvm with vfio-pci.
# Figures: MMIO reads of the ID register (ns per read) and DMA round trips
# of 2 KiB RAM -> device -> RAM (edu starts each transfer from a 100 ms
# timer, so that figure shows the device, not the path).
#
# Each guest times REPEATS runs of READS reads the same way: the kernel's
# clock (ktime, whatever its clock source) and the time-stamp counter
# (cycles over the rate that kernel knows); the median of the runs by
# ktime is the figure, min and max show the spread. dom0 counts KVM's
# exits (debugfs) while each guest runs: a BAR mapped straight to the
# device takes none per read.
# Usage: bench-pci.sh [READS] [DMA_ROUNDS] [REPEATS]
. /lab/tests/lib.sh
# The vfio guest's console is a fifo: if QEMU is gone, a write must fail,
# not kill the script.
trap '' PIPE
READS=${1:-10000000}
DMAS=${2:-3}
REPS=${3:-5}
EDU=0000:00:01.0
P=/sys/module/edu_test/parameters
CS=/sys/devices/system/clocksource/clocksource0/current_clocksource
BENCH_CMDS="n=0; until [ \"\$(cat $P/probed 2>/dev/null)\" = 1 ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done
echo clocksource=\$(cat $CS); i=0; while [ \$i -lt $REPS ]; do i=\$((i+1)); echo $READS > $P/bench_reads &&
echo run ns=\$(cat $P/bench_ns) cycles=\$(cat $P/bench_cycles) tsc_khz=\$(cat $P/tsc_khz); done
echo $DMAS > $P/bench_dma && echo dma_ns=\$(cat $P/bench_dma_ns)"

mount -t debugfs none /sys/kernel/debug 2>/dev/null
# kvm_exits: KVM's exits of every VM so far, and those to userspace for
# MMIO.
kvm_exits() {
	echo "$(cat /sys/kernel/debug/kvm/exits 2>/dev/null || echo 0) $(cat /sys/kernel/debug/kvm/mmio_exits 2>/dev/null || echo 0)"
}

# report NAME OUTPUT [EXITS-BEFORE EXITS-AFTER]: OUTPUT is BENCH_CMDS'.
report() {
	echo "$2" | awk -v name="$1" -v reads="$READS" -v reps="$REPS" -v dmas="$DMAS" \
		-v k0="$3" -v k1="$4" '
	/^clocksource=/ { cs = substr($1, 13) }
	/^run / {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		n++
		ns[n] = f["ns"] / reads
		tsc[n] = f["cycles"] * 1000000 / f["tsc_khz"] / reads
		printf "@@BENCH-RUN %s run=%d ktime_ns_per_read=%.1f tsc_ns_per_read=%.1f tsc_khz=%d\n",
			name, n, ns[n], tsc[n], f["tsc_khz"]
	}
	/^dma_ns=/ { dma = substr($1, 8) }
	function median(a, m,   i, j, t) {
		for (i = 1; i <= m; i++)
			for (j = i + 1; j <= m; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return a[int((m + 1) / 2)]
	}
	END {
		if (n != reps || dma == "") {
			print "bench-pci: no figures from " name
			exit 1
		}
		med = median(ns, n); lo = ns[1]; hi = ns[n]
		exits = "-"
		if (k0 != "") {
			split(k0, a, " "); split(k1, b, " ")
			exits = sprintf("%d mmio_exits=%d", b[1] - a[1], b[2] - a[2])
		}
		printf "@@BENCH %s reads=%d mmio_ns_per_read=%.1f mmio_ns_min=%.1f mmio_ns_max=%.1f tsc_ns_per_read=%.1f repeats=%d clocksource=%s dma_rounds=%d dma_ms_per_round=%d kvm_exits=%s\n",
			name, reads, med, lo, hi, median(tsc, n), n, cs, dmas, dma / dmas / 1000000, exits
	}'
}

# native
insmod /lab/modules/edu_test.ko || fail "insmod edu_test"
out=$(sh -c "$BENCH_CMDS") || fail "native: $out"
report native "$out"
rmmod edu_test

# hv
insmod /lab/modules/pciback.ko "hide=($EDU)" || fail "insmod pciback"
hv create "$(mkcfg benchpci shell "pci = [ '$EDU' ]")" >/dev/null || fail "create"
wait_init benchpci
k0=$(kvm_exits)
out=$(guest_run benchpci 600 "$BENCH_CMDS") || fail "hv: $out"
k1=$(kvm_exits)
report hv "$out" "$k0" "$k1"
hv destroy benchpci >/dev/null
wait_for 20 gone benchpci
rmmod pciback

# vfio-pci under QEMU/KVM
# QEMU needs an IOMMU model for the container: type1 is not a dependency
# of vfio_pci, so it is loaded by name.
modprobe vfio_pci || fail "modprobe vfio_pci"
modprobe vfio_iommu_type1 || fail "modprobe vfio_iommu_type1"
echo vfio-pci > /sys/bus/pci/devices/$EDU/driver_override
echo -n $EDU > /sys/bus/pci/drivers_probe
[ "$(basename "$(readlink /sys/bus/pci/devices/$EDU/driver)")" = vfio-pci ] || fail "vfio-pci did not bind edu"
log=/tmp/bench-vfio.log fifo=/tmp/bench-vfio.in
rm -f "$log" "$fifo"
mkfifo "$fifo"
# microvm with its PCIe host bridge: the lab's QEMU firmware is qboot only.
qemu-system-x86_64 -enable-kvm -cpu host -smp 1 -m 128 -M microvm,pcie=on,rtc=on \
	-nodefaults -no-user-config -display none -L /usr/share/qemu \
	-kernel "$HV_DOMU_KERNEL" -initrd "$HV_DOMU_INITRD" \
	-append "console=ttyS0 quiet hv.test=shell" -device vfio-pci,host=$EDU \
	-serial stdio -no-reboot < "$fifo" > "$log" 2>&1 &
qpid=$!
exec 3> "$fifo"
if wait_for 120 grep -q "hv-domU: init reached" "$log"; then
	sleep 1
	k0=$(kvm_exits)
	echo "echo vfio-begin; $BENCH_CMDS; echo vfio-done" >&3
	wait_for 600 grep -q "^vfio-done" "$log" || { tail -20 "$log"; echo "bench-pci: vfio guest: no figures"; }
	k1=$(kvm_exits)
	report vfio "$(tr -d '\r' < "$log" | sed -n '/^vfio-begin/,/^vfio-done/p')" "$k0" "$k1"
else
	tail -20 "$log"
	echo "bench-pci: the vfio-pci guest did not boot: no vfio figures"
fi
echo "poweroff -f" >&3
exec 3>&-
wait_for 20 sh -c "! kill -0 $qpid 2>/dev/null" || kill "$qpid"
echo > /sys/bus/pci/devices/$EDU/driver_override
echo -n $EDU > /sys/bus/pci/drivers/vfio-pci/unbind
