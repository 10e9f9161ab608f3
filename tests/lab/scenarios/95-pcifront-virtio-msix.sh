# SPDX-License-Identifier: GPL-2.0-only
# A device driven in a domU by its own native driver over MSI-X: the lab's
# modern virtio-rng (disable-legacy=on, iommu_platform=on in scripts/lab's
# qemu_cmd: it offers VIRTIO_F_ACCESS_PLATFORM, so its DMA goes through
# the IOMMU, hence through hv.ko's domain mapping of the domU's memory).
#
#   domU: virtio-pci binds on pcifront's bus, allocates its MSI-X vectors
#   (config + the request queue) ─► enable_msix ─► pciback enables them in
#   dom0, one port each ─► QEMU fills the domU's buffers by DMA through the
#   IOMMU and raises the queue's vector ─► dom0's handler signals the port
#   ─► virtio_rng's completion runs in the domU.
#
# a: pciback takes it without unsafe_no_iommu and without a warning; the
#    domU's virtio-pci and virtio_rng bind by themselves (udev), MSI-X is
#    on (one port per vector), 4 KiB from /dev/hwrng are random (not
#    constant: >= 200 distinct byte values) and the vectors' interrupts
#    counted in the domU and forwarded by dom0 both rose.
# b: pci-detach with the driver bound gives the device back (MSI-X off,
#    bus mastering off, out of the domain's DMA; the guest's driver goes
#    first, while the BARs are mapped), pci-attach brings it back and it
#    reads again (MSI-X enabled anew).
# c: destroy while the domU reads gives it back the same way, and
#    pci-assignable-remove -r returns it to dom0's virtio-pci.
D=/sys/bus/pci/drivers/pciback
RNG=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor):$(cat $d/device)" = 0x1af4:0x1044 ] && [ -e $d/iommu_group ] &&
		RNG=$(basename $d)
done
[ -n "$RNG" ] || fail "no modern virtio-rng behind the IOMMU in the lab machine (scripts/lab's qemu_cmd)"
pci_give_back_after_fault $RNG
drv() { basename "$(readlink /sys/bus/pci/devices/$1/driver)" 2>/dev/null; }
owner() { pciback_owner "$RNG"; }
# dom0's count of the vectors it forwarded.
fwd() { awk '/pciback-msix/ {for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i} END {print s + 0}' /proc/interrupts; }
G=0001:00:00.0
GDEV=/sys/bus/pci/devices/$G
# In the domU: wait for virtio_rng to be the current hwrng, then print the
# MSI-X interrupts taken so far, the bytes of a 4 KiB read, how many
# distinct byte values they hold, and the interrupts again.
IRQS="awk '/pcifront-msix/ {for (i = 2; i <= NF && \$i ~ /^[0-9]+\$/; i++) s += \$i} END {print s + 0}' /proc/interrupts"
READ="n=0; until grep -q virtio /sys/class/misc/hw_random/rng_current 2>/dev/null; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done
$IRQS; head -c 4096 /dev/hwrng > /tmp/r; wc -c < /tmp/r; od -A n -t x1 -v /tmp/r | tr -s ' ' '\\n' | grep . | sort -u | wc -l; $IRQS"
# check_read OUT WHEN: OUT is READ's four lines.
check_read() {
	set -- $1 "$2"
	[ "$2" = 4096 ] || fail "domU ($5): read $2 bytes from /dev/hwrng, not 4096"
	[ "$3" -ge 200 ] || fail "domU ($5): 4 KiB from virtio-rng hold only $3 distinct byte values"
	[ "$4" -gt "$1" ] || fail "domU ($5): no MSI-X interrupt during the read ($1 -> $4)"
}
rmmod pciback 2>/dev/null
insmod /lab/modules/pciback.ko || fail "insmod pciback"
[ "$(drv $RNG)" = virtio-pci ] || fail "dom0: virtio-rng is bound to '$(drv $RNG)', not virtio-pci"
hv pci-assignable-add $RNG || fail "pci-assignable-add $RNG"

