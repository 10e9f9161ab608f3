# SPDX-License-Identifier: GPL-2.0-only
# Grant operations dom0 must be refused, with Xen's status for each
# (tests/kmod/evtping/grant_hostile.c): refs past the table, bad domids,
# never-granted, revoked and foreign-granted entries, writable use of a
# read-only entry, bad copy arguments, bad handles; the allowed read-only
# map and copy still work, and nothing stays mapped afterwards.
hv create "$(mkcfg hostile shell)" || fail "create"
wait_init hostile
domid=$(domain_field hostile 2)
out=$(guest_run hostile 60 "$GUEST_WAIT_CORE && modprobe evtping_front hcall_rounds=0 &&
	cd /sys/module/evtping_front/parameters &&
	echo ref=\$(cat ref) ro=\$(cat ro_ref) revoked=\$(cat revoked_ref) other=\$(cat other_ref)") ||
	fail "evtping_front: $out"
echo "$out"
field() { echo "$out" | sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
insmod /lab/modules/grant_hostile.ko domid="$domid" ref="$(field ref)" \
	ro_ref="$(field ro)" revoked_ref="$(field revoked)" other_ref="$(field other)"
status=$?
dmesg | grep 'grant_hostile:' | tail -n 30
[ $status -eq 0 ] || fail "grant_hostile found wrong statuses (insmod: $status)"
note "$(dmesg | grep 'grant_hostile:.*checks' | tail -n1 | sed 's/.*grant_hostile: //')"
rmmod grant_hostile
[ "$(hv_counter nr_grant_maps)" = 0 ] || fail "a hostile map stayed mapped"
# The guest still works, and its grants end at once: no copy or map left
# an entry in use (evtping_front logs "still in use" if one did).
out=$(guest_run hostile 30 'rmmod evtping_front && dmesg | grep -c "still in use"')
[ "$(echo "$out" | tail -n1)" = 0 ] || fail "rmmod evtping_front, or a grant left in use: $out"
hv destroy hostile
wait_for 30 gone hostile || fail "hostile not destroyed"
counters_zero || fail "hv.ko still holds something"
