# SPDX-License-Identifier: GPL-2.0-only
# MSI-X through pciif (XEN_PCI_OP_enable_msix / disable_msix), with the
# lab's legacy virtio-rng (MSI-X table in a memory BAR, registers in an
# I/O-port BAR; scripts/lab's qemu_cmd):
#
#   domU: PCI core allocates N MSI-X vectors ─► pcifront: enable_msix with
#   the N table entries ─► pciback enables exactly those in dom0, answers a
#   port per entry ─► each vector's interrupt in dom0 signals its port.
#
# a: hostile operations from the domU (tests/kmod/edu/pciif_hostile.c):
#    bad entry counts (0, 129, 2^32-1, past the table), entries past the
#    table or named twice, enable twice, MSI while MSI-X is on, disables
#    when off and in every order, the whole table three times; dom0 holds
#    no MSI-X afterwards.
# (virtio-pci driving it over MSI-X: scenario 95.)
# c: MSI-X left on by the domU; destroy turns it off in dom0 and the
#    device goes back to dom0's virtio-pci.
#
# The lab's legacy virtio-rng does not go through the IOMMU (QEMU's virtio
# devices honour it only with VIRTIO_F_ACCESS_PLATFORM, which a legacy
# device cannot offer): its DMA lands at host-physical addresses. pciback
# refuses such a device unless forced (unsafe_no_iommu=1, checked here),
# and the domU must never drive it: a virtio driver there would hand the
# device ring addresses that are dom0's memory. virtio_rng is blacklisted
# in the domU, so the device's queues are never set up; pciif_hostile
# only sends operations.
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
insmod /lab/modules/pciback.ko unsafe_no_iommu=1 || fail "insmod pciback"
hv pci-assignable-add $RNG || fail "pci-assignable-add $RNG"

cfg=$(mkcfg px shell "pci = [ '$RNG' ]")
sed -i 's/hv.test=shell/hv.test=shell module_blacklist=virtio_rng/' "$cfg"
hv create "$cfg" || fail "create with virtio-rng"
wait_init px
dmesg | grep -q "pciback $RNG: virtio without VIRTIO_F_ACCESS_PLATFORM, forced: its DMA bypasses the IOMMU" ||
	fail "pciback did not warn that the legacy virtio device's DMA bypasses the IOMMU"
dx=$(domain_field px 2)
[ "$(owner)" = "$dx" ] || fail "virtio-rng belongs to '$(owner)', not $dx"

grep -q "$RNG BAR 1: .* (MSI-X table/PBA) trapped" /var/log/hv/vmm-px.log ||
	{ cat /var/log/hv/vmm-px.log; fail "the VMM did not trap the MSI-X table's page"; }

note "a: hostile MSI/MSI-X operations"
out=$(guest_run px 60 "n=0; until [ -e /sys/bus/pci/devices/$G ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done
sleep 1; $UNBIND; modprobe pciif_hostile bdf=$G && cat /sys/module/pciif_hostile/parameters/passed /sys/module/pciif_hostile/parameters/failed
dmesg | grep 'pciif_hostile: FAIL'")
echo "$out"
[ "$(echo "$out" | sed -n 1p)/$(echo "$out" | sed -n 2p)" = 23/0 ] ||
	fail "domU: hostile MSI-X operations: $(echo "$out" | sed -n 1p) passed, $(echo "$out" | sed -n 2p) failed (23/0 expected)"
grep -q "^$RNG:.*:no msi:no msi-x:" $D/irq_handlers || { cat $D/irq_handlers; fail "dom0: MSI or MSI-X left on"; }
grep -q pciback-msix /proc/interrupts && fail "dom0: a pciback-msix handler is left"

note "c: MSI-X left on; destroy turns it off"
out=$(guest_run px 60 "$UNBIND; rmmod pciif_hostile; modprobe pciif_hostile bdf=$G leave_on=1 && cat /sys/module/pciif_hostile/parameters/failed")
[ "$out" = 0 ] || fail "domU: leaving MSI-X on ('$out')"
grep -q "^$RNG:.*:msi-x:" $D/irq_handlers || { cat $D/irq_handlers; fail "dom0: MSI-X is not on before destroy"; }
hv destroy px || fail "destroy"
wait_for 20 pciback_released $RNG ||
	fail "virtio-rng still belongs to domain $(owner)"
grep -q "^$RNG:.*:no msi:no msi-x:" $D/irq_handlers || { cat $D/irq_handlers; fail "dom0: MSI-X still on after destroy"; }
grep -q pciback-msix /proc/interrupts && fail "dom0: pciback-msix handlers left after destroy"
pci_bus_master_off $RNG ||
	fail "bus mastering is on after the domain went"
hv pci-assignable-remove -r $RNG || fail "pci-assignable-remove -r"
[ "$(drv $RNG)" = virtio-pci ] || fail "virtio-rng is bound to '$(drv $RNG)' after -r"
rmmod pciback || fail "rmmod pciback"
true
