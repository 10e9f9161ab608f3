# SPDX-License-Identifier: GPL-2.0-only
# on_poweroff=preserve keeps the domain, shut down, until hv destroy.
hv create "$(mkcfg kept poweroff 'on_poweroff = "preserve"')" || fail "create"
wait_init kept
wait_for 60 sh -c 'hv list | awk "\$1 == \"kept\" {print \$5}" | grep -q s' ||
	{ hv list; fail "domain not in state shutdown"; }
exists kept || fail "preserved domain vanished"
hv destroy kept || fail "destroy"
gone kept || fail "still listed"
