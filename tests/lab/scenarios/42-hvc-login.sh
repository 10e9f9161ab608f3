# SPDX-License-Identifier: GPL-2.0-only
# hvc0 over the console ring: the kernel's messages reach it (console=hvc0),
# getty on hvc0 gives a login prompt through `hv console`, a command typed
# there runs on hvc0, and 1 MiB written to hvc0 arrives intact and in order.
cfg=$(mkcfg tty login)
sed -i 's/console=ttyS0/console=ttyS0 console=hvc0/' "$cfg"
hv create "$cfg" || fail "create"
wait_init tty
wait_for 40 log_has tty "login:" || fail "no login prompt on hvc0"
log=$(guest_log tty)

# hvc_type COMMAND PATTERN: type COMMAND on hvc0 until PATTERN shows in the
# log (the shell's line editor may swallow keys while it queries the
# terminal, which answers nothing here).
hvc_type() {
	( sleep 1
	  n=0
	  while [ $n -lt 10 ] && ! grep -q -- "$2" "$log"; do
		echo "$1"
		sleep 3
		n=$((n + 1))
	  done ) | timeout 45 hv console tty > /dev/null
	grep -q -- "$2" "$log"
}

# Log in as root (no password in the lab image): its shell prompts "~ #".
hvc_type root '~ # ' || fail "login as root on hvc0 failed"
hvc_type 'echo hvc-says-$((6 * 7)) on $(tty)' "hvc-says-42 on /dev/hvc0" ||
	fail "no answer from a shell on hvc0"
# Kernel messages reach hvc0: it is an enabled console.
hvc_type 'grep -q "^hvc0.*E" /proc/consoles && echo hvc0-is-a-con""sole' \
	"^hvc0-is-a-console" || fail "hvc0 is not an enabled console"
# Bulk output through the ring: the log holds it byte for byte, in order.
hvc_type 'echo BEG""IN; seq 1 12000; echo EN""D' '^BEGIN' || fail "no output"
wait_for 100 grep -q '^END' "$log" || fail "the bulk output did not finish"
want=$(seq 1 12000 | md5sum | cut -d' ' -f1)
got=$(tr -d '\r' < "$log" | sed -n '/^BEGIN$/,/^END$/p' | sed '1d;$d' | md5sum | cut -d' ' -f1)
bytes=$(seq 1 12000 | wc -c)
note "hvc0 carried $bytes bytes"
[ "$want" = "$got" ] || fail "hvc0 output differs from what the guest wrote"
hv destroy tty
