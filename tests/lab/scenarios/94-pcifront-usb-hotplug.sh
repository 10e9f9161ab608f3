# SPDX-License-Identifier: GPL-2.0-only
# EHCI with QEMU's usb-storage disk behind it (scripts/lab's qemu_cmd) by
# hv pci-attach to a running domU, pci-detach (the disk goes), pci-attach
# again (it comes back). Scenario 92 passes both USB controllers at create.
# Failed once (lab run of 21:09, as part of 92) with "pv did not
# reach init" right after 92's domain had given EHCI and UHCI back.
EHCI=0000:00:03.0
D=/sys/bus/pci/drivers/pciback
drv() { basename "$(readlink /sys/bus/pci/devices/$1/driver)" 2>/dev/null; }
owner() { pciback_owner "$1"; }
USB_LIST='usbl() { for d in /sys/bus/usb/devices/*; do [ -f $d/idVendor ] && [ "$(cat $d/idVendor)" != 1d6b ] && echo "$(cat $d/idVendor):$(cat $d/idProduct)"; done | sort; }'
DISK=46f4:0001

pci_give_back_after_fault $EHCI
[ "$(drv $EHCI)" = ehci-pci ] || fail "EHCI at $EHCI is bound to '$(drv $EHCI)', not ehci-pci"
rmmod pciback 2>/dev/null
insmod /lab/modules/pciback.ko || fail "insmod pciback"
hv pci-assignable-add $EHCI || fail "pci-assignable-add EHCI"

note "b: EHCI by pci-attach, pci-detach, pci-attach again"
hv create "$(mkcfg pv shell)" || fail "create pv"
wait_init pv
guest_run pv 40 "$GUEST_WAIT_CORE" || fail "pv: no hvx_core"
hv pci-attach pv 00:03.0 || fail "pci-attach EHCI"
WAIT_DISK="$USB_LIST"'
modprobe -a ehci_pci usb_storage sd_mod; n=0; until [ -e /sys/block/sda ]; do n=$((n+1)); [ $n -gt 250 ] && break; sleep 0.2; done; usbl'
out=$(guest_run pv 90 "$WAIT_DISK")
[ "$out" = $DISK ] || fail "pv: the disk after pci-attach ('$out')"
hv pci-detach pv 00:03.0 || fail "pci-detach EHCI"
[ "$(owner $EHCI)" = -1 ] || fail "EHCI still belongs to '$(owner $EHCI)' after pci-detach"
out=$(guest_run pv 30 'sleep 1; ls /sys/bus/pci/devices/ | grep -c ^0001:; ls /sys/block | grep -c ^sd')
[ "$(echo $out)" = "0 0" ] || fail "pv: the bus or the disk is still there after pci-detach ($out)"
hv pci-attach pv 0000:00:03.0 || fail "pci-attach EHCI again"
out=$(guest_run pv 90 "$WAIT_DISK")
[ "$out" = $DISK ] || fail "pv: the disk after the second pci-attach ('$out')"
hv destroy pv || fail "destroy pv"
wait_for 20 gone pv || fail "pv left"
# pciback lets go from its own watch, after the domain is gone (a CI run
# failed here when the remove came first).
wait_for 20 pciback_released $EHCI || fail "EHCI still belongs to domain $(owner $EHCI)"
hv pci-assignable-remove -r $EHCI || fail "pci-assignable-remove -r EHCI"
[ "$(drv $EHCI)" = ehci-pci ] || fail "EHCI is bound to '$(drv $EHCI)' after -r"
rmmod pciback || fail "rmmod pciback"
true
