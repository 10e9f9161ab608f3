# SPDX-License-Identifier: GPL-2.0-only
# hv destroy of a running domU ends its VMM and frees its name and socket.
hv create "$(mkcfg victim halt)" || fail "create"
wait_init victim
pid=$(vmm_pids)
hv destroy victim || fail "destroy"
gone victim || fail "still listed"
wait_for 5 sh -c ". /lab/tests/lib.sh; ! alive $pid" || fail "VMM $pid still alive"
[ ! -S /run/hv/victim.sock ] || fail "socket left behind"
# The name is free again.
hv create "$(mkcfg victim halt)" || fail "re-create with the same name"
hv destroy victim || fail "destroy again"
