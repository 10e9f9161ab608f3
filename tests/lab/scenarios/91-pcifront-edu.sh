# SPDX-License-Identifier: GPL-2.0-only
# QEMU's edu device passed to a domU through pciback and pcifront.
#
#   dom0: pciback (hide=edu) ── backend/pci/D/0 ── xenstored ── device/pci/0 ── domU: pcifront
#         config ops: shared page + event channel (pciif)          root bus 0001:00, edu at 00.0
#
# a: pci = [ '00:01.0' ] in the config: the domU's pcifront adds root bus
#    0001:00 and edu is 0001:00:00.0 with its IDs read through config space;
#    the store holds Xen's layout; hv pci-list shows it; BAR sizing and a
#    hostile BAR write behave; the device cannot go to a second domain;
#    destroying the domU gives it back to pciback (reset, free again).
# b: hv pci-attach to a running domU, then pci-detach: the bus goes.
EDU=0000:00:01.0
D=/sys/bus/pci/drivers/pciback
BE=/local/domain/0/backend/pci
rmmod pciback 2>/dev/null	# a scenario before may have left it
insmod /lab/modules/pciback.ko "hide=($EDU)" || fail "insmod pciback"
# BAR 0 as the firmware placed it (the guest must see the same address).
BAR0=$(printf %08x $(( 0x$(od -A n -t x4 -j 16 -N 4 /sys/bus/pci/devices/$EDU/config | tr -d ' ') & ~0xf )))
# ... as the octal escapes of its four bytes, for printf in the domU.
BAR0_BYTES=$(for i in 0 1 2 3; do printf '\\%03o' $(( (0x$BAR0 >> (8 * i)) & 0xff )); done)
owner() { pciback_owner "$EDU"; }

note "a: edu in the config"
cfg=$(mkcfg pa shell "pci = [ '00:01.0' ]")
hv create "$cfg" || fail "create with pci"
wait_init pa
da=$(domain_field pa 2)
[ "$(owner)" = "$da" ] || fail "pciback says edu belongs to domain '$(owner)', not $da"
for k in num_devs=1 dev-0=$EDU vdev-0=0001:00:00.0 state-0=4 root_num=1 root-0=0001:00 \
	 frontend=/local/domain/$da/device/pci/0 frontend-id=$da opts-0=permissive=0; do
	v=$(xenstore-read "$BE/$da/0/${k%%=*}") || fail "no $BE/$da/0/${k%%=*}"
	[ "$v" = "${k#*=}" ] || fail "$BE/$da/0/${k%%=*} is '$v', not '${k#*=}'"
done
wait_for 30 sh -c "[ \"\$(xenstore-read $BE/$da/0/state)\" = 4 ]" ||
	fail "backend state $(xenstore-read $BE/$da/0/state), not Connected"
hv pci-list pa | grep -q "^0001:00:00.0 *$EDU *connected" || { hv pci-list pa; fail "pci-list"; }
out=$(guest_run pa 60 'n=0; until [ -e /sys/bus/pci/devices/0001:00:00.0 ]; do n=$((n+1)); [ $n -gt 150 ] && break; sleep 0.2; done
d=/sys/bus/pci/devices/0001:00:00.0
cat $d/vendor $d/device $d/class
od -A n -t x4 -N 4 $d/config
head -1 $d/resource
dmesg | grep -c "pcifront.*root bus 0001:00 added"')
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = 0x1234 ] || fail "domU: vendor of 0001:00:00.0 is not 0x1234"
[ "$(echo "$out" | sed -n 2p)" = 0x11e8 ] || fail "domU: device is not 0x11e8"
[ "$(echo "$out" | sed -n 3p)" = 0x00ff00 ] || fail "domU: class"
[ "$(echo "$out" | sed -n 4p | tr -d ' ')" = 11e81234 ] || fail "domU: config dword 0"
# Identity BAR: the guest sees the host's BAR address.
echo "$out" | sed -n 5p | grep -q "^0x00000000$BAR0 0x00000000$(printf %08x $((0x$BAR0 + 0xfffff)))" ||
	fail "domU: BAR 0 is not at the host's 0x$BAR0"
