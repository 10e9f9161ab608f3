# SPDX-License-Identifier: GPL-2.0-only
# USB controllers passed to a domU, with QEMU's USB devices behind them
# (scripts/lab's qemu_cmd): the domU's own USB stack enumerates them.
#
#   EHCI (00:03.0): MMIO BAR (a KVM memory slot) + INTx; usb-storage disk
#   UHCI (00:02.0): I/O-port BAR (forwarded by the VMM) + INTx; usb-kbd
#
#   device asserts INTx ─► pciback masks it at the device, signals the port
#   ─► domU: pcifront runs uhci_hcd's/ehci_hcd's handler, signals back ─►
#   pciback unmasks (no userspace on the path)
#
# a: both at create: the disk and the keyboard enumerated, the disk read
#    and written, interrupts counted on both sides, the guest's INTx-disable
#    bit virtual; destroy gives both back (reset, bus master off, assignable)
#    and dom0's own drivers take them again and see the devices.
# Hot attach, detach and reattach: scenario 94.
UHCI=0000:00:02.0 EHCI=0000:00:03.0
D=/sys/bus/pci/drivers/pciback
drv() { basename "$(readlink /sys/bus/pci/devices/$1/driver)" 2>/dev/null; }
owner() { pciback_owner "$1"; }
intx() { sed -n "s/^$1:.*:intx on \([0-9]*\)\/\([0-9]*\)$/\1 \2/p" $D/irq_handlers; }
# The USB devices the domU sees (vendor:product), without root hubs.
USB_LIST='usbl() { for d in /sys/bus/usb/devices/*; do [ -f $d/idVendor ] && [ "$(cat $d/idVendor)" != 1d6b ] && echo "$(cat $d/idVendor):$(cat $d/idProduct)"; done | sort; }'
KBD=0627:0001 DISK=46f4:0001

pci_give_back_after_fault $EHCI $UHCI
[ "$(drv $UHCI)" = uhci_hcd ] || fail "UHCI at $UHCI is bound to '$(drv $UHCI)', not uhci_hcd"
[ "$(drv $EHCI)" = ehci-pci ] || fail "EHCI at $EHCI is bound to '$(drv $EHCI)', not ehci-pci"
rmmod pciback 2>/dev/null	# a scenario before may have left it
insmod /lab/modules/pciback.ko || fail "insmod pciback"
hv pci-assignable-add $EHCI || fail "pci-assignable-add EHCI"
hv pci-assignable-add $UHCI || fail "pci-assignable-add UHCI"

note "a: EHCI and UHCI in the config"
cfg=$(mkcfg pu shell "pci = [ '00:03.0', '00:02.0' ]")
hv create "$cfg" || fail "create with two USB controllers"
wait_init pu
du=$(domain_field pu 2)
[ "$(owner $EHCI)/$(owner $UHCI)" = "$du/$du" ] || { cat $D/irq_handlers; fail "owners"; }
for k in intx-evtchn-0 intx-evtchn-1; do
	xenstore-read /local/domain/0/backend/pci/$du/0/$k >/dev/null || fail "no $k in the store"
done
iobar=$(awk 'NR == 5 {print $1}' /sys/bus/pci/devices/$UHCI/resource)
grep -q "$UHCI BAR 4: ports $(printf '%#x' $((iobar)))+0x20 forwarded" /var/log/hv/vmm-pu.log ||
	{ cat /var/log/hv/vmm-pu.log; fail "the VMM did not forward UHCI's ports"; }
