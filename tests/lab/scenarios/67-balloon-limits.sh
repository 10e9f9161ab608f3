# SPDX-License-Identifier: GPL-2.0-only
# maxmem above memory, the ceiling, bad targets, the host floor and memory
# pressure. The domU boots with memory = 256, maxmem = 384: its RAM layout
# is 384 MiB (Xen's way) and balloon.ko, there from boot, takes it down to
# memory/target at once; it can grow to 384 MiB and no further. Bad sizes are refused by hv, a bad
# memory/target in the store is ignored by the guest, and a guest whose
# memory is full of tmpfs is not ballooned into OOM: the driver stops short
# and says so, and goes down once memory is free.
MIB=1024
cur() { hv list lim | awk 'NR == 2 {print $3}'; }
cfg=$(mkcfg lim shell "memory = 256" "maxmem = 384")
hv create "$cfg" || fail "create"
wait_init lim
domid=$(domain_field lim 2)
[ "$(xenstore-read /local/domain/$domid/memory/static-max)" = $((384 * MIB)) ] ||
	fail "memory/static-max is not maxmem"
guest_run lim 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded in the domU"
# The guest boots on its whole layout; balloon.ko, loaded with the core at
# boot, takes it down to memory/target with nobody asking.
wait_for 30 sh -c "[ \"\$(hv list lim | awk 'NR == 2 {print \$3}')\" = 256 ]" ||
	fail "the balloon did not take the guest to memory = 256 at boot ($(cur))"
guest_run lim 20 'dmesg | grep "BIOS-e820: .* usable" | tail -n 1; cat /proc/xen/balloon' > "$SCRATCH/lim-boot"
cat "$SCRATCH/lim-boot"
end=$(sed -n 's/.*BIOS-e820: \[mem 0x[0-9a-f]*-0x\([0-9a-f]*\)\] usable.*/\1/p' "$SCRATCH/lim-boot")
[ -n "$end" ] && [ $(((0x$end + 1) >> 20)) = 384 ] ||
	fail "the guest's e820 map does not end at maxmem = 384 MiB (0x$end)"
grep -q "^Xen hard limit: *$((384 * MIB)) kB" "$SCRATCH/lim-boot" || fail "hard limit is not maxmem"

hv mem-set lim 384 || fail "mem-set to maxmem"
wait_for 30 sh -c "[ \"\$(hv list lim | awk 'NR == 2 {print \$3}')\" = 384 ]" ||
	fail "the guest did not grow to maxmem ($(cur))"

# refused SIZE PATTERN: hv mem-set lim SIZE fails and says PATTERN.
refused() {
	local out
	out=$(hv mem-set lim "$1" 2>&1) && fail "mem-set $1 accepted"
	echo "$out" | grep -q -- "$2" || fail "mem-set $1: no '$2' in: $out"
}
refused 385 "above the maxmem"
refused 1g "above the maxmem"
refused -1 "not a size"
refused lots "not a size"
refused 1.5g "unknown unit"
refused 99999999999999999999 "too large"
hv mem-max lim 320 || fail "mem-max 320"
refused 384 "above the maxmem.*320 MiB"
out=$(hv mem-max lim 512 2>&1) && fail "mem-max above the layout accepted"
echo "$out" | grep -q "RAM layout, 384 MiB" || fail "mem-max 512: $out"
out=$(hv mem-max lim -5 2>&1) && fail "mem-max -5 accepted"
hv mem-max lim 384 || fail "mem-max back to 384"
[ "$(xenstore-read /local/domain/$domid/memory/static-max)" = $((384 * MIB)) ] ||
	fail "mem-max did not write memory/static-max"
[ "$(cur)" = 384 ] || fail "refused requests changed the guest ($(cur))"

# A bad target written straight into the store: the guest ignores it.
for bad in lots -1 99999999999999999999999 ""; do
	xenstore-write /local/domain/$domid/memory/target "$bad" || fail "xenstore-write"
done
sleep 2
guest_run lim 20 'dmesg | grep -c "balloon: ignoring memory/target"' | grep -qx '[1-9]' ||
	fail "the guest did not report the bad targets"
[ "$(cur)" = 384 ] || fail "a bad store target moved the guest ($(cur))"

# The guest's own knobs: /proc/xen/balloon (bytes) and sysfs target_kb.
S=/sys/devices/system/xen_memory/xen_memory0
guest_run lim 20 'echo 300M > /proc/xen/balloon' || fail "writing /proc/xen/balloon"
wait_for 30 sh -c "[ \"\$(hv list lim | awk 'NR == 2 {print \$3}')\" = 300 ]" ||
	fail "a target written to /proc/xen/balloon was not reached ($(cur))"
guest_run lim 20 "echo $((384 * MIB)) > $S/target_kb" || fail "writing target_kb"
wait_for 30 sh -c "[ \"\$(hv list lim | awk 'NR == 2 {print \$3}')\" = 384 ]" ||
	fail "a target written to target_kb was not reached ($(cur))"
out=$(guest_run lim 20 "for v in lots -1 1.5G ''; do echo \"\$v\" > /proc/xen/balloon 2>/dev/null && echo took-proc; echo \"\$v\" > $S/target_kb 2>/dev/null && echo took-kb; echo \"\$v\" > $S/target 2>/dev/null && echo took-bytes; done; cat $S/target_kb")
[ "$out" = $((384 * MIB)) ] || fail "bad targets in the guest were taken: $out"

