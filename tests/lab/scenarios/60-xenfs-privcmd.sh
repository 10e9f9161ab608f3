# SPDX-License-Identifier: GPL-2.0-only
# xenfs without the store: "mount -t xenfs xenfs /proc/xen" in dom0 and in a
# domU (whose init mounts it once udev has loaded the core); capabilities
# says control_d in dom0 only; privcmd-probe makes hypercalls through
# /proc/xen/privcmd in both (a domU only for itself) and through
# /dev/xen/privcmd; every port it opened is closed once it exits.
grep -q '^hvx_xenfs ' /proc/modules || fail "hvx_xenfs is not loaded in dom0"
grep -q ' /proc/xen xenfs ' /proc/mounts ||
	mount -t xenfs xenfs /proc/xen || fail "dom0: mount -t xenfs xenfs /proc/xen"
ls /proc/xen
[ "$(cat /proc/xen/capabilities)" = control_d ] || fail "dom0: capabilities is not control_d"
[ -c /dev/xen/privcmd ] || fail "dom0: no /dev/xen/privcmd"
privcmd-probe > /lab/scratch/privcmd-dom0.out 2>&1
status=$?
grep '^--' /lab/scratch/privcmd-dom0.out
grep -c '^PASS' /lab/scratch/privcmd-dom0.out | sed 's/^/-- dom0 checks passed: /'
grep '^FAIL' /lab/scratch/privcmd-dom0.out
[ $status -eq 0 ] || fail "privcmd-probe in dom0"
privcmd-probe /dev/xen/privcmd > /lab/scratch/privcmd-dev.out 2>&1 ||
	{ grep '^FAIL' /lab/scratch/privcmd-dev.out; fail "privcmd-probe on /dev/xen/privcmd"; }

hv create "$(mkcfg xfs shell)" || fail "create"
wait_init xfs
guest_run xfs 40 "$GUEST_WAIT_CORE" || fail "hvx_core was not loaded by udev in the domU"
out=$(guest_run xfs 30 'grep " /proc/xen " /proc/mounts; ls /proc/xen; echo "caps=[$(cat /proc/xen/capabilities)]"')
echo "$out"
echo "$out" | grep -q '^xenfs /proc/xen xenfs' || fail "domU: xenfs is not mounted at /proc/xen"
echo "$out" | grep -q '^caps=\[\]$' || fail "domU: capabilities is not empty"
echo "$out" | grep -q xsd_ && fail "domU: xsd_kva/xsd_port exist outside dom0"
out=$(guest_run xfs 60 'privcmd-probe')
status=$?
echo "$out" | grep '^--'
echo "$out" | grep -c '^PASS' | sed 's/^/-- domU checks passed: /'
echo "$out" | grep '^FAIL'
[ $status -eq 0 ] || fail "privcmd-probe in the domU"
# Unmounted and unloaded, /proc/xen goes; loaded again, it mounts again.
# A mount, or an open privcmd file, keeps the module in.
out=$(guest_run xfs 40 'rmmod hvx_xenfs 2>/dev/null && echo "unloaded while mounted"
	umount /proc/xen && rmmod hvx_xenfs && [ ! -e /proc/xen ] && echo unloaded
	modprobe hvx_xenfs && mount -t xenfs xenfs /proc/xen && ls /proc/xen | tr "\n" " "; echo
	sleep 3 < /proc/xen/privcmd & sleep 1
	umount /proc/xen 2>/dev/null && echo "unmounted while open"; wait
	grep " /proc/xen " /proc/mounts')
echo "$out"
echo "$out" | grep -q 'while' && fail "domU: the module or the mount went while in use"
echo "$out" | grep -q '^unloaded$' || fail "domU: cannot unmount and unload xenfs"
echo "$out" | grep -q '^capabilities privcmd xenbus $' || fail "domU: xenfs did not come back"
echo "$out" | grep -q '^xenfs /proc/xen' || fail "domU: xenfs is no longer mounted"
hv destroy xfs
wait_for 30 gone xfs || fail "xfs not destroyed"
counters_zero || fail "hv.ko holds something after the probes"
