# SPDX-License-Identifier: GPL-2.0-only
# Bad messages through /proc/xen/xenbus, in dom0 and in a domU
# (xenbus-file-probe hostile): payload lengths over 4096, unknown and
# reply-only types, RESET_WATCHES, paths without a NUL or too long, bad
# WATCH payloads, a foreign transaction, too many watches, a reader that
# never reads, half a message and a close. Each gets an error reply or a
# failed write; both kernels stay up and log no oops or warning.
grep -q ' /proc/xen xenfs ' /proc/mounts ||
	mount -t xenfs xenfs /proc/xen || fail "dom0: mount -t xenfs xenfs /proc/xen"
[ -e /proc/xen/xenbus ] || fail "dom0: no /proc/xen/xenbus (a core without the store?)"
hv create "$(mkcfg xbh shell)" || fail "create"
wait_init xbh
domid=$(domain_field xbh 2)
store_up() {
	timeout 5 xenbus-file-probe read /local/domain >/dev/null 2>&1
}
wait_for 60 store_up || fail "the store does not answer through /proc/xen/xenbus"
dmesg_before=$(dmesg | wc -l)

xenbus-file-probe hostile /tool/xenbus-file-hostile > /lab/scratch/hostile-dom0.out 2>&1
status=$?
grep '^--' /lab/scratch/hostile-dom0.out
grep -c '^PASS' /lab/scratch/hostile-dom0.out | sed 's/^/-- dom0 checks passed: /'
grep '^FAIL' /lab/scratch/hostile-dom0.out
[ $status -eq 0 ] || fail "xenbus-file-probe hostile in dom0"

guest_run xbh 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
xenbus-file-probe give "$domid" "/local/domain/$domid/data/xfp" ||
	fail "cannot give the domU a store directory"
guest_run xbh 20 'dmesg | wc -l > /tmp/dmesg-before' || fail "guest dmesg"
out=$(guest_run xbh 240 "xenbus-file-probe hostile /local/domain/$domid/data/xfp/h")
status=$?
echo "$out" | grep '^--'
echo "$out" | grep -c '^PASS' | sed 's/^/-- domU checks passed: /'
echo "$out" | grep '^FAIL'
[ $status -eq 0 ] || { echo "$out" | tail -n 5; fail "xenbus-file-probe hostile in the domU"; }
out=$(guest_run xbh 20 'dmesg | tail -n +$(($(cat /tmp/dmesg-before) + 1)) | grep -E "BUG|Oops|WARNING|general protection" | head -5')
[ -z "$out" ] || { echo "$out"; fail "the domU's kernel complained"; }
dmesg | tail -n +$((dmesg_before + 1)) | grep -E "BUG|Oops|WARNING|general protection" &&
	fail "dom0's kernel complained"
store_up || fail "the store no longer answers in dom0"
hv destroy xbh
wait_for 30 gone xbh || fail "xbh not destroyed"
counters_zero || fail "hv.ko holds something after the probes"
