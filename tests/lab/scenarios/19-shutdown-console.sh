# SPDX-License-Identifier: GPL-2.0-only
# hv console carries input and output both ways; hv shutdown powers the
# guest off cleanly, as xl does: through control/shutdown once the guest's
# kernel says it takes it (control/feature-poweroff), and through the VMM
# (serial SysRq) for a guest without the core.
hv create "$(mkcfg talk shell)" || fail "create"
wait_init talk
domid=$(domain_field talk 2)
out=$( (sleep 2; echo 'echo console-says-$((6 * 7))'; sleep 3) | timeout 20 hv console talk)
echo "$out" | tail -n 5
echo "$out" | grep -q "console-says-42" || fail "no answer through hv console"
wait_for 30 sh -c "[ \"\$(xenstore-read /local/domain/$domid/control/feature-poweroff)\" = 1 ]" ||
	fail "the guest's kernel never wrote control/feature-poweroff"
out=$(hv shutdown talk) || fail "hv shutdown"
echo "$out"
echo "$out" | grep -q 'control/shutdown' || fail "hv shutdown did not go through the store"
wait_for 60 gone talk || fail "guest did not power off after hv shutdown"

# No core in the guest (hvx_core blacklisted, and the balloon, which
# shares the platform device's modalias and would pull the core in as its
# dependency): the VMM's SysRq path.
cfg=$(mkcfg bare shell)
sed -i 's/hv.test=shell/hv.test=shell modprobe.blacklist=hvx_core,balloon/' "$cfg"
hv create "$cfg" || fail "create bare"
wait_init bare
out=$(hv shutdown bare) || fail "hv shutdown bare"
echo "$out"
echo "$out" | grep -q 'control/shutdown' && fail "a guest without the core was asked through the store"
wait_for 60 gone bare || fail "bare did not power off after hv shutdown"
