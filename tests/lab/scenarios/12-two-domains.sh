# SPDX-License-Identifier: GPL-2.0-only
# Two domUs run at once with distinct domids; destroying one spares the other.
# The second boots once the first is up: two nested guests booting at once
# set off the lab's dom0 panic far more than anything else (docs/lab.md;
# three boots in a row on 2026-12-03), and booting is not what this tests.
hv create "$(mkcfg one halt)" || fail "create one"
wait_init one
hv create "$(mkcfg two halt)" || fail "create two"
wait_init two
hv list
id1=$(domain_field one 2)
id2=$(domain_field two 2)
[ -n "$id1" ] && [ -n "$id2" ] && [ "$id1" != "$id2" ] || fail "domids '$id1' '$id2'"
[ "$(vmm_count)" -eq 2 ] || fail "expected two VMM processes"
hv destroy one || fail "destroy one"
gone one || fail "one still listed"
exists two || fail "two vanished with one"
hv destroy "$id2" || fail "destroy two by domid"
gone two || fail "two still listed"
