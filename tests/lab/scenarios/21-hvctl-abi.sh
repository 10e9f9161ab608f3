# SPDX-License-Identifier: GPL-2.0-only
# Hostile and edge-case requests on /dev/hvctl (tests/lab/hvctl-probe.c):
# every bad field refused with its errno, nothing leaked, destroy kills.
hvctl-probe || fail "hvctl-probe reported failures"