[ "$(echo "$out" | sed -n 6p)" = 1 ] || fail "domU: pcifront did not add its root bus"

note "a: edu's native driver (edu_test) does MMIO through the mapped BAR"
grep -q "0000:00:01.0 BAR 0: 0x$BAR0+0x100000 mapped" /var/log/hv/vmm-pa.log ||
	{ cat /var/log/hv/vmm-pa.log; fail "the VMM did not map edu's BAR 0"; }
out=$(guest_run pa 60 'p=/sys/module/edu_test/parameters; n=0; until [ "$(cat $p/probed 2>/dev/null)" = 1 ]; do n=$((n+1)); [ $n -gt 150 ] && break; sleep 0.2; done
cat $p/probed $p/id $p/liveness_ok $p/fact5 $p/fact12
basename $(readlink /sys/bus/pci/devices/0001:00:00.0/driver)')
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = 1 ] || fail "domU: edu_test did not probe"
[ "$(echo "$out" | sed -n 2p)" = 16777453 ] || fail "domU: the ID register is not 0x010000ed"
[ "$(echo "$out" | sed -n 3p)" = 1 ] || fail "domU: the liveness register is wrong"
[ "$(echo "$out" | sed -n 4p)/$(echo "$out" | sed -n 5p)" = 120/479001600 ] ||
	fail "domU: factorials are wrong"
[ "$(echo "$out" | sed -n 6p)" = edu_test ] || fail "domU: edu is not bound to edu_test"

note "a: DMA both ways through the IOMMU, and an MSI"
frames=$(( $(hv list pa | awk 'NR == 2 {print $3}') * 256 ))	# all of its RAM
dmesg | grep -q "$EDU: DMA of domain $da: $frames guest frames mapped" &&
	grep -q "$EDU: DMA reaches this domain's memory" /var/log/hv/vmm-pa.log ||
	fail "hv.ko did not attach edu to domain $da's IOMMU domain"
out=$(guest_run pa 30 'p=/sys/module/edu_test/parameters; cat $p/dma_ok $p/msi
echo 1 > $p/raise_irq; sleep 0.3; echo 2 > $p/raise_irq; sleep 0.3; echo 3 > $p/raise_irq; sleep 0.5
cat $p/irqs $p/irq_status; grep -c pcifront-msi /proc/interrupts')
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = 1 ] || fail "domU: DMA RAM -> edu -> RAM did not come back intact"
[ "$(echo "$out" | sed -n 2p)" = 1 ] || fail "domU: edu_test got no MSI"
[ "$(echo "$out" | sed -n 3p)" = 3 ] || fail "domU: $(echo "$out" | sed -n 3p) interrupts, not 3"
[ "$(echo "$out" | sed -n 4p)" = $((0x5a5a0003)) ] || fail "domU: the last interrupt's status"
grep -q "^$EDU:.*:msi:.*:forwarded 3:domain $da" $D/irq_handlers ||
	{ cat $D/irq_handlers; fail "dom0: pciback did not forward 3 MSIs"; }

