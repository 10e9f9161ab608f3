# SPDX-License-Identifier: GPL-2.0-only
# Event channels and hypercalls from a hand-built "domU" (tests/lab/evtchn-probe.c):
# delivery both ways, masking, the doorbell, and every bad request a hostile
# guest can make (ports out of range or not ours, foreign domains, absurd
# frames, the port limit, grant-table frames and lists out of range).
evtchn-probe > /lab/scratch/evtchn-probe.out 2>&1
status=$?
grep -c '^PASS' /lab/scratch/evtchn-probe.out | sed 's/^/-- checks passed: /'
grep '^FAIL' /lab/scratch/evtchn-probe.out
[ $status -eq 0 ] || { tail -n 20 /lab/scratch/evtchn-probe.out; fail "evtchn-probe"; }
counters_zero || fail "hv.ko holds something after the probe"
