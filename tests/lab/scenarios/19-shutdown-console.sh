# SPDX-License-Identifier: GPL-2.0-only
# hv console carries input and output both ways; hv shutdown powers the
# guest off cleanly.
hv create "$(mkcfg talk shell)" || fail "create"
wait_init talk
out=$( (sleep 2; echo 'echo console-says-$((6 * 7))'; sleep 3) | timeout 20 hv console talk)
echo "$out" | tail -n 5
echo "$out" | grep -q "console-says-42" || fail "no answer through hv console"
hv shutdown talk || fail "hv shutdown"
wait_for 60 gone talk || fail "guest did not power off after hv shutdown"