note "a: MSI disabled and enabled again (driver unloaded and loaded twice)"
out=$(guest_run pa 60 'p=/sys/module/edu_test/parameters; for i in 1 2; do rmmod edu_test && modprobe edu_test || echo cycle-failed; done
cat $p/probed $p/msi; echo 9 > $p/raise_irq; sleep 0.5; cat $p/irqs $p/irq_status')
echo "$out"
[ "$(echo "$out" | tr '\n' ' ')" = "1 1 1 $((0x5a5a0009)) " ] || fail "domU: MSI after reloading edu_test"
grep -q "^$EDU:.*:msi:.*:forwarded 4:domain $da" $D/irq_handlers ||
	{ cat $D/irq_handlers; fail "dom0: pciback did not forward the fourth MSI"; }

note "a: hostile config writes from the domU change only what they may"
out=$(guest_run pa 30 'c=/sys/bus/pci/devices/0001:00:00.0/config
printf "\377\377\377\377" | dd of=$c bs=4 seek=4 conv=notrunc 2>/dev/null
od -A n -t x4 -j 16 -N 4 $c
printf "'$BAR0_BYTES'" | dd of=$c bs=4 seek=4 conv=notrunc 2>/dev/null
od -A n -t x4 -j 16 -N 4 $c
printf "\000\000\000\340" | dd of=$c bs=4 seek=4 conv=notrunc 2>/dev/null
od -A n -t x4 -j 16 -N 4 $c
printf "\377\377" | dd of=$c bs=2 seek=0 conv=notrunc 2>/dev/null
od -A n -t x4 -N 4 $c')
echo "$out"
[ "$(echo "$out" | sed -n 1p | tr -d ' ')" = fff00000 ] || fail "domU: BAR sizing does not read the size mask"
[ "$(echo "$out" | sed -n 2p | tr -d ' ')" = $BAR0 ] || fail "domU: BAR not restored"
[ "$(echo "$out" | sed -n 3p | tr -d ' ')" = $BAR0 ] || fail "domU: a BAR write moved it"
[ "$(echo "$out" | sed -n 4p | tr -d ' ')" = 11e81234 ] || fail "domU: vendor id written"
# dom0 reads the real device: its BAR never moved.
[ "$(od -A n -t x4 -j 16 -N 4 /sys/bus/pci/devices/$EDU/config | tr -d ' ')" = $BAR0 ] ||
	fail "dom0: edu's BAR 0 changed"

note "a: 0xff written to every byte of config space from the domU"
od -A n -t x1 -v -N 256 /sys/bus/pci/devices/$EDU/config | tr -s ' \n' '\n\n' | sed '/^$/d' > "$SCRATCH/before"
guest_run pa 120 'c=/sys/bus/pci/devices/0001:00:00.0/config; i=0; while [ $i -lt 256 ]; do printf "\377" | dd of=$c bs=1 seek=$i conv=notrunc 2>/dev/null; i=$((i+1)); done; echo wrote' |
	grep -q wrote || fail "domU: writing config space"
od -A n -t x1 -v -N 256 /sys/bus/pci/devices/$EDU/config | tr -s ' \n' '\n\n' | sed '/^$/d' > "$SCRATCH/after"
[ "$(wc -l < "$SCRATCH/after")" = 256 ] || fail "dom0: reading edu's config space"
# Only the command register's guest bits (0x0547) and cache line size /
# latency timer may have changed on the device.
i=0
paste "$SCRATCH/before" "$SCRATCH/after" | while read -r b a; do
	if [ "$b" != "$a" ]; then
		case $i in
		4) [ $(( (0x$a ^ 0x$b) & ~0x47 )) = 0 ] || echo "offset 4: $b -> $a";;
		5) [ $(( (0x$a ^ 0x$b) & ~0x05 )) = 0 ] || echo "offset 5: $b -> $a";;
		7) [ $(( (0x$a ^ 0x$b) & ~0xf9 )) = 0 ] || echo "offset 7: $b -> $a";;
		12|13) ;;
		*) echo "offset $i: $b -> $a";;
		esac
	fi
	i=$((i + 1))
done > "$SCRATCH/changed"
[ -s "$SCRATCH/changed" ] && { cat "$SCRATCH/changed"; fail "the domU changed registers it may not"; }
[ "$(od -A n -t x4 -j 16 -N 4 /sys/bus/pci/devices/$EDU/config | tr -d ' ')" = $BAR0 ] ||
	fail "dom0: edu's BAR 0 moved"

note "a: the same device for a second domain is refused"
cfg2=$(mkcfg pa2 shell "pci = [ '0000:00:01.0' ]")
out=$(hv create "$cfg2" 2>&1) && fail "a second domain got edu"
echo "$out" | grep -q "0000:00:01.0 is already assigned to domain $da" || fail "second domain: '$out'"
wait_for 10 gone pa2 || fail "the refused domain is left"

