# SPDX-License-Identifier: GPL-2.0-only
# lib.sh: helpers for lab scenarios (sourced; runs in dom0 under busybox sh).

SCRATCH=${SCRATCH:-/lab/scratch}
LOGDIR=/var/log/hv

fail() {
	echo "scenario failed: $*"
	exit 1
}

note() {
	echo "-- $*"
}

# mkcfg NAME ACTION [EXTRA-LINES...]: write $SCRATCH/NAME.cfg for the default
# domU kernel, whose init acts on hv.test=ACTION; print its path. 192 MiB
# unless a line says otherwise: the initramfs (every driver and the test
# tools) lives in the guest's RAM, and 128 MiB ran blkfront tests into OOM.
mkcfg() {
	local name=$1 action=$2 cfg=$SCRATCH/$1.cfg line
	shift 2
	{
		echo "name = \"$name\""
		echo "kernel = \"$HV_DOMU_KERNEL\""
		echo "ramdisk = \"$HV_DOMU_INITRD\""
		echo "extra = \"console=ttyS0 quiet hv.test=$action\""
		for line in "$@"; do echo "$line"; done
	} > "$cfg"
	grep -q '^memory' "$cfg" || echo "memory = 192" >> "$cfg"
	echo "$cfg"
}

# wait_for SECONDS COMMAND...: poll COMMAND every 0.2 s until it succeeds.
wait_for() {
	local limit=$1 n=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -ge $((limit * 5)) ] && return 1
		sleep 0.2
	done
	return 0
}

guest_log() {
	echo "$LOGDIR/guest-$1.log"
}

# log_has NAME PATTERN [COUNT]: the guest console log holds PATTERN COUNT times.
log_has() {
	local n
	n=$(grep -c -- "$2" "$(guest_log "$1")" 2>/dev/null) || n=0
	[ "$n" -ge "${3:-1}" ]
}

# wait_init NAME [SECONDS] [COUNT]: wait until the domU's init marker shows.
wait_init() {
	wait_for "${2:-90}" log_has "$1" "hv-domU: init reached" "${3:-1}" ||
		{ tail -n 30 "$(guest_log "$1")" 2>/dev/null; fail "$1 did not reach init"; }
}

# domain_field NAME COLUMN: a column of NAME's row in `hv list` (1 = name).
domain_field() {
	hv list | awk -v n="$1" -v c="$2" '$1 == n {print $c}'
}

exists() {
	hv list | awk -v n="$1" '$1 == n {found = 1} END {exit !found}'
}

gone() {
	! exists "$1"
}

