# SPDX-License-Identifier: GPL-2.0-only
# Ballooning end to end. A 512 MiB domU loads balloon.ko and dirties most of
# its memory (a file in tmpfs, then removed: the pages stay backed on the
# host). hv mem-set takes it to 256 MiB: the guest gets there in bounded
# time, hv list, sysfs and /proc/xen/balloon agree, and the VMM's memfd
# (its allocated blocks, read from dom0) shrinks by at least 200 MiB. Back
# to 512 MiB, the guest can fill 380 MiB of tmpfs again.
#
#   dom0: hv mem-set --> store memory/target --> domU balloon.ko
#         hv.ko <-- decrease_reservation / populate_physmap (punch/fill memfd)
MIB=1024
cfg=$(mkcfg bal shell "memory = 512")
hv create "$cfg" || fail "create"
wait_init bal
domid=$(domain_field bal 2)
guest_run bal 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded in the domU"
guest_run bal 30 'n=0; until dmesg | grep -q "hvx_core: store ready"; do n=$((n+1)); [ $n -gt 100 ] && exit 1; sleep 0.2; done' ||
	fail "the domU's kernel never reached the store"
# The distro kernel's own Xen balloon registers xen_memory only under Xen.
out=$(guest_run bal 20 'ls /sys/devices/system/ | grep -c xen_memory')
[ "$out" = 0 ] || fail "xen_memory exists before balloon.ko loads: $out"
guest_run bal 40 'modprobe balloon && dmesg | grep "balloon: initialised"' ||
	fail "balloon.ko did not load"
[ "$(xenstore-read /local/domain/$domid/memory/target)" = $((512 * MIB)) ] ||
	fail "memory/target is not 512 MiB"
[ "$(xenstore-read /local/domain/$domid/memory/static-max)" = $((512 * MIB)) ] ||
	fail "memory/static-max is not 512 MiB"

# memfd_kib: the allocated size of the VMM's guest-RAM memfd, in KiB.
memfd_kib() {
	local pid fd
	pid=$(vmm_pids | head -n 1)
	for fd in /proc/"$pid"/fd/*; do
		case $(readlink "$fd") in
		*memfd:hv-guest-ram*)
			echo $(($(stat -L -c %b "$fd") / 2))
			return 0 ;;
		esac
	done
	return 1
}

guest_run bal 120 'mount -o remount,size=440m /tmp && dd if=/dev/zero of=/tmp/fill bs=1M count=380 2>&1 | tail -n 1 && rm /tmp/fill' ||
	fail "the guest could not dirty 380 MiB"
before=$(memfd_kib) || fail "no guest-RAM memfd found in the VMM's fds"
note "memfd allocated before: $((before / MIB)) MiB"
[ "$before" -ge $((350 * MIB)) ] || fail "the guest's 380 MiB did not reach the memfd ($before KiB)"

t0=$(cut -d' ' -f1 /proc/uptime)
hv mem-set bal 256 || fail "hv mem-set bal 256"
[ "$(xenstore-read /local/domain/$domid/memory/target)" = $((256 * MIB)) ] ||
	fail "mem-set did not write memory/target"
wait_for 60 sh -c "[ \"\$(hv list bal | awk 'NR == 2 {print \$3}')\" = 256 ]" ||
	{ hv list; guest_run bal 20 'cat /proc/xen/balloon; dmesg | grep balloon | tail -5'; fail "not at 256 MiB within 60 s"; }
t1=$(cut -d' ' -f1 /proc/uptime)
note "512 -> 256 MiB in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s"
after=$(memfd_kib)
note "memfd allocated after: $((after / MIB)) MiB"
[ $((before - after)) -ge $((200 * MIB)) ] ||
	fail "the host got back only $(((before - after) / MIB)) MiB"

out=$(guest_run bal 20 'cat /sys/devices/system/xen_memory/xen_memory0/info/current_kb /sys/devices/system/xen_memory/xen_memory0/target_kb; cat /proc/xen/balloon')
echo "$out"
echo "$out" | sed -n 1p | grep -qx $((256 * MIB)) || fail "sysfs current_kb is not 256 MiB"
echo "$out" | sed -n 2p | grep -qx $((256 * MIB)) || fail "sysfs target_kb is not 256 MiB"
echo "$out" | grep -q "^Current allocation: *$((256 * MIB)) kB" || fail "/proc/xen/balloon current"
echo "$out" | grep -q "^Requested target: *$((256 * MIB)) kB" || fail "/proc/xen/balloon target"
echo "$out" | grep -q "^Low-mem balloon: *$((256 * MIB)) kB" || fail "/proc/xen/balloon low-mem balloon"
echo "$out" | grep -q "^Xen hard limit: *$((512 * MIB)) kB" || fail "/proc/xen/balloon hard limit"

hv mem-set bal 512m || fail "hv mem-set bal 512m"
wait_for 60 sh -c "[ \"\$(hv list bal | awk 'NR == 2 {print \$3}')\" = 512 ]" ||
	{ hv list; fail "not back at 512 MiB within 60 s"; }
guest_run bal 120 'dd if=/dev/zero of=/tmp/fill bs=1M count=380 2>&1 | tail -n 1 && rm /tmp/fill && grep -q "^Current allocation: *524288 kB" /proc/xen/balloon' ||
	fail "the guest cannot use its memory again"
[ "$(memfd_kib)" -ge $((350 * MIB)) ] || fail "the guest's memory is not backed again"
hv destroy bal
wait_for 20 gone bal || fail "bal did not go"
