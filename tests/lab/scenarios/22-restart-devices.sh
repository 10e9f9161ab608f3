# SPDX-License-Identifier: GPL-2.0-only
# A domain's devices follow its life, as with xl: a guest that reboots
# with on_reboot=restart comes back under a new domid with its disk (the
# data it wrote before the reboot) and its vif; the old domid's backend
# directories are gone. A guest that powers off, and a domain hv destroy
# ends, leave no backend directory and no loop device behind.
lsmod | grep -q '^blkback ' || insmod /lab/modules/blkback.ko || fail "insmod blkback"
net_setup
[ -e /dev/loop-control ] || modprobe loop || fail "modprobe loop"
img=$SCRATCH/rs22
rm -rf "$img" && mkdir -p "$img"
truncate -s 16M "$img/d.img"
loops_before=$(/usr/sbin/losetup -a | wc -l)
BE=/local/domain/0/backend

# backends_of DOMID: the backend types that still have DOMID's directory.
backends_of() {
	for t in $(xenstore-list $BE 2>/dev/null); do
		xenstore-exists "$BE/$t/$1" 2>/dev/null && echo "$t"
	done
}

cfg=$(mkcfg rs shell 'on_reboot = "restart"' "disk = [ 'file:$img/d.img,xvda,w' ]" \
	"vif = [ 'bridge=xenbr0,mac=00:16:3e:22:00:01' ]")
hv create "$cfg" || fail "create"
wait_init rs
first=$(domain_field rs 2)
[ "$(backends_of "$first" | sort | tr '\n' ' ')" = "vbd vif " ] ||
	fail "domain $first's backends: $(backends_of "$first")"
word=restart-$$-$(cut -d' ' -f1 /proc/uptime)
guest_run rs 60 "n=0; until [ -b /dev/xvda ]; do n=\$((n+1)); [ \$n -gt 150 ] && exit 1; sleep 0.2; done
	echo $word | dd of=/dev/xvda bs=512 conv=fsync 2>/dev/null && sync" ||
	fail "the guest could not write its disk before the reboot"

note "guest reboot: the domain restarts with its devices"
guest_run rs 10 'reboot' > /dev/null
new_domid() {
	d=$(domain_field rs 2)
	[ -n "$d" ] && [ "$d" != "$first" ]
}
wait_for 60 new_domid || { hv list; fail "no new domid after the reboot (first $first)"; }
second=$(domain_field rs 2)
wait_init rs 90 2
wait_for 30 sh -c "[ \"\$(xenstore-read $BE/vbd/$second/51712/state)\" = 4 ] &&
	[ \"\$(xenstore-read $BE/vif/$second/0/state)\" = 4 ]" ||
	{ xenstore-ls -f $BE; tail -n 20 /var/log/hv/vmm-rs.log; fail "the restarted domain's disk and vif did not connect"; }
[ -z "$(backends_of "$first")" ] || fail "the old domid $first still has backends: $(backends_of "$first")"
out=$(guest_run rs 60 'n=0; until [ -b /dev/xvda ] && [ -e /sys/class/net/eth0 ]; do n=$((n+1)); [ $n -gt 150 ] && exit 1; sleep 0.2; done
	dd if=/dev/xvda bs=512 count=1 2>/dev/null | head -n 1; cat /sys/class/net/eth0/address') ||
	{ echo "$out"; fail "no xvda or eth0 after the restart"; }
echo "$out"
echo "$out" | grep -qx "$word" || fail "the disk lost what the guest wrote before its reboot"
echo "$out" | grep -qx "00:16:3e:22:00:01" || fail "eth0 has not the configured MAC after the restart"

note "guest poweroff: its backend directories and loop device go"
guest_run rs 10 'poweroff' > /dev/null
wait_for 60 gone rs || fail "the domain did not end after poweroff"
wait_for 20 sh -c "[ -z \"\$(xenstore-list $BE/vbd 2>/dev/null; xenstore-list $BE/vif 2>/dev/null)\" ]" ||
	{ xenstore-ls -f $BE; fail "backend directories left after poweroff"; }
wait_for 20 sh -c "[ \$(/usr/sbin/losetup -a | wc -l) -eq $loops_before ]" ||
	{ /usr/sbin/losetup -a; fail "a loop device is left after poweroff"; }

note "hv destroy: the same"
cfg=$(mkcfg rsd shell "disk = [ 'file:$img/d.img,xvda,w' ]" \
	"vif = [ 'bridge=xenbr0,mac=00:16:3e:22:00:02' ]")
hv create "$cfg" || fail "create rsd"
wait_init rsd
d=$(domain_field rsd 2)
wait_for 30 sh -c "[ \"\$(xenstore-read $BE/vif/$d/0/state)\" = 4 ]" || fail "rsd's vif did not connect"
hv destroy rsd || fail "destroy"
[ -z "$(backends_of "$d")" ] || fail "hv destroy left backends of $d: $(backends_of "$d")"
wait_for 20 sh -c "[ \$(/usr/sbin/losetup -a | wc -l) -eq $loops_before ]" ||
	{ /usr/sbin/losetup -a; fail "a loop device is left after hv destroy"; }
wait_for 20 counters_zero || fail "hv.ko still holds something for a dead domain"
