# SPDX-License-Identifier: GPL-2.0-only
# A hostile frontend against blkback. The guest loads tests/kmod/blkhostile
# for xvdb (virtual-device 51728) before blkfront, so blkfront serves xvda
# and the hostile module drives xvdb: requests with too many or no
# segments, sectors outside the page or the disk, wrapping ranges, bad and
# revoked grants, unknown and nested-indirect operations, 64-segment
# indirect reads with a bad grant early, late or last, writes to a
# read-only disk, a request rewritten after publishing, and finally a
# req_prod far past the ring. blkback must answer each bad request with
# an error, serve the good ones, disconnect the flooded ring, keep serving
# xvda, and leak nothing (no grant mapped once the domain is gone); dom0's
# kernel must log no BUG or WARNING.
#
#   domU: blkfront  -- xvda (d.img) --\
#         blkhostile -- xvdb (h.img, then ro.img read-only) --> blkback (dom0)
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"
img=$SCRATCH/blk75
rm -rf "$img" && mkdir -p "$img"
truncate -s 16M "$img/d.img" "$img/h.img" "$img/ro.img"
dmesg_before=$(dmesg | grep -cE "BUG|WARNING|Oops")

hv create "$(mkcfg hostile shell)" || fail "create"
wait_init hostile
domid=$(domain_field hostile 2)
be=/local/domain/0/backend/vbd/$domid
guest_run hostile 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
guest_run hostile 30 'modprobe blkhostile devid=51728 && modprobe blkfront' ||
	fail "loading blkhostile and blkfront in the guest"
hv block-attach hostile "file:$img/d.img,xvda,w" || fail "block-attach xvda"
hv block-attach hostile "file:$img/h.img,xvdb,w" || fail "block-attach xvdb"
wait_for 30 sh -c "[ \$(xenstore-read $be/51712/state) = 4 ] && [ \$(xenstore-read $be/51728/state) = 4 ]" ||
	{ xenstore-ls -f "$be"; fail "the disks did not connect"; }

run_hostile() {
	guest_run hostile 120 'echo 1 > /sys/module/blkhostile/parameters/run
		p=/sys/module/blkhostile/parameters; echo "$(cat $p/passed) $(cat $p/failed) $(cat $p/verdict)"'
}
note "hostile requests on a writable disk"
out=$(run_hostile) || { echo "$out"; fail "running the hostile cases"; }
echo "$out"
echo "$out" | grep -q ' 0 ok$' || { dmesg | tail -20; fail "blkback answered a hostile request wrongly: $out"; }
# Every case ran: 20 (the four 64-segment indirect reads need blkback's
# feature-max-indirect-segments, 256 by default).
echo "$out" | awk '{ exit !($1 >= 20) }' || fail "only $out cases passed: some did not run"

note "the same on a read-only disk"
hv block-detach hostile xvdb || fail "block-detach xvdb"
hv block-attach hostile "file:$img/ro.img,xvdb,r" || fail "block-attach read-only xvdb"
wait_for 30 sh -c "[ \$(xenstore-read $be/51728/state) = 4 ]" || fail "read-only xvdb did not connect"
out=$(run_hostile) || { echo "$out"; fail "running the hostile cases (read-only)"; }
echo "$out"
echo "$out" | grep -q ' 0 ok$' || fail "read-only disk: $out"
[ "$(cat /sys/bus/hvx-backend/devices/vbd-$domid-51728/statistics/wr_req)" = 0 ] ||
	fail "a write reached the read-only disk"

note "req_prod far past the ring: blkback disconnects that ring only"
guest_run hostile 30 'echo 1 > /sys/module/blkhostile/parameters/flood' || fail "flood"
wait_for 20 sh -c "[ \$(xenstore-read $be/51728/state) -ge 5 ]" ||
	fail "blkback did not disconnect the flooded ring (state $(xenstore-read $be/51728/state))"
[ "$(xenstore-read $be/51712/state)" = 4 ] || fail "xvda was disconnected too"
out=$(guest_run hostile 60 'dd if=/dev/urandom of=/tmp/x bs=1M count=4 2>/dev/null
	dd if=/tmp/x of=/dev/xvda bs=1M oflag=direct 2>/dev/null
	[ "$(sha256sum < /tmp/x)" = "$(dd if=/dev/xvda bs=1M count=4 iflag=direct 2>/dev/null | sha256sum)" ] && echo xvda=ok') ||
	fail "xvda after the flood: $out"
echo "$out" | grep -q xvda=ok || fail "xvda does not serve after the flood: $out"
hv destroy hostile || fail "destroy"
wait_for 20 sh -c "! xenstore-read $be >/dev/null 2>&1" || fail "backend directories left"
wait_for 20 sh -c '[ "$(. /lab/tests/lib.sh; hv_counter nr_grant_maps)" = 0 ]' ||
	fail "dom0 still maps $(hv_counter nr_grant_maps) grants of the dead domain"
[ "$(dmesg | grep -cE "BUG|WARNING|Oops")" = "$dmesg_before" ] ||
	{ dmesg | grep -E -A5 "BUG|WARNING|Oops" | tail -30; fail "dom0's kernel complained"; }
wait_for 20 sh -c "! /usr/sbin/losetup -a | grep -q '$img'" || fail "a loop device outlived the domain"
rm -rf "$img"
exit 0
