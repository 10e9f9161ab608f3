# SPDX-License-Identifier: GPL-2.0-only
# rootfs.sh: helpers to assemble initramfs trees from the host's Debian files.
# Sourced by scripts/mkroot-dom0 and scripts/mkroot-domu.

# copy_with_libs DESTROOT FILE...: copy each file (keeping its path) and every
# shared library it loads, the dynamic loader included.
copy_with_libs() {
	local root=$1 f lib
	shift
	for f in "$@"; do
		install -D -m 0755 "$f" "$root$f"
		ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^\t\/lib/{print $1}' |
		while read -r lib; do
			[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
		done
	done
}

# install_busybox DESTROOT: static busybox with a link per applet in /bin.
install_busybox() {
	local root=$1 applet
	install -D -m 0755 /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
	done
	mkdir -p "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/dev" \
		 "$root/proc" "$root/sys" "$root/run" "$root/tmp" "$root/etc" \
		 "$root/root" "$root/var/log"
}

# install_modules DESTROOT KROOT ABI MODULE...: the named modules of the
# unpacked kernel at KROOT and everything they depend on, then depmod.
install_modules() {
	local root=$1 kroot abi=$3 m path
	kroot=$(cd "$2" && pwd)
	shift 3
	[ -f "$kroot/lib/modules/$abi/modules.dep" ] ||
		depmod -b "$kroot" "$abi"
	for m in "$@"; do
		modprobe -d "$kroot" -S "$abi" --show-depends "$m" |
		awk '$1 == "insmod" {print $2}' |
		while read -r path; do
			install -D -m 0644 "$path" "$root${path#$kroot}"
		done
	done
	cp "$kroot/lib/modules/$abi/modules.builtin" \
	   "$kroot/lib/modules/$abi/modules.builtin.modinfo" \
	   "$kroot/lib/modules/$abi/modules.order" "$root/lib/modules/$abi/"
	depmod -b "$root" "$abi"
}

# pack_cpio DIR OUT: a gzip'd newc archive of DIR, owned by root.
pack_cpio() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z |
	 cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 > "$2.tmp"
	mv "$2.tmp" "$2"
}

# write_key FILE KEY: FILE (an image's build key) holds KEY, written as a
# new file rather than in place: worktrees seeded by hard links share the
# old key's inode, and would take it for their own stale image's.
write_key() {
	echo "$2" > "$1.tmp" && mv "$1.tmp" "$1"
}
