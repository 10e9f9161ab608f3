# SPDX-License-Identifier: GPL-2.0-only
# MSI-X through pciif (XEN_PCI_OP_enable_msix / disable_msix), with the
# lab's modern virtio-rng (MSI-X table in memory BAR 1; it offers
# VIRTIO_F_ACCESS_PLATFORM, so its DMA goes through the IOMMU; scripts/lab's
# qemu_cmd):
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
# b: the lab's legacy virtio-rng (disable-modern=on) cannot offer
#    VIRTIO_F_ACCESS_PLATFORM: its DMA goes to host-physical addresses past
#    the IOMMU, so pciback refuses it (pci-attach says why, nothing is
#    left) unless forced with unsafe_no_iommu=1.
# c: MSI-X left on by the domU; destroy turns it off in dom0 and the
#    device goes back to dom0's virtio-pci.
# (virtio-pci driving it over MSI-X: scenario 95.)
D=/sys/bus/pci/drivers/pciback
RNG= OLD=
for d in /sys/bus/pci/devices/*; do
	case "$(cat $d/vendor):$(cat $d/device)" in
	0x1af4:0x1044) RNG=$(basename $d);;
	0x1af4:0x1005) OLD=$(basename $d);;
	esac
done
[ -n "$RNG" ] || fail "no modern virtio-rng in the lab machine (scripts/lab's qemu_cmd)"
[ -n "$OLD" ] || fail "no legacy virtio-rng in the lab machine (scripts/lab's qemu_cmd)"
pci_give_back_after_fault $RNG $OLD
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

note "a: hostile MSI/MSI-X operations"
out=$(guest_run px 60 "n=0; until [ -e /sys/bus/pci/devices/$G ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done
sleep 1; $UNBIND; modprobe pciif_hostile bdf=$G && cat /sys/module/pciif_hostile/parameters/passed /sys/module/pciif_hostile/parameters/failed
dmesg | grep 'pciif_hostile: FAIL'")
echo "$out"
[ "$(echo "$out" | sed -n 1p)/$(echo "$out" | sed -n 2p)" = 23/0 ] ||
	fail "domU: hostile MSI-X operations: $(echo "$out" | sed -n 1p) passed, $(echo "$out" | sed -n 2p) failed (23/0 expected)"
grep -q "^$RNG:.*:no msi:no msi-x:" $D/irq_handlers || { cat $D/irq_handlers; fail "dom0: MSI or MSI-X left on"; }
grep -q pciback-msix /proc/interrupts && fail "dom0: a pciback-msix handler is left"

note "b: the legacy virtio-rng (DMA past the IOMMU) is refused"
# One device per running frontend: the modern one steps aside meanwhile.
hv pci-detach px $RNG || fail "pci-detach $RNG"
hv pci-assignable-add $OLD || fail "pci-assignable-add $OLD"
hv pci-attach px $OLD 2>"$SCRATCH/attach.err" && fail "pci-attach of the legacy virtio-rng succeeded"
cat "$SCRATCH/attach.err"
grep -q "virtio device whose DMA bypasses the IOMMU" "$SCRATCH/attach.err" ||
	fail "pci-attach did not say why it refused the legacy virtio-rng"
dmesg | grep -q "pciback $OLD: virtio without VIRTIO_F_ACCESS_PLATFORM: its DMA bypasses the IOMMU; refused for domain $dx" ||
	fail "pciback did not log its refusal of the legacy virtio-rng"
pciback_released $OLD || fail "the legacy virtio-rng belongs to '$(pciback_owner $OLD)' after the refusal"
grep -q "$OLD BAR 0: ports no longer forwarded" /var/log/hv/vmm-px.log ||
	{ cat /var/log/hv/vmm-px.log; fail "the VMM still forwards the refused device's ports"; }
hv pci-assignable-remove -r $OLD || fail "pci-assignable-remove -r $OLD"
[ "$(drv $OLD)" = virtio-pci ] || fail "the legacy virtio-rng is bound to '$(drv $OLD)' after -r"
hv pci-attach px $RNG || fail "pci-attach $RNG again after the refusal"

note "c: MSI-X left on; destroy turns it off"
out=$(guest_run px 60 "n=0; until [ -e /sys/bus/pci/devices/$G ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done
sleep 1; $UNBIND; rmmod pciif_hostile; modprobe pciif_hostile bdf=$G leave_on=1 && cat /sys/module/pciif_hostile/parameters/failed")
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
