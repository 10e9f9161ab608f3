# SPDX-License-Identifier: GPL-2.0-only
# dom0's store ring for xenstored: /proc/xen/xsd_port is a port number in
# decimal; /proc/xen/xsd_kva maps one shared page (private mappings, two
# pages and other offsets refused), and it is the ring the kernel talks
# through: a request through /proc/xen/xenbus moves its req_prod.
grep -q ' /proc/xen xenfs ' /proc/mounts ||
	mount -t xenfs xenfs /proc/xen || fail "dom0: mount -t xenfs xenfs /proc/xen"
[ -e /proc/xen/xsd_kva ] && [ -e /proc/xen/xsd_port ] ||
	fail "dom0: no xsd_kva/xsd_port (a core without the store?)"
store_up() {
	timeout 5 xenbus-file-probe read /local/domain >/dev/null 2>&1
}
if ! store_up; then
	# Nothing has started xenstored yet: a domain's creation does.
	hv create "$(mkcfg xsd halt)" || fail "create"
	wait_for 60 store_up || fail "the store does not answer through /proc/xen/xenbus"
	hv destroy xsd
	wait_for 30 gone xsd || fail "xsd not destroyed"
fi
xenbus-file-probe xsd > /lab/scratch/xsd.out 2>&1
status=$?
grep '^--' /lab/scratch/xsd.out
grep '^FAIL' /lab/scratch/xsd.out
[ $status -eq 0 ] || fail "xenbus-file-probe xsd"
