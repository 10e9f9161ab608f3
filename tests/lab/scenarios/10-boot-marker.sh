# SPDX-License-Identifier: GPL-2.0-only
# A stock Debian kernel boots under hv to its init; hv list shows it running.
cfg=$(mkcfg boot halt "memory = 192")
out=$(hv create "$cfg") || fail "hv create: $out"
echo "$out"
echo "$out" | grep -q "Started domain boot (id=[0-9]*)" || fail "unexpected create output"
wait_init boot
hv list
[ "$(domain_field boot 3)" = 192 ] || fail "hv list does not show 192 MiB"
[ "$(domain_field boot 4)" = 1 ] || fail "hv list does not show 1 vCPU"
case $(domain_field boot 5) in r*) ;; *) fail "state is not running" ;; esac
log_has boot "mem_kb=" || fail "no memory report from the guest"
hv destroy boot || fail "hv destroy"
gone boot || fail "still listed after destroy"