out=$(guest_run pu 90 "$USB_LIST"'
modprobe -a ehci_pci uhci_hcd usb_storage sd_mod
n=0; until [ -e /sys/block/sda ] && [ $(usbl | wc -l) -ge 2 ]; do n=$((n+1)); [ $n -gt 250 ] && break; sleep 0.2; done
usbl
cat /sys/block/sda/size
basename "$(readlink /sys/bus/pci/devices/0001:00:00.0/driver)"
basename "$(readlink /sys/bus/pci/devices/0001:00:01.0/driver)"
cat /sys/bus/pci/devices/0001:00:01.0/irq
dmesg | grep -iE "uhci|ehci|0001:00:0|pcifront|usb [0-9]" | tail -40')
echo "$out"
echo "$out" | grep -qx "$DISK" || fail "domU: the USB disk ($DISK) was not enumerated"
echo "$out" | grep -qx "$KBD" || fail "domU: the USB keyboard ($KBD) was not enumerated"
echo "$out" | grep -qx 8192 || fail "domU: /sys/block/sda is not the 4 MiB disk"
echo "$out" | grep -qx ehci-pci || fail "domU: ehci-pci did not bind EHCI"
echo "$out" | grep -qx uhci_hcd || fail "domU: uhci_hcd did not bind UHCI"

note "a: the disk written and read back through EHCI (DMA + INTx)"
out=$(guest_run pu 60 '[ -b /dev/sda ] || mknod /dev/sda b $(sed "s/:/ /" /sys/block/sda/dev)
i=0; while [ $i -lt 64 ]; do echo "usb passthrough line $i"; i=$((i+1)); done > /tmp/pat
dd if=/tmp/pat of=/dev/sda bs=512 seek=8 conv=fsync 2>/dev/null
echo 3 > /proc/sys/vm/drop_caches
dd if=/dev/sda bs=512 skip=8 count=$(( ($(wc -c < /tmp/pat) + 511) / 512 )) 2>/dev/null | head -c $(wc -c < /tmp/pat) | cmp - /tmp/pat && echo same
grep -c pcifront-intx /proc/interrupts')
echo "$out"
echo "$out" | grep -qx same || fail "domU: what was written to the USB disk did not read back"
[ "$(echo "$out" | tail -1)" -ge 2 ] || fail "domU: no pcifront-intx interrupts"
cat $D/irq_handlers
set -- $(intx $EHCI)
[ "${1:-0}" -gt 0 ] && [ "${2:-0}" -gt 0 ] || fail "dom0: EHCI's INTx not forwarded and acknowledged ($*)"
set -- $(intx $UHCI)
[ "${1:-0}" -gt 0 ] && [ "${2:-0}" -gt 0 ] || fail "dom0: UHCI's INTx not forwarded and acknowledged ($*)"

note "a: the guest's INTx-disable bit is virtual"
out=$(guest_run pu 30 'c=/sys/bus/pci/devices/0001:00:00.0/config
wb() { if [ $2 = 0 ]; then dd if=/dev/zero bs=1 count=1; else awk "BEGIN { printf \"%c\", $2 }"; fi 2>/dev/null | dd of=$c bs=1 seek=$1 conv=notrunc 2>/dev/null; }
v=$(od -A n -t x1 -j 5 -N 1 $c | tr -d " "); wb 5 $((0x$v | 4))
od -A n -t x1 -j 5 -N 1 $c | tr -d " "')
[ $(( 0x$out & 4 )) = 4 ] || fail "domU: its INTx-disable bit does not read back ($out)"
guest_run pu 30 'c=/sys/bus/pci/devices/0001:00:00.0/config
wb() { if [ $2 = 0 ]; then dd if=/dev/zero bs=1 count=1; else awk "BEGIN { printf \"%c\", $2 }"; fi 2>/dev/null | dd of=$c bs=1 seek=$1 conv=notrunc 2>/dev/null; }
v=$(od -A n -t x1 -j 5 -N 1 $c | tr -d " "); wb 5 $((0x$v & 0xfb))
echo 3 > /proc/sys/vm/drop_caches; dd if=/dev/sda bs=512 skip=100 count=8 2>/dev/null | wc -c' | grep -qx 4096 ||
	fail "domU: the disk does not answer after INTx-disable was cleared again"

note "a: destroy gives both back; dom0's drivers see the devices again"
hv destroy pu || fail "destroy pu"
wait_for 20 pciback_released $EHCI ||
	fail "EHCI still belongs to domain $(owner $EHCI)"
[ "$(owner $UHCI)" = -1 ] || fail "UHCI still belongs to domain $(owner $UHCI)"
for b in $EHCI $UHCI; do
	pci_bus_master_off $b ||
		fail "$b: bus mastering is on after the domain went"
	dmesg | grep -q "$b: DMA of domain $du ended" || fail "$b left domain $du's IOMMU domain without a word"
	grep -q "^$b:.*:intx off" $D/irq_handlers || fail "$b: INTx still forwarded"
done
grep "^ *[0-9]*:.*pciback-intx" /proc/interrupts && { grep -H . $D/irq_handlers 2>/dev/null; fail "dom0: a pciback-intx handler is left"; }
hv pci-assignable-list | grep -qx $EHCI || fail "EHCI not assignable after the domain went"
hv pci-assignable-remove -r $UHCI || fail "pci-assignable-remove -r UHCI"
[ "$(drv $UHCI)" = uhci_hcd ] || fail "UHCI is bound to '$(drv $UHCI)' after -r"
wait_for 20 sh -c "grep -qx 0627 /sys/bus/usb/devices/*/idVendor" ||
	fail "dom0: uhci_hcd does not see the keyboard after the domain used UHCI"

hv pci-assignable-remove -r $EHCI || fail "pci-assignable-remove -r EHCI"
[ "$(drv $EHCI)" = ehci-pci ] || fail "EHCI is bound to '$(drv $EHCI)' after -r"
rmmod pciback || fail "rmmod pciback"
true