# Below the safe floor: a warning, and the request stands.
out=$(hv mem-set lim 70 2>&1) || fail "mem-set 70 refused: $out"
echo "$out" | grep -q "warning: .*safe floor" || fail "no warning below the safe floor: $out"
hv mem-set lim 384 || fail "mem-set back to 384"
wait_for 30 sh -c "[ \"\$(hv list lim | awk 'NR == 2 {print \$3}')\" = 384 ]" ||
	fail "not back at 384 after the low target ($(cur))"

# Memory pressure: 200 MiB of tmpfs the guest cannot drop, then a target
# of 128 MiB: the driver stops short, no OOM, and the guest still works.
guest_run lim 120 'mount -o remount,size=220m /tmp && dd if=/dev/zero of=/tmp/fill bs=1M count=200 2>&1 | tail -n 1' ||
	fail "could not fill tmpfs"
hv mem-set lim 128 2>/dev/null || fail "mem-set 128"
wait_for 30 sh -c "hv list lim | awk 'NR == 2 {exit !(\$3 < 384)}'" || true
sleep 5
out=$(guest_run lim 30 'echo alive; dmesg | grep -c "guest cannot spare memory"; dmesg | grep -ci "out of memory"')
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = alive ] || fail "the guest under pressure does not answer"
[ "$(echo "$out" | sed -n 2p)" -ge 1 ] 2>/dev/null || fail "the driver did not report stopping short"
[ "$(echo "$out" | sed -n 3p)" = 0 ] || fail "the guest went OOM"
[ "$(cur)" -gt 200 ] || fail "the guest was ballooned below its tmpfs ($(cur) MiB)"
note "under pressure the guest stopped at $(cur) MiB"
# Once memory is free it goes down (to 160 MiB: at 128 the guest's own
# reserve of 32 MiB free memory stops the driver a few MiB short).
guest_run lim 30 'rm /tmp/fill' || fail "rm"
hv mem-set lim 160 2>/dev/null || fail "mem-set 160"
wait_for 40 sh -c "[ \"\$(hv list lim | awk 'NR == 2 {print \$3}')\" = 160 ]" ||
	fail "not at 160 MiB once memory was free ($(cur))"
guest_run lim 20 'echo alive' | grep -qx alive || fail "the guest at 160 MiB does not answer"

# The host floor: hv.ko's dom0_mem (Xen's dom0_mem=, with dom0 never
# ballooned: enable-dom0-ballooning = no). Raised above what the host has
# free, no guest may populate: the guest stays where it is and says the
# hypervisor refused; nor is a domain created that would eat into it.
P=/sys/module/hv/parameters/dom0_mem
floor0=$(cat $P)
restore_floor() { echo "$floor0" > $P; }
refusals() { guest_run lim 20 'dmesg | grep -c "hypervisor refused memory"'; }
before=$(refusals)
avail=$(awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo)
echo $((avail + 64)) > $P || fail "cannot set $P"
hv mem-set lim 384 || { restore_floor; fail "mem-set 384 with the floor raised"; }
sleep 4
[ "$(cur)" = 160 ] || { restore_floor; fail "the guest populated into the host floor ($(cur))"; }
out=$(refusals)
[ "$out" -gt "$before" ] 2>/dev/null || { restore_floor; fail "the guest did not report the refusal: $before, then $out"; }
awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo > $P
out=$(hv create "$(mkcfg floor halt "memory = 128")" 2>&1) &&
	{ restore_floor; hv destroy floor; fail "a domain was created inside the host floor"; }
echo "$out" | grep -q "more memory than the host has" || { restore_floor; fail "hv create inside the floor: $out"; }
restore_floor
# Back above the floor, a new target is reached.
hv mem-set lim 384 || fail "mem-set 384 with the floor back"
wait_for 30 sh -c "[ \"\$(hv list lim | awk 'NR == 2 {print \$3}')\" = 384 ]" ||
	fail "not at 384 MiB once the floor was back at $floor0 MiB ($(cur))"
hv mem-set lim 160 || fail "mem-set 160"
wait_for 30 sh -c "[ \"\$(hv list lim | awk 'NR == 2 {print \$3}')\" = 160 ]" ||
	fail "not at 160 MiB again ($(cur))"

# Unloading the balloon gives the guest all its pages again, and its files go.
out=$(guest_run lim 60 'rmmod balloon && ls /proc/xen/ && { ls /sys/devices/system/ | grep -c xen_memory; true; }') ||
	fail "rmmod balloon: $out"
echo "$out" | grep -q "^balloon$" && fail "/proc/xen/balloon outlived the module"
[ "$(echo "$out" | tail -n 1)" = 0 ] || fail "xen_memory outlived the module"
[ "$(cur)" = 384 ] || fail "unloading did not populate the balloon's pages again ($(cur))"
guest_run lim 30 'modprobe balloon && cat /proc/xen/balloon' | grep -q "^Requested target: *$((160 * MIB)) kB" ||
	fail "balloon.ko does not load again with the store's target"
wait_for 30 sh -c "[ \"\$(hv list lim | awk 'NR == 2 {print \$3}')\" = 160 ]" ||
	fail "the reloaded balloon did not go to the target ($(cur))"
hv destroy lim
wait_for 20 gone lim || fail "lim did not go"
