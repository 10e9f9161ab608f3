# SPDX-License-Identifier: GPL-2.0-only
# demo.sh: what `make demo` shows, run in the lab's dom0: a stock Debian
# kernel booting as a domU under hv (its boot replayed when the console
# attaches), commands typed on its console, and a clean shutdown. Every command is echoed before it runs.
. /lab/tests/lib.sh
show() { echo; echo "dom0# $*"; "$@"; }

cat > /lab/scratch/demo.cfg <<CFG
# an xl.cfg-style domain configuration
name = "demo"
memory = 256
vcpus = 2
kernel = "$HV_DOMU_KERNEL"
ramdisk = "$HV_DOMU_INITRD"
extra = "console=ttyS0 hv.test=shell"
on_poweroff = "destroy"
CFG
show cat /lab/scratch/demo.cfg
show hv info
show hv create /lab/scratch/demo.cfg || fail "hv create"
wait_init demo
show hv list
echo
echo "dom0# hv console demo     (typing: uname -a; nproc; free -m; xenstore-read name; then Ctrl-])"
(sleep 2; printf 'uname -a; nproc; free -m; xenstore-read name\n'; sleep 4; printf '\035') |
	timeout 30 hv console demo
echo
echo "(the boot above was replayed from the VMM's console backlog; the whole"
echo " console is also in $(guest_log demo): $(wc -l < "$(guest_log demo)") lines)"
show xenstore-ls "/local/domain/$(domain_field demo 2)"
show hv shutdown demo
wait_for 60 gone demo || fail "demo did not power off"
show hv list
