# SPDX-License-Identifier: GPL-2.0-only
# Two domUs run at once with distinct domids; destroying one spares the other.
hv create "$(mkcfg one halt)" || fail "create one"
hv create "$(mkcfg two halt)" || fail "create two"
wait_init one
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
