# SPDX-License-Identifier: GPL-2.0-only
# hv info reports the hypervisor and the host; hv list shows Domain-0.
hv info || fail "hv info"
hv info | grep -q "nr_domains *: *0" || fail "hv info: no nr_domains 0"
hv list | awk '$1 == "Domain-0" && $2 == 0 {f = 1} END {exit !f}' || fail "no Domain-0 line"
