# SPDX-License-Identifier: GPL-2.0-only
# The store through /proc/xen/xenbus (and /dev/xen/xenbus) in dom0 and in a
# domU, with Xen's wire messages (xenbus-file-probe run): reads, writes,
# directories, messages in pieces, two in one write, watches with the
# process's tokens, transactions (a foreign id refused, ten per file, those
# left open aborted when the file closes).
grep -q ' /proc/xen xenfs ' /proc/mounts ||
	mount -t xenfs xenfs /proc/xen || fail "dom0: mount -t xenfs xenfs /proc/xen"
[ -e /proc/xen/xenbus ] || fail "dom0: no /proc/xen/xenbus (a core without the store?)"
[ -c /dev/xen/xenbus ] || fail "dom0: no /dev/xen/xenbus"
hv create "$(mkcfg xbf shell)" || fail "create"
wait_init xbf
domid=$(domain_field xbf 2)
store_up() {
	timeout 5 xenbus-file-probe read /local/domain >/dev/null 2>&1
}
wait_for 60 store_up || fail "the store does not answer through /proc/xen/xenbus"

probe() {	# NAME ARGS...: run the probe in dom0, show its summary
	local name=$1 out=/lab/scratch/$1.out status
	shift
	"$@" > "$out" 2>&1
	status=$?
	grep -c '^PASS' "$out" | sed "s/^/-- $name checks passed: /"
	grep '^FAIL' "$out"
	[ $status -eq 0 ] || { tail -n 5 "$out"; fail "$name"; }
}
probe xenbus-dom0 xenbus-file-probe run /tool/xenbus-file-probe
probe xenbus-dev env XENBUS_FILE=/dev/xen/xenbus xenbus-file-probe run /tool/xenbus-file-probe-dev

guest_run xbf 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
xenbus-file-probe give "$domid" "/local/domain/$domid/data/xfp" ||
	fail "cannot give the domU a store directory"
out=$(guest_run xbf 180 "xenbus-file-probe run /local/domain/$domid/data/xfp/run")
status=$?
echo "$out" | grep -c '^PASS' | sed 's/^/-- domU checks passed: /'
echo "$out" | grep '^FAIL'
[ $status -eq 0 ] || { echo "$out" | tail -n 5; fail "xenbus-file-probe in the domU"; }
hv destroy xbf
wait_for 30 gone xbf || fail "xbf not destroyed"
counters_zero || fail "hv.ko holds something after the probes"
