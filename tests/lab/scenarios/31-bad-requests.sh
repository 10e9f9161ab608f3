# SPDX-License-Identifier: GPL-2.0-only
# A second domain with a name in use is refused and the first is untouched;
# destroying, shutting down or attaching to a missing domain is an error.
hv create "$(mkcfg twin halt)" || fail "create"
if out=$(hv create "$SCRATCH/twin.cfg" 2>&1); then fail "second 'twin' accepted"; fi
echo "$out"
echo "$out" | grep -qi "exists\|in use" || fail "error does not say the name is taken"
[ "$(vmm_count)" -eq 1 ] || fail "expected exactly one VMM"
wait_init twin
for cmd in destroy shutdown console; do
	if out=$(hv $cmd nosuchdomain 2>&1 </dev/null); then fail "hv $cmd of a missing domain succeeded"; fi
	echo "$out"
	echo "$out" | grep -q "nosuchdomain" || fail "hv $cmd error does not name the domain"
done
if hv destroy 4000 2>/dev/null; then fail "destroy of domid 4000 succeeded"; fi
exists twin || fail "twin vanished"
hv destroy twin || fail "destroy"
