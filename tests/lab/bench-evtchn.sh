# SPDX-License-Identifier: GPL-2.0-only
# bench-evtchn.sh: event-channel and hypercall round trips of hv beside the
# raw mechanisms they are built on, in one lab boot (not a test).
#   hv event:     dom0 module -> domU -> dom0 module (evtping_back/front):
#                 hv.ko sets bits + irqfd -> guest MSI-X handler -> send bitmap
#                 + doorbell ioeventfd -> hv.ko irq_work -> dom0 IRQ.
#   raw event:    rawping evt: a KVM ioeventfd answered through a KVM irqfd by
#                 a host thread (tests/lab/rawping.c).
#   hv hypercall: EVTCHNOP_status from the guest core (block + OUT exit to
#                 the VMM + HVCTL_HYPERCALL).
#   raw exit:     rawping exit: an OUT that exits to userspace and resumes.
# Usage: bench-evtchn.sh [ROUNDS]
. /lab/tests/lib.sh
ROUNDS=${1:-5000}
rawping evt "$ROUNDS" | sed "s/^rawping evt/@@BENCH raw-event/"
rawping exit "$ROUNDS" | sed "s/^rawping exit/@@BENCH raw-exit/"
rm -f "$(guest_log bench)"	# the VMM appends: a fresh log for wait_init
hv create "$(mkcfg bench shell)" >/dev/null || fail "create"
wait_init bench
domid=$(domain_field bench 2)
out=$(guest_run bench 120 "$GUEST_WAIT_CORE && modprobe evtping_front hcall_rounds=$ROUNDS &&
	cd /sys/module/evtping_front/parameters && echo ref=\$(cat ref) port=\$(cat port) hmed=\$(cat hcall_median_ns) hp99=\$(cat hcall_p99_ns)") ||
	fail "evtping_front: $out"
ref=$(echo "$out" | sed -n 's/.*ref=\([0-9]*\).*/\1/p')
port=$(echo "$out" | sed -n 's/.*port=\([0-9]*\).*/\1/p')
echo "$out" | sed -n 's/.*hmed=\([0-9]*\) hp99=\([0-9]*\).*/@@BENCH hv-hypercall rounds='"$ROUNDS"' median_ns=\1 p99_ns=\2/p'
insmod /lab/modules/evtping_back.ko domid="$domid" ref="$ref" port="$port" rounds="$ROUNDS" ||
	fail "evtping_back"
p=/sys/module/evtping_back/parameters
echo "@@BENCH hv-event rounds=$ROUNDS median_ns=$(cat $p/median_ns) p99_ns=$(cat $p/p99_ns)"
rmmod evtping_back
hv destroy bench
