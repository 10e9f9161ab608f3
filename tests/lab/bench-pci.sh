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
# Usage: bench-pci.sh [READS] [DMA_ROUNDS]
. /lab/tests/lib.sh
# The vfio guest's console is a fifo: if QEMU is gone, a write must fail,
# not kill the script.
trap '' PIPE
READS=${1:-20000}
DMAS=${2:-3}
EDU=0000:00:01.0
P=/sys/module/edu_test/parameters
BENCH_CMDS="n=0; until [ \"\$(cat $P/probed 2>/dev/null)\" = 1 ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done; echo $READS > $P/bench_reads && echo $DMAS > $P/bench_dma && echo mmio_ns=\$(cat $P/bench_ns) dma_ns=\$(cat $P/bench_dma_ns)"

report() {	# NAME "mmio_ns=X dma_ns=Y"
	local m d
	m=$(echo "$2" | sed -n 's/.*mmio_ns=\([0-9]*\).*/\1/p')
	d=$(echo "$2" | sed -n 's/.*dma_ns=\([0-9]*\).*/\1/p')
	[ -n "$m" ] && [ -n "$d" ] || { echo "bench-pci: no figures from $1: $2"; return 1; }
	echo "@@BENCH $1 reads=$READS mmio_ns_per_read=$((m / READS)) dma_rounds=$DMAS dma_ms_per_round=$((d / DMAS / 1000000))"
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
out=$(guest_run benchpci 300 "$BENCH_CMDS") || fail "hv: $out"
report hv "$out"
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
	echo "$BENCH_CMDS; echo vfio-done" >&3
	wait_for 300 grep -q "^vfio-done" "$log" || { tail -20 "$log"; echo "bench-pci: vfio guest: no figures"; }
	report vfio "$(grep "mmio_ns=" "$log" | tail -1)"
else
	tail -20 "$log"
	echo "bench-pci: the vfio-pci guest did not boot: no vfio figures"
fi
echo "poweroff -f" >&3
exec 3>&-
wait_for 20 sh -c "! kill -0 $qpid 2>/dev/null" || kill "$qpid"
echo > /sys/bus/pci/devices/$EDU/driver_override
echo -n $EDU > /sys/bus/pci/drivers/vfio-pci/unbind
