# SPDX-License-Identifier: GPL-2.0-only
# pciback in dom0, the seed's workflow and the toolstack's:
#   edu (00:01.0, no dom0 driver)   taken at load with hide=
#   UHCI (00:02.0, uhci_hcd)        unbind, new_slot, bind by hand; then
#                                   remove_slot/unbind and back to uhci_hcd
#   EHCI (00:03.0, ehci-pci)        hv pci-assignable-add / -list / -remove -r
# and the bad inputs: a malformed hide= refuses the load and says where,
# malformed or absent BDFs are refused with their errors, permissive and
# quirks take only devices pciback holds.
EDU=0000:00:01.0 UHCI=0000:00:02.0 EHCI=0000:00:03.0
D=/sys/bus/pci/drivers/pciback
drv() { basename "$(readlink /sys/bus/pci/devices/$1/driver)" 2>/dev/null; }

[ "$(cat /sys/bus/pci/devices/$EDU/vendor):$(cat /sys/bus/pci/devices/$EDU/device)" = 0x1234:0x11e8 ] ||
	fail "no edu device at $EDU (scripts/lab's qemu_cmd)"
[ "$(drv $UHCI)" = uhci_hcd ] || fail "UHCI at $UHCI is bound to '$(drv $UHCI)', not uhci_hcd"
[ -e /sys/bus/pci/devices/$EDU/iommu_group ] || fail "edu has no IOMMU group (intel_iommu=on?)"

rmmod pciback 2>/dev/null	# a scenario before may have left it
note "a malformed hide= refuses the load and names the entry"
insmod /lab/modules/pciback.ko 'hide=(00:01.0)(00:1f)' 2>/dev/null && fail "pciback loaded with a bad hide="
dmesg | tail -5 | grep -q "pciback: hide=: malformed entry at offset 9: '(00:1f)'" ||
	{ dmesg | tail -5; fail "no message naming the bad hide= entry"; }
[ -d $D ] && fail "a driver directory is left after a failed load"

note "hide= takes edu at load"
insmod /lab/modules/pciback.ko 'hide=(0000:00:01.0)(00:1f.*)' || fail "insmod pciback hide="
[ "$(drv $EDU)" = pciback ] || fail "edu is bound to '$(drv $EDU)', not pciback"
for f in new_slot remove_slot slots bind unbind permissive quirks irq_handlers; do
	[ -e $D/$f ] || fail "no $D/$f"
done
printf '0000:00:01.0\n0000:00:1f.*\n' > "$SCRATCH/want"
cat $D/slots | cmp -s - "$SCRATCH/want" || { cat $D/slots; fail "slots after hide="; }
# 00:1f.* matches the LPC bridge, SATA and SMBus functions (no dom0
# driver): the bridge is refused, the others are taken, then let go.
[ "$(drv 0000:00:1f.0)" != pciback ] || fail "pciback took a bridge"
dmesg | grep -q "pciback 0000:00:01.0: seized" || fail "no 'seized' message"
dmesg | grep -q "pciback 0000:00:1f.0: a bridge cannot be passed through" || fail "no message for the bridge"
echo -n 0000:00:1f.* > $D/remove_slot || fail "remove_slot of a wildcard slot"
grep -q '1f' $D/slots && fail "remove_slot left the slot"
for f in 0000:00:1f.2 0000:00:1f.3; do
	[ "$(drv $f)" = pciback ] && { echo -n $f > $D/unbind || fail "unbind $f"; }
done

note "new_slot and bind take UHCI from uhci_hcd"
echo -n $UHCI > /sys/bus/pci/drivers/uhci_hcd/unbind || fail "unbind from uhci_hcd"
echo -n $UHCI > $D/bind 2>/dev/null && fail "pciback bound a device no slot names"
echo -n $UHCI > $D/new_slot || fail "new_slot $UHCI"
echo -n $UHCI > $D/bind || fail "bind $UHCI"
[ "$(drv $UHCI)" = pciback ] || fail "UHCI is bound to '$(drv $UHCI)'"
grep -q "^$UHCI:.*domain -1" $D/irq_handlers || { cat $D/irq_handlers; fail "irq_handlers"; }

