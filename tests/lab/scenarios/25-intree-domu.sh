# SPDX-License-Identifier: GPL-2.0-only
# The in-tree domU kernel (make check-kernel: Debian's linux-source-6.1,
# tinyconfig + kernel-configs/domU.config, the suite built in, no module
# support at all) boots under hv with the default initramfs: the core is
# up with no module loaded, xenfs is mounted, a login works on hvc0, the
# guest reads its own store nodes through its kernel, and hv shutdown goes
# through control/shutdown and ends the domain (the kernel's orderly
# poweroff, then ACPI). Prints the time to init beside Debian's kernel.
# Skipped (exit 77, counted as skipped) in a lab without that kernel
# (plain make check); make check-kernel stages it and fails a skip.
K=/lab/domU/vmlinuz-intree
if [ ! -f "$K" ]; then
	note "skipped: no in-tree domU kernel in this lab (make check-kernel stages one)"
	exit 77
fi

# up_secs NAME ACTION: seconds from hv create to the guest's init marker (same
# initramfs, 192 MiB, 1 vCPU), printed for docs/in-tree.md.
up_secs() {
	local t0 t1
	t0=$(cut -d' ' -f1 /proc/uptime)
	hv create "$(mkcfg "$1" "$2")" > /dev/null || fail "create $1"
	wait_init "$1"
	t1=$(cut -d' ' -f1 /proc/uptime)
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}'
}
HV_DOMU_KERNEL=/lab/domU/vmlinuz
stock=$(up_secs stock halt)
hv destroy stock
wait_for 30 gone stock || fail "stock not destroyed"
HV_DOMU_KERNEL=$K
intree=$(up_secs intree shell)
note "hv create to init: in-tree kernel ${intree}s ($(($(stat -c %s "$K") / 1024)) KiB), Debian's ${stock}s ($(($(stat -c %s /lab/domU/vmlinuz) / 1024)) KiB)"
domid=$(domain_field intree 2)

# The kernel is not Debian's and loads no module: the suite is built in.
out=$(guest_run intree 40 "$GUEST_WAIT_CORE"'
	echo "release=$(uname -r)"; [ -e /proc/modules ] && echo has-modules
	grep " /proc/xen " /proc/mounts
	echo "irqs=$(grep -c " hvx-evtchn " /proc/interrupts)"') ||
	{ echo "$out"; fail "the core is not up in the in-tree domU"; }
echo "$out"
rel=$(echo "$out" | sed -n 's/^release=//p')
note "in-tree domU kernel $rel"
[ -n "$rel" ] && [ "$rel" != "$(uname -r)" ] ||
	fail "the domU runs dom0's (Debian's) kernel, not the in-tree one"
echo "$out" | grep -q '^has-modules' && fail "the in-tree domU kernel has module support"
echo "$out" | grep -q '^xenfs /proc/xen xenfs' || fail "xenfs (built in) is not mounted at /proc/xen"
irqs=$(echo "$out" | sed -n 's/^irqs=//p')
[ "$irqs" -ge 2 ] 2>/dev/null ||
	fail "$irqs event channels bound as IRQs (want the store's and the console's)"

# The store through the guest's own kernel (xenfs's xenbus file).
out=$(guest_run intree 40 'xenstore-read name; xenstore-read domid;
	xenstore-write data/intree yes && xenstore-read data/intree')
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = intree ] || fail "the domU read its name wrong"
[ "$(echo "$out" | sed -n 2p)" = "$domid" ] || fail "the domU read its domid wrong"
[ "$(xenstore-read /local/domain/$domid/data/intree)" = yes ] ||
	fail "dom0 does not see the domU's write"

# hv shutdown: through control/shutdown, and the guest powers itself off.
wait_for 30 sh -c "[ \"\$(xenstore-read /local/domain/$domid/control/feature-poweroff)\" = 1 ]" ||
	fail "the kernel never wrote control/feature-poweroff"
out=$(hv shutdown intree) || fail "hv shutdown"
echo "$out"
echo "$out" | grep -q 'control/shutdown' || fail "hv shutdown did not go through the store"
wait_for 60 gone intree || fail "the in-tree domU did not power off after hv shutdown"
grep -qi "power" /var/log/hv/vmm-intree.log || fail "the VMM log does not say the guest powered off"

# A login on hvc0 (the console ring, console=hvc0): root, then a command
# whose answer shows in the console log.
cfg=$(mkcfg intree-tty login)
sed -i 's/console=ttyS0/console=ttyS0 console=hvc0/' "$cfg"
hv create "$cfg" || fail "create intree-tty"
wait_init intree-tty
log=$(guest_log intree-tty)
wait_for 40 log_has intree-tty "login:" || fail "no login prompt on hvc0"
hvc_type() {	# hvc_type COMMAND PATTERN, as in 42-hvc-login
	( sleep 1
	  n=0
	  while [ $n -lt 10 ] && ! grep -q -- "$2" "$log"; do
		echo "$1"
		sleep 3
		n=$((n + 1))
	  done ) | timeout 45 hv console intree-tty > /dev/null
	grep -q -- "$2" "$log"
}
hvc_type root '~ # ' || fail "login as root on hvc0 failed"
hvc_type 'echo intree-says-$((6 * 7)) on $(tty)' "intree-says-42 on /dev/hvc0" ||
	fail "no answer from a shell on hvc0"
hv destroy intree-tty
wait_for 30 gone intree-tty || fail "intree-tty not destroyed"
counters_zero || fail "hv.ko still holds something for a dead domain"
