# SPDX-License-Identifier: GPL-2.0-only
# A guest panic that ends in a triple fault (reboot=t) is a crash:
# on_crash=preserve keeps it in state crashed and the VMM log says why.
cfg=$(mkcfg boom panic 'on_crash = "preserve"')
sed -i 's/hv.test=panic"/hv.test=panic reboot=t panic=1"/' "$cfg"
hv create "$cfg" || fail "create"
wait_init boom
wait_for 60 sh -c 'hv list | awk "\$1 == \"boom\" {print \$5}" | grep -q c' ||
	{ hv list; fail "domain not in state crashed"; }
grep -i "triple fault" /var/log/hv/vmm-boom.log || fail "VMM log does not name the triple fault"
hv destroy boom || fail "destroy"