note "bad input on the sysfs files"
for bad in 00:1a 0000:00:20.0 00:1f.8 zz:00.0 "0000:00:01.0 x" " "; do
	echo -n "$bad" > $D/new_slot 2>/dev/null && fail "new_slot took '$bad'"
done
echo -n 00:05.0 > $D/permissive 2>/dev/null && fail "permissive took a device pciback does not hold"
echo -n 00:01.0 > $D/permissive || fail "permissive $EDU"
[ "$(cat $D/permissive)" = $EDU ] || fail "permissive lists '$(cat $D/permissive)'"
echo -n "$UHCI-c0:2:8f00" > $D/quirks || fail "quirks"
[ "$(cat $D/quirks)" = "$UHCI-c0:2:8f00" ] || fail "quirks reads '$(cat $D/quirks)'"
for bad in "$UHCI-c1:2:ff" "$UHCI-10:4:ffffffff" "$UHCI-c0:3:ff" "0000:00:05.0-c0:2:ff" "$UHCI"; do
	echo -n "$bad" > $D/quirks 2>/dev/null && fail "quirks took '$bad'"
done
echo -n 0000:00:09.0 > $D/remove_slot 2>/dev/null && fail "remove_slot of a slot not listed"

note "UHCI back to uhci_hcd by hand"
echo -n $UHCI > $D/unbind || fail "unbind from pciback"
echo -n $UHCI > $D/remove_slot || fail "remove_slot"
echo -n $UHCI > /sys/bus/pci/drivers/uhci_hcd/bind || fail "bind back to uhci_hcd"
[ "$(drv $UHCI)" = uhci_hcd ] || fail "UHCI did not go back to uhci_hcd"

note "hv pci-assignable-*"
hv pci-assignable-add 00:03.0 || fail "pci-assignable-add EHCI"
[ "$(drv $EHCI)" = pciback ] || fail "EHCI is bound to '$(drv $EHCI)'"
hv pci-assignable-add $EHCI || fail "pci-assignable-add twice"
hv pci-assignable-list > "$SCRATCH/list" || fail "pci-assignable-list"
[ "$(cat "$SCRATCH/list" | sort | tr '\n' ' ')" = "$EDU $EHCI " ] ||
	{ cat "$SCRATCH/list"; fail "pci-assignable-list"; }
out=$(hv pci-assignable-add 00:1f 2>&1) && fail "pci-assignable-add took a malformed BDF"
echo "$out" | grep -q "is not a PCI address" || fail "malformed BDF message: $out"
out=$(hv pci-assignable-add 0000:00:09.0 2>&1) && fail "pci-assignable-add took an absent device"
echo "$out" | grep -q "no PCI device 0000:00:09.0" || fail "absent device message: $out"
out=$(hv pci-assignable-remove $UHCI 2>&1) && fail "pci-assignable-remove of a device pciback does not hold"
echo "$out" | grep -q "not assignable (bound to uhci_hcd)" || fail "remove message: $out"
hv pci-assignable-remove -r $EHCI || fail "pci-assignable-remove -r"
[ "$(drv $EHCI)" = ehci-pci ] || fail "EHCI is bound to '$(drv $EHCI)', not back to ehci-pci"
[ "$(hv pci-assignable-list)" = $EDU ] || fail "pci-assignable-list after remove"

note "unload: edu goes free"
rmmod pciback || fail "rmmod pciback"
[ -z "$(drv $EDU)" ] || fail "edu still bound to '$(drv $EDU)'"
[ "$(hv pci-assignable-list)" = "" ] || fail "pci-assignable-list without pciback"
true
