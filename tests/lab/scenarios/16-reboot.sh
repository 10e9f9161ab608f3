# SPDX-License-Identifier: GPL-2.0-only
# Guest reboot with on_reboot=restart boots it again under a new domid, and
# its VMM introduces it to the store again; with on_reboot=destroy it ends
# the domain.
hv create "$(mkcfg again reboot 'on_reboot = "restart"')" || fail "create"
first=$(domain_field again 2)
wait_init again 90 2
wait_for 30 sh -c "hv list | awk '\$1 == \"again\" && \$2 != \"$first\" {f=1} END {exit !f}'" ||
	{ hv list; fail "no new domid after the reboot (first $first)"; }
# The restarted domain has its store nodes under its new domid (its VMM
# introduced it).
introduced() {
	d=$(domain_field again 2)
	[ -n "$d" ] && [ "$d" != "$first" ] && [ "$(xenstore-read "/local/domain/$d/name")" = again ]
}
wait_for 30 introduced || fail "the restarted domain is not in the store"
# It may be between two boots (no domain for a moment): try again briefly.
wait_for 20 hv destroy again || fail "destroy"
hv create "$(mkcfg bye reboot 'on_reboot = "destroy"')" || fail "create bye"
wait_init bye
wait_for 60 gone bye || fail "on_reboot=destroy did not end the domain"
