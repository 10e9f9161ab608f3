# SPDX-License-Identifier: GPL-2.0-only
# Passthrough of a device no IOMMU covers: refused unless forced.
#
# The lab's second edu sits behind a PCIe expander bridge that QEMU leaves
# outside the IOMMU (scripts/lab: pxb-pcie bypass_iommu=on), so dom0 gives
# it no IOMMU group. A domain given such a device could make it DMA
# anywhere in the host.
#
# a: hv pci-assignable-add takes it with a warning; hv create with it in
#    the config and hv pci-attach refuse it, saying why; nothing is left
#    (no domain, the device free with pciback, no DMA assignment).
# b: a toolstack that skips that check (the store written by hand) meets
#    pciback's own refusal: the backend's error names the missing IOMMU
#    and the domU sees no device.
# c: forced (pciback's unsafe_no_iommu=1): pci-attach warns, the VMM maps
#    the BAR, hv.ko warns that the domain's DMA is not translated, the
#    domU reads edu's ID register through the BAR (edu_test is kept from
#    probing: its DMA would reach host-physical addresses); destroy gives
#    the device back with bus mastering off.
D=/sys/bus/pci/drivers/pciback
BE=/local/domain/0/backend/pci
EDU=
for dev in /sys/bus/pci/devices/*; do
	[ "$(cat $dev/vendor):$(cat $dev/device)" = 0x1234:0x11e8 ] || continue
	[ -e $dev/iommu_group ] && continue
	EDU=$(basename $dev)
done
[ -n "$EDU" ] || { ls -l /sys/bus/pci/devices/; fail "no edu without an IOMMU group (scripts/lab's qemu_cmd)"; }
note "edu without an IOMMU: $EDU"
rmmod pciback 2>/dev/null	# a scenario before may have left it
insmod /lab/modules/pciback.ko || fail "insmod pciback"
[ "$(cat /sys/module/pciback/parameters/unsafe_no_iommu)" = N ] || fail "unsafe_no_iommu is on by default"
owner() { pciback_owner "$EDU"; }
# hv.ko's DMA lines for edu so far in this boot (a run before this one, or
# this scenario's first try, may have forced it on a domain).
dma_lines() { dmesg | grep -c "$EDU: DMA of domain"; }
dma_before=$(dma_lines)

note "a: assignable with a warning; create and pci-attach refuse it"
hv pci-assignable-add $EDU 2>"$SCRATCH/add.err" || { cat "$SCRATCH/add.err"; fail "pci-assignable-add"; }
grep -q "warning: $EDU has no IOMMU" "$SCRATCH/add.err" ||
	{ cat "$SCRATCH/add.err"; fail "pci-assignable-add did not warn about the missing IOMMU"; }
[ "$(hv pci-assignable-list)" = $EDU ] || fail "pci-assignable-list: '$(hv pci-assignable-list)'"
cfg=$(mkcfg pn shell "pci = [ '$EDU' ]")
hv create "$cfg" 2>"$SCRATCH/create.err" && fail "create with a device without an IOMMU succeeded"
cat "$SCRATCH/create.err"
grep -q "$EDU has no IOMMU: refused.*unsafe_no_iommu=1" "$SCRATCH/create.err" ||
	fail "create did not say why it refused"
exists pn && fail "a domain pn is left after the refused create"
[ "$(owner)" = -1 ] || fail "edu belongs to domain '$(owner)' after a refused create"

cfg=$(mkcfg pn shell)
hv create "$cfg" || fail "create pn"
wait_init pn
dn=$(domain_field pn 2)
hv pci-attach pn $EDU 2>"$SCRATCH/attach.err" && fail "pci-attach of a device without an IOMMU succeeded"
grep -q "$EDU has no IOMMU: refused" "$SCRATCH/attach.err" ||
	{ cat "$SCRATCH/attach.err"; fail "pci-attach did not say why it refused"; }
xenstore-exists $BE/$dn && fail "the refused pci-attach left $BE/$dn"
[ "$(owner)" = -1 ] || fail "edu belongs to domain '$(owner)' after a refused pci-attach"
[ "$(dma_lines)" = "$dma_before" ] || fail "hv.ko gave the refused device a domain's DMA"

note "b: the store written by hand: pciback refuses it"
fe=/local/domain/$dn/device/pci/0
xenstore-write $fe/backend $BE/$dn/0 $fe/backend-id 0 \
	$BE/$dn/0/frontend $fe $BE/$dn/0/frontend-id $dn $BE/$dn/0/online 1 \
	$BE/$dn/0/domain pn $BE/$dn/0/num_devs 1 $BE/$dn/0/dev-0 $EDU \
	$BE/$dn/0/state-0 1 || fail "writing the pci device pair"
xenstore-chmod $fe n$dn r0 && xenstore-chmod $BE/$dn/0 n0 r$dn || fail "chmod the pair"
xenstore-write $BE/$dn/0/state 1 $fe/state 1 || fail "writing the states"
err=/local/domain/0/error/backend/pci/$dn/0/error
wait_for 20 xenstore-exists $err || { xenstore-ls $BE/$dn; fail "pciback wrote no error"; }
xenstore-read $err | grep -q "$EDU has no IOMMU; refused" || fail "pciback's error: '$(xenstore-read $err)'"
dmesg | grep -q "pciback $EDU: no IOMMU: refused for domain $dn" || fail "pciback did not log its refusal"
[ "$(owner)" = -1 ] || fail "edu belongs to domain '$(owner)' after pciback refused it"
out=$(guest_run pn 20 'ls /sys/bus/pci/devices/ | grep -c "^0001:" ; true')
[ "$out" = 0 ] || fail "domU: pcifront shows $out devices of a refused backend"
xenstore-rm $BE/$dn $fe /local/domain/0/error/backend/pci/$dn
hv destroy pn || fail "destroy pn"
wait_for 20 gone pn || fail "pn left"

note "c: forced with unsafe_no_iommu=1"
echo 1 > /sys/module/pciback/parameters/unsafe_no_iommu || fail "setting unsafe_no_iommu"
cfg=$(mkcfg pf shell)
sed -i 's/quiet hv.test/quiet modprobe.blacklist=edu_test hv.test/' "$cfg"
hv create "$cfg" || fail "create pf"
wait_init pf
df=$(domain_field pf 2)
hv pci-attach pf $EDU 2>"$SCRATCH/attach.err" || { cat "$SCRATCH/attach.err"; fail "forced pci-attach"; }
grep -q "warning: $EDU has no IOMMU (forced): domain $df can DMA anywhere" "$SCRATCH/attach.err" ||
	{ cat "$SCRATCH/attach.err"; fail "forced pci-attach did not warn"; }
[ "$(owner)" = "$df" ] || fail "edu belongs to domain '$(owner)', not $df"
dmesg | grep -q "pciback $EDU: no IOMMU, forced: domain $df can DMA anywhere" ||
	fail "pciback did not warn about the forced device"
dmesg | grep -q "$EDU: no IOMMU: domain $df drives its DMA to host-physical addresses" ||
	fail "hv.ko did not warn that domain $df's DMA is not translated"
bar=$(sed -n 1p /sys/bus/pci/devices/$EDU/resource | cut -d' ' -f1)
out=$(guest_run pf 60 'd=/sys/bus/pci/devices/0001:00:00.0; n=0; until [ -e $d ]; do n=$((n+1)); [ $n -gt 150 ] && break; sleep 0.2; done
cat $d/vendor $d/device; cut -d" " -f1 $d/resource | head -1
devmem $(cut -d" " -f1 $d/resource | head -1) 32
ls $d/driver 2>/dev/null | wc -l')
echo "$out"
[ "$(echo "$out" | sed -n 1,2p | tr '\n' ' ')" = "0x1234 0x11e8 " ] || fail "domU: 0001:00:00.0 is not edu"
[ "$(echo "$out" | sed -n 3p)" = "$bar" ] || fail "domU: BAR 0 is not at the host's $bar"
[ "$(echo "$out" | sed -n 4p)" = 0x010000ED ] || fail "domU: edu's ID register reads '$(echo "$out" | sed -n 4p)'"
[ "$(echo "$out" | sed -n 5p)" = 0 ] || fail "domU: a driver took edu (edu_test is blacklisted)"
hv destroy pf || fail "destroy pf"
wait_for 20 pciback_released $EDU ||
	fail "edu still belongs to domain $(owner)"
dmesg | grep -q "$EDU: DMA of domain $df ended" || fail "hv.ko did not end domain $df's hold on edu"
pci_bus_master_off $EDU || fail "bus mastering is on after the domain went"
echo 0 > /sys/module/pciback/parameters/unsafe_no_iommu
hv pci-assignable-remove $EDU || fail "pci-assignable-remove"
rmmod pciback || fail "rmmod pciback"
true
