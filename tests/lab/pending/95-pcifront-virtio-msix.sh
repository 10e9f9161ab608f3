# SPDX-License-Identifier: GPL-2.0-only
# The lab's legacy virtio-rng driven in a domU by virtio-pci over MSI-X
# through pciif (one port per vector), unbound and bound three times.
# Scenario 93 covers the operations themselves (hostile ones included).
# Cannot pass with the lab's legacy virtio-rng (disable-modern=on): QEMU's
# virtio devices go through the IOMMU only with VIRTIO_F_ACCESS_PLATFORM,
# which a legacy device cannot offer, so its DMA lands at host-physical
# addresses. In the domU virtio_rng posts a buffer, QEMU reads the ring at
# the same address in dom0's memory, finds it empty ("0 bytes requested"
# in QEMU's virtio_rng_request trace, at every kick) and never interrupts:
# the reader waits in virtio_read forever (2026-12-02, hv debug-regs: both
# vCPUs idle with IF=1; sysrq-w: hwrng in wait_for_completion). pciback now
# refuses such a device unless forced. Waits for an MSI-X device that
# honours the IOMMU in the lab (virtio-rng-pci,disable-legacy=on,
# iommu_platform=on in scripts/lab's qemu_cmd) and this scenario rewritten
# for it (modern virtio-pci: memory BARs, no I/O-port registers).
D=/sys/bus/pci/drivers/pciback
RNG=$(for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor):$(cat $d/device)" = 0x1af4:0x1005 ] && basename $d; done | head -1)
[ -n "$RNG" ] || fail "no legacy virtio-rng in the lab machine (scripts/lab's qemu_cmd)"
pci_give_back_after_fault $RNG
drv() { basename "$(readlink /sys/bus/pci/devices/$1/driver)" 2>/dev/null; }
owner() { pciback_owner "$RNG"; }
G=0001:00:00.0
UNBIND="[ -e /sys/bus/pci/devices/$G/driver ] && echo $G > /sys/bus/pci/devices/$G/driver/unbind"
rmmod pciback 2>/dev/null
insmod /lab/modules/pciback.ko || fail "insmod pciback"
hv pci-assignable-add $RNG || fail "pci-assignable-add $RNG"

hv create "$(mkcfg px shell "pci = [ '$RNG' ]")" || fail "create with virtio-rng"
wait_init px
dx=$(domain_field px 2)
[ "$(owner)" = "$dx" ] || fail "virtio-rng belongs to '$(owner)', not $dx"

grep -q "$RNG BAR 1: .* (MSI-X table/PBA) trapped" /var/log/hv/vmm-px.log ||
	{ cat /var/log/hv/vmm-px.log; fail "the VMM did not trap the MSI-X table's page"; }

note "virtio-pci and virtio_rng use MSI-X"
RNG_READ="modprobe virtio_rng; n=0; until grep -q virtio /sys/class/misc/hw_random/rng_current 2>/dev/null; do n=\$((n+1)); [ \$n -gt 50 ] && break; sleep 0.2; done
dd if=/dev/hwrng bs=32 count=1 2>/dev/null | wc -c"
out=$(guest_run px 60 "n=0; until [ -e /sys/bus/pci/devices/$G ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done
sleep 1; $UNBIND; echo $G > /sys/bus/pci/drivers/virtio-pci/bind; sleep 0.5; $RNG_READ
basename \$(readlink /sys/bus/pci/devices/$G/driver); ls /sys/bus/pci/devices/$G/msi_irqs | wc -l; grep -c pcifront-msix /proc/interrupts")
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = 32 ] || fail "domU: no random bytes from virtio-rng"
[ "$(echo "$out" | sed -n 2p)" = virtio-pci ] || fail "domU: virtio-pci is not bound"
[ "$(echo "$out" | sed -n 3p)" -ge 2 ] || fail "domU: virtio-rng has no MSI-X vectors"
[ "$(echo "$out" | sed -n 4p)" = "$(echo "$out" | sed -n 3p)" ] || fail "domU: not one port per vector"
grep -q "^$RNG:.*:msi-x:" $D/irq_handlers || { cat $D/irq_handlers; fail "dom0: MSI-X is not on"; }
out=$(guest_run px 90 "for i in 1 2 3; do $UNBIND; echo $G > /sys/bus/pci/drivers/virtio-pci/bind; done; sleep 0.5; $RNG_READ")
[ "$out" = 32 ] || fail "domU: virtio-rng after three unbind/bind cycles ('$out')"
[ "$(grep -c pciback-msix /proc/interrupts)" -ge 2 ] || fail "dom0: no pciback-msix handlers"

hv destroy px || fail "destroy"
wait_for 20 gone px || fail "px left"
hv pci-assignable-remove -r $RNG || fail "pci-assignable-remove -r"
rmmod pciback || fail "rmmod pciback"
true