note "a: virtio-pci and virtio_rng in the domU over MSI-X"
hv create "$(mkcfg px shell "pci = [ '$RNG' ]")" || fail "create with virtio-rng"
wait_init px
dx=$(domain_field px 2)
[ "$(owner)" = "$dx" ] || fail "virtio-rng belongs to '$(owner)', not $dx"
dmesg | grep "pciback $RNG:" | grep -q -i -E "bypass|forced" &&
	fail "pciback warned about a device that honours the IOMMU"
grep -q "$RNG BAR 1: .* (MSI-X table/PBA) trapped" /var/log/hv/vmm-px.log ||
	{ cat /var/log/hv/vmm-px.log; fail "the VMM did not trap the MSI-X table's page"; }
f0=$(fwd)
out=$(guest_run px 90 "n=0; until [ -e $GDEV/driver ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done
basename \$(readlink $GDEV/driver); ls $GDEV/msi_irqs | wc -l; grep -c pcifront-msix /proc/interrupts; $READ")
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = virtio-pci ] || fail "domU: virtio-pci is not bound"
[ "$(echo "$out" | sed -n 2p)" -ge 2 ] || fail "domU: virtio-rng has no MSI-X vectors"
[ "$(echo "$out" | sed -n 3p)" = "$(echo "$out" | sed -n 2p)" ] || fail "domU: not one port per vector"
check_read "$(echo "$out" | sed -n '4,7p')" "first read"
grep -q "^$RNG:.*:msi-x:" $D/irq_handlers || { cat $D/irq_handlers; fail "dom0: MSI-X is not on"; }
f1=$(fwd)
[ "$f1" -gt "$f0" ] || fail "dom0: no MSI-X interrupt forwarded ($f0 -> $f1)"
note "a: dom0 forwarded $((f1 - f0)) MSI-X interrupts"

note "b: pci-detach with the driver bound, pci-attach again"
hv pci-detach px $RNG || fail "pci-detach"
pciback_released $RNG || fail "virtio-rng still belongs to '$(owner)' after pci-detach"
grep -q "^$RNG:.*:no msi:no msi-x:" $D/irq_handlers || { cat $D/irq_handlers; fail "dom0: MSI-X on after pci-detach"; }
pci_bus_master_off $RNG || fail "bus mastering is on after pci-detach"
dmesg | grep -q "$RNG: DMA of domain $dx ended" || fail "virtio-rng left domain $dx's DMA without a word"
out=$(guest_run px 30 "sleep 1; ls /sys/bus/pci/devices/ | grep -c ^0001:")
[ "$out" = 0 ] || fail "domU: the device is still there after pci-detach"
hv pci-attach px $RNG || fail "pci-attach again"
out=$(guest_run px 90 "n=0; until [ -e $GDEV/driver ]; do n=\$((n+1)); [ \$n -gt 150 ] && break; sleep 0.2; done; $READ")
check_read "$out" "after pci-attach"

note "c: destroy while the domU reads"
guest_run px 20 "(while :; do head -c 512 /dev/hwrng > /dev/null; done) & sleep 1; echo started" |
	grep -q started || fail "domU: starting the reader"
hv destroy px || fail "destroy"
wait_for 20 pciback_released $RNG || fail "virtio-rng still belongs to domain $(owner)"
grep -q "^$RNG:.*:no msi:no msi-x:" $D/irq_handlers || { cat $D/irq_handlers; fail "dom0: MSI-X still on after destroy"; }
grep -q pciback-msix /proc/interrupts && fail "dom0: pciback-msix handlers left after destroy"
pci_bus_master_off $RNG || fail "bus mastering is on after the domain went"
wait_for 20 gone px || fail "px left"
hv pci-assignable-remove -r $RNG || fail "pci-assignable-remove -r"
[ "$(drv $RNG)" = virtio-pci ] || fail "virtio-rng is bound to '$(drv $RNG)' after -r"
rmmod pciback || fail "rmmod pciback"
true