note "a: destroy during DMA gives edu back"
guest_run pa 20 '(echo 50 > /sys/module/edu_test/parameters/bench_dma) & sleep 1; echo started' |
	grep -q started || fail "domU: starting DMA"
hv destroy pa || fail "destroy"
wait_for 20 pciback_released $EDU ||
	fail "edu still belongs to domain $(owner)"
dmesg | grep -q "pciback $EDU: returned by domain $da" || fail "no 'returned' message"
dmesg | grep -q "$EDU: DMA of domain $da ended" || fail "edu left domain $da's IOMMU domain without a word"
grep -q "^$EDU:.*:no msi:" $D/irq_handlers || fail "edu's MSI is still on in dom0"
[ "$(hv pci-assignable-list)" = $EDU ] || fail "edu not assignable after the domain went"
[ $(($(od -A n -t x2 -j 4 -N 2 /sys/bus/pci/devices/$EDU/config) & 4)) = 0 ] 2>/dev/null ||
	fail "edu's bus mastering is on after the domain went"

note "b: pci-attach to a running domain, pci-detach"
hv create "$(mkcfg pb shell)" || fail "create pb"
wait_init pb
db=$(domain_field pb 2)
guest_run pb 40 "$GUEST_WAIT_CORE" || fail "pb: no hvx_core"
out=$(hv pci-attach pb 00:02.0 2>&1) && fail "pci-attach of a device pciback does not hold"
echo "$out" | grep -q "not assignable" || fail "pci-attach UHCI: '$out'"
hv pci-attach pb 00:01.0 || fail "pci-attach"
out=$(guest_run pb 60 'n=0; until [ -e /sys/bus/pci/devices/0001:00:00.0 ]; do n=$((n+1)); [ $n -gt 150 ] && break; sleep 0.2; done; cat /sys/bus/pci/devices/0001:00:00.0/device')
[ "$out" = 0x11e8 ] || fail "pb: edu did not appear after pci-attach ('$out')"
[ "$(owner)" = "$db" ] || fail "edu belongs to '$(owner)', not $db"
grep -q "0000:00:01.0 BAR 0: 0x$BAR0+0x100000 mapped" /var/log/hv/vmm-pb.log ||
	fail "pb: the VMM did not map edu's BAR 0"
hv pci-detach pb 00:01.0 || fail "pci-detach"
grep -q "0000:00:01.0 BAR 0 unmapped" /var/log/hv/vmm-pb.log || fail "pb: BAR 0 not unmapped"
[ "$(owner)" = -1 ] || fail "edu still belongs to '$(owner)' after pci-detach"
out=$(guest_run pb 30 'sleep 1; ls /sys/bus/pci/devices/ | grep -c ^0001:')
[ "$out" = 0 ] || fail "pb: the bus is still there after pci-detach"
note "b: attach again after the detach"
hv pci-attach pb 0000:00:01.0 || fail "pci-attach again"
out=$(guest_run pb 60 'p=/sys/module/edu_test/parameters; n=0; until [ "$(cat $p/probed)" = 2 ]; do n=$((n+1)); [ $n -gt 150 ] && break; sleep 0.2; done; cat $p/probed $p/fact12')
[ "$out" = "$(printf '2\n479001600')" ] || fail "pb: edu_test did not probe again after the reattach ('$out')"
hv destroy pb || fail "destroy pb"
wait_for 20 gone pb || fail "pb left"
# pciback lets go once the backend's teardown reaches it, after the domain
# is gone from hv list: look for handlers only when it has.
wait_for 20 pciback_released $EDU || fail "pciback did not take edu back from pb"
# Every domain edu went to is gone (one with MSI on): no INTx handler left.
grep "^ *[0-9]*:.*pciback-intx" /proc/interrupts &&
	{ cat /sys/bus/pci/drivers/pciback/irq_handlers; fail "dom0: a pciback-intx handler is left"; }
rmmod pciback || fail "rmmod pciback"
true