# alive PID: the process exists and is not a zombie (an exited VMM whose
# parent, dom0's init here, has not reaped it yet holds nothing any more).
alive() {
	local state
	state=$(sed -n 's/^[0-9]* (.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ]
}

# vmm_pids: the pids of live hv-vmm processes (busybox has no pgrep).
vmm_pids() {
	local d
	for d in /proc/[0-9]*; do
		[ "$(cat "$d/comm" 2>/dev/null)" = hv-vmm ] && alive "${d#/proc/}" &&
			echo "${d#/proc/}"
	done
	return 0
}

vmm_count() {
	vmm_pids | wc -l
}

# guest_run NAME SECONDS COMMANDS: type COMMANDS into NAME's console shell
# (the default domU's init gives one) and print what they print, taken from
# between two markers; status 1 if the end marker did not show in time.
guest_run() {
	local name=$1 secs=$2 cmds=$3 tag out
	tag="gr$$$(cut -d' ' -f1 /proc/uptime | tr -d .)"
	out=$( (sleep 1
		echo "echo ${tag}-begin; { $cmds; } 2>&1; echo ${tag}-end=\$?"
		n=0
		while [ $n -lt $((secs * 5)) ]; do
			grep -q "^${tag}-end=" "$(guest_log "$name")" 2>/dev/null && break
			sleep 0.2
			n=$((n + 1))
		done
		sleep 0.5) | timeout -k 5 $((secs + 10)) hv console "$name" 2>/dev/null | tr -d '\r')
	echo "$out" | sed -n "/^${tag}-begin/,/^${tag}-end=/p" | sed '1d;$d'
	echo "$out" | grep -q "^${tag}-end=0" && return 0
	echo "$out" | grep -q "^${tag}-end=" && return 2
	# Not even the first echo ran: the guest stopped answering at its
	# prompt (run-scenarios looks for this line right before a failure).
	echo "$out" | grep -q "^${tag}-begin" ||
		echo "guest_run: guest $name froze before running the command" >&2
	return 1
}

# hv_counter NAME: a live counter of hv.ko as `hv info` prints it.
hv_counter() {
	hv info 2>/dev/null | awk -v k="$1" '$1 == k {print $3}'
}

# counters_zero: no domain is left and hv.ko holds nothing for one: no
# grant mapping, no foreign mapping, and no pinned page beyond dom0's own
# (its shared-info page and grant frames, registered by hvx_core). Prints
# the counters when it fails.
counters_zero() {
	local maps foreign
	maps=$(hv_counter nr_grant_maps)
	foreign=$(hv_counter nr_foreign_maps)
	[ "$maps" = 0 ] && [ "$foreign" = 0 ] &&
		[ "$(hv_counter nr_pinned_pages)" = "$DOM0_PINNED" ] &&
		[ "$(hv_counter nr_evtchn_ports)" = "$DOM0_PORTS" ] && return 0
	hv info | grep '^nr_'
	echo "(dom0 alone: pinned $DOM0_PINNED, ports $DOM0_PORTS)"
	return 1
}

# The guest's shell has no wait loop of its own: this one waits for the
# core, a module udev loads or built into the kernel (its bus then exists
# from boot: an in-tree kernel, make check-kernel).
GUEST_WAIT_CORE='n=0; while ! grep -qs "^hvx_core " /proc/modules && [ ! -d /sys/bus/hvx ]; do n=$((n+1)); [ $n -gt 100 ] && break; sleep 0.2; done; grep -qs "^hvx_core " /proc/modules || [ -d /sys/bus/hvx ]'

# net_setup: netback loaded and dom0's bridge xenbr0 up at 192.0.2.1/24;
# sets IP to iproute2's ip (busybox's applet lacks what the tests use).
net_setup() {
	IP=/usr/sbin/ip
	[ -x $IP ] || IP=/usr/bin/ip
	grep -q "^netback " /proc/modules || insmod /lab/modules/netback.ko || fail "insmod netback"
	$IP link add xenbr0 type bridge 2>/dev/null
	$IP addr add 192.0.2.1/24 dev xenbr0 2>/dev/null
	$IP link set xenbr0 up || fail "xenbr0"
}

# grun SECS CMDS: guest_run on the domain named by $DOM, the answer read
# back from the guest's console log when the console client's copy of it
# came too late (seen in a busy lab: the output was empty while the log
# held all of it). Scenarios 71 and 72.
grun() {
	local m out rc log
	m="blk$(cut -d' ' -f1 /proc/uptime | tr -d .)r$RANDOM"
	out=$(guest_run "$DOM" "$1" "echo $m-b; { $2
	}; echo $m-e=\$?")
	log=$(guest_log "$DOM")
	wait_for 5 sh -c "tr -d '\\r' < '$log' | grep -q '^$m-e=[0-9][0-9]*\$'" ||
		{ echo "$out"; return 1; }
	out=$(tr -d '\r' < "$log" | sed -n "/^$m-b\$/,/^$m-e=[0-9]*\$/p")
	rc=$(echo "$out" | sed -n "s/^$m-e=\([0-9]*\)\$/\1/p" | tail -n 1)
	echo "$out" | sed '1d;$d'
	[ "$rc" = 0 ]
}

# pciback_owner BDF: the domain pciback says has BDF (-1: none), from its
# irq_handlers file.
pciback_owner() {
	sed -n "s/^$1:.*:domain \(-*[0-9]*\):.*$/\1/p" /sys/bus/pci/drivers/pciback/irq_handlers
}

# pciback_released BDF: no domain has BDF any more.
pciback_released() {
	[ "$(pciback_owner "$1")" = -1 ]
}

# pci_bus_master_off BDF: BDF's command register, read in dom0, has bus
# mastering off.
pci_bus_master_off() {
	[ $(( 0x$(od -A n -t x2 -j 4 -N 2 "/sys/bus/pci/devices/$1/config" | tr -d ' ') & 4 )) = 0 ]
}

# pci_give_back_after_fault BDF...: in a run again after an emulator fault
# (run-scenarios' SCENARIO_TRY > 1), give dom0 back each device the failed
# run left with pciback (pci-assignable-remove -r binds its old driver).
pci_give_back_after_fault() {
	local dev drv
	[ "${SCENARIO_TRY:-1}" -gt 1 ] || return 0
	for dev in "$@"; do
		drv=$(basename "$(readlink "/sys/bus/pci/devices/$dev/driver")" 2>/dev/null)
		[ "$drv" = pciback ] && hv pci-assignable-remove -r "$dev"
	done
	return 0
}
