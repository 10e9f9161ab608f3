# SPDX-License-Identifier: GPL-2.0-only
# Bad input is refused with an error naming file, line and key; nothing starts.
expect_refused() {	# expect_refused CFG PATTERN
	if out=$(hv create "$1" 2>&1); then
		hv destroy "$(sed -n 's/^name = "\(.*\)"/\1/p' "$1")" 2>/dev/null
		fail "accepted $1"
	fi
	echo "$out"
	echo "$out" | grep -q -- "$2" || fail "error for $1 does not match '$2'"
	[ "$(vmm_count)" -eq 0 ] || fail "a VMM was started for $1"
}
cfg=$(mkcfg bad halt "colour = 3")
expect_refused "$cfg" "bad.cfg:5:.*colour"
cfg=$(mkcfg bad halt "memory = lots")
expect_refused "$cfg" "bad.cfg:5:.*memory"
printf 'name = "bad"\nkernel = "/nonexistent/vmlinuz"\n' > $SCRATCH/bad.cfg
expect_refused $SCRATCH/bad.cfg "bad.cfg:2:.*kernel"
printf 'name = "bad"\nkernel = "%s"\nvcpus = [ 1,\n' "$HV_DOMU_KERNEL" > $SCRATCH/bad.cfg
expect_refused $SCRATCH/bad.cfg "bad.cfg:3"
head -c 100000 /dev/urandom > $SCRATCH/notakernel
printf 'name = "bad"\nkernel = "%s"\n' "$SCRATCH/notakernel" > $SCRATCH/bad.cfg
expect_refused $SCRATCH/bad.cfg "bzImage"
cfg=$(mkcfg bad halt "memory = 8")
expect_refused "$cfg" "memory"
cfg=$(mkcfg bad halt "memory = 1048576")
expect_refused "$cfg" "memory"
