# SPDX-License-Identifier: GPL-2.0-only
# Ballooning end to end. A 512 MiB domU has balloon.ko from boot (every
# file of xen_memory0 and /proc/xen/balloon are there) and dirties most of
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
# balloon.ko comes with the core at boot (udev, the platform device's
# modalias), as a Xen guest has its balloon: nobody here loads it.
guest_run bal 30 'n=0; until dmesg | grep -q "balloon: following memory/target"; do n=$((n+1)); [ $n -gt 100 ] && exit 1; sleep 0.2; done; grep "^balloon " /proc/modules' ||
	{ guest_run bal 10 'dmesg | grep -e balloon -e hvx_xenfs'; fail "balloon.ko was not loaded at boot"; }
# Every file of xen_memory0 with Xen's names, and /proc/xen/balloon, from boot.
S=/sys/devices/system/xen_memory/xen_memory0
out=$(guest_run bal 20 "cd $S && for f in target_kb target info/current_kb info/low_kb info/high_kb schedule_delay max_schedule_delay retry_count max_retry_count scrub_pages; do echo \"\$f=\$(cat \$f)\"; done; ls -1 /proc/xen")
echo "$out"
for kv in target_kb=$((512 * MIB)) target=$((512 * MIB * 1024)) info/current_kb=$((512 * MIB)) \
	info/low_kb=0 info/high_kb=0 schedule_delay=1 max_schedule_delay=32 retry_count=1 \
	max_retry_count=16 scrub_pages=1 balloon; do
	echo "$out" | grep -qx "$kv" || fail "xen_memory0 or /proc/xen: no '$kv'"
done
# As Xen's: max_schedule_delay, max_retry_count and scrub_pages are set,
# schedule_delay and retry_count (the worker's state) are read-only, and
# bad values are refused (a longest delay of 0 s would spin).
out=$(guest_run bal 20 "cd $S && echo 64 > max_schedule_delay && echo 0 > max_retry_count && echo 0 > scrub_pages && echo \$(cat max_schedule_delay max_retry_count scrub_pages); for b in '2 > schedule_delay' '3 > retry_count' '0 > max_schedule_delay' 'x > max_retry_count' '-1 > max_retry_count' 'maybe > scrub_pages'; do sh -c \"echo \$b\" 2>/dev/null && echo \"took \$b\"; done; echo 32 > max_schedule_delay; echo 16 > max_retry_count; echo 1 > scrub_pages")
[ "$out" = "64 0 0" ] || fail "xen_memory0 tunables: $out"
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
