# SPDX-License-Identifier: GPL-2.0-only
# A dom0 process keeps a domU's frame mapped (as xenstored maps a store
# ring) while the domain is destroyed and its RAM memfd freed. The mapping
# holds its page: still readable and writable afterwards, freed at munmap,
# and the kernel sees nothing wrong (no "Bad page" report: a page of the
# memfd's cache mapped through another file once made the memfd's
# truncation drop a page that was still mapped).
go=/tmp/foreign-hold.go
out=/tmp/foreign-hold.out
rm -f $go $out
hv create "$(mkcfg held shell)" || fail "create"
domid=$(domain_field held 2)
wait_init held
d0=$(dmesg | wc -l)
n0=$(hv_counter nr_foreign_maps)	# xenstored maps the domain's store ring
foreign-hold "$domid" 0x100 $go > $out 2>&1 &
pid=$!
# stop PROBLEM: let the probe go before failing, so it holds nothing after.
stop() {
	touch $go
	wait $pid
	fail "$1"
}
wait_for 10 grep -q '^mapped' $out || stop "foreign-hold did not map: $(cat $out)"
n=$(hv_counter nr_foreign_maps)
[ "$n" = $((n0 + 1)) ] || stop "nr_foreign_maps $n with the probe, $n0 without"
hv destroy held || stop "destroy"
wait_for 20 gone held || stop "the domain stays"
# Time for the VMM's exit and hv.ko's last reference: the memfd goes.
sleep 3
touch $go
wait $pid || fail "foreign-hold: $(cat $out)"
grep -q '^ok' $out || fail "foreign-hold: $(cat $out)"
bad=$(dmesg | tail -n +$((d0 + 1)) | grep -E 'Bad page|BUG:')
[ -z "$bad" ] || fail "the kernel complained: $bad"
wait_for 10 counters_zero || fail "something of the domain stays held"
echo "-- the held frame outlived its domain; nothing reported"
