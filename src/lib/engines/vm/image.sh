#!/usr/bin/env bash
# netbook VM image: a Linux kernel and an initramfs for one architecture, made from Debian's own
# packages only (apt-get download + dpkg-deb, no debootstrap, no root needed). The VM engine
# (vm.ts) boots them under QEMU; docs/targets.md explains the choices.
#
# Usage: image.sh arm64|x86_64|v86 [--rebuild | --path]    (scripts/vm-image.sh calls this)
#   v86: the image of the kernel that runs in the reader's browser under the v86 emulator (an x86
#   emulator in WebAssembly, src/lib/engines/v86/): Debian 12's i386 kernel (Debian 13 has no
#   i386 kernel), a smaller root (image-trim-v86.txt: it lives in the guest's RAM and in the
#   saved state a reader downloads) and the BIOS from Debian's seabios package.
#   stdout: the image's folder (vmlinuz, initrd.img, packages.txt, sources.txt, programs.txt,
#   kernel-release; for v86 also bios.bin and vgabios.bin)
#   stderr: progress, one line per stage: "vm-image: <stage> (<seconds> s)"
#
# The image lives in ${NETBOOK_CACHE:-~/.cache/netbook}/vm/<release>-<arch>-<hash>/, where the
# hash covers every input: this script, the guest's init.sh, the package and module lists,
# sandbox.sh's NEEDS line (the rest of sandbox.sh comes with each job), the release and the
# architecture. An image whose inputs did not change is reused
# (--rebuild builds it again, e.g. to take in a new kernel from the release's updates). apt runs
# with a private configuration and state under the cache folder, so the machine's own apt
# settings, lists and package database are neither read nor changed.
#
# Exit codes: 0 built or reused, 1 the build failed (the line says which stage), 2 bad usage.

set -euo pipefail
export LC_ALL=C.UTF-8

# The Debian release of the VM images: trixie (13), the base of current Raspberry Pi OS (kernel
# 6.12). v86's is bookworm (12), the last release with an i386 kernel.
RELEASE=trixie
MIRROR=${NETBOOK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${NETBOOK_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
KEYRING=${NETBOOK_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
	printf 'vm-image: %s\n' "$*" >&2
	exit 1
}
usage() {
	printf 'usage: %s arm64|x86_64|v86 [--rebuild | --path]\n' "${0##*/}" >&2
	exit 2
}

# Words of a list file: comments and blank lines dropped.
words() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1" | tr -s '[:space:]' '\n'; }

# The packages in `apt-get -s install` output (stdin), as NAME=VERSION.
simulated_installs() { sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1=\2/p'; }

# A cpio archive (newc) holding /dev and the character device /dev/console (5, 1), which the
# kernel opens as init's stdin, stdout and stderr. Written by hand because making a device node
# needs root; the kernel unpacks it, then the compressed archive that follows it.
console_cpio() {
	local name mode major minor ino=0
	cpio_header() { # INO MODE MAJOR MINOR NAME: a newc header, its name and the padding to 4 bytes
		local size=$((${#5} + 1))
		printf '070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%s\0' \
			"$1" "$2" 0 0 1 0 0 0 0 "$3" "$4" "$size" 0 "$5"
		head -c $(((4 - (110 + size) % 4) % 4)) /dev/zero
	}
	cpio_header 1 $((8#40755)) 0 0 dev
	cpio_header 2 $((8#20600)) 5 1 dev/console
	cpio_header 0 0 0 0 'TRAILER!!!'
}

# stage LABEL: prints the stage that just ended with its seconds.
stage() {
	local now=${EPOCHREALTIME/./}
	printf 'vm-image: %s (%d.%d s)\n' "$1" $(((now - t_stage) / 1000000)) $(((now - t_stage) / 100000 % 10)) >&2
	t_stage=$now
}

main() {
	local arg
	ARCH='' REBUILD='' ONLY_PATH=''
	for arg; do
		case $arg in
		arm64 | x86_64 | v86) [[ -z $ARCH ]] || usage; ARCH=$arg ;;
		--rebuild) REBUILD=1 ;;
		--path) ONLY_PATH=1 ;;
		*) usage ;;
		esac
	done
	[[ -n $ARCH ]] || usage
	# BOOT_MODULES: what init loads at boot (the machine's drivers; no udev to do it). CONTROL_PORT:
	# the virtio console port the host talks on (QEMU's is named; v86's are consoles, hvcN).
	EXTRA_TRIM='' EXTRA_SKIP='' BOOT_MODULES='virtio_net virtio_console overlay br_netfilter' CONTROL_PORT=netbook.control
	case $ARCH in
	arm64) DEB_ARCH=arm64 KERNEL_PACKAGE=linux-image-arm64 ;;
	x86_64) DEB_ARCH=amd64 KERNEL_PACKAGE=linux-image-amd64 ;;
	v86)
		RELEASE=bookworm DEB_ARCH=i386 KERNEL_PACKAGE=linux-image-686
		EXTRA_TRIM=$HERE/image-trim-v86.txt EXTRA_SKIP=$HERE/image-skip-v86.txt
		BOOT_MODULES='virtio_pci virtio_console overlay br_netfilter' CONTROL_PORT=/dev/hvc1
		;;
	esac

	INPUTS=("$HERE/image.sh" "$HERE/init.sh" "$HERE/image-packages.txt" "$HERE/image-modules.txt" "$HERE/image-trim.txt")
	[[ -z $EXTRA_TRIM ]] || INPUTS+=("$EXTRA_TRIM" "$EXTRA_SKIP")
	[[ -r $HERE/../sandbox/sandbox.sh ]] || die "missing input $HERE/../sandbox/sandbox.sh"
	for f in "${INPUTS[@]}"; do [[ -r $f ]] || die "missing input $f"; done
	for tool in apt-get dpkg-deb tar cpio depmod xz flock sha256sum find; do
		command -v "$tool" >/dev/null || die "needs $tool (Debian: apt-get install cpio kmod xz-utils lz4; see docs/targets.md)"
	done
	HASH=$({ printf '%s\n' "$RELEASE" "$ARCH"; cat "${INPUTS[@]}"; grep '^NEEDS=' "$HERE/../sandbox/sandbox.sh"; } | sha256sum | cut -c1-12)
	CACHE=${NETBOOK_CACHE:-${HOME:?}/.cache/netbook}/vm
	IMAGE=$CACHE/$RELEASE-$ARCH-$HASH
	mkdir -p "$CACHE"

	# --path: the folder of the image these inputs make, if it is built (exit 1 if not); builds nothing.
	if [[ -n $ONLY_PATH ]]; then
		[[ -f $IMAGE/ok ]] || return 1
		printf '%s\n' "$IMAGE"
		return 0
	fi

	# One build per architecture at a time (verify runs two chapters at once; both want the image).
	exec 9>"$CACHE/.lock-$RELEASE-$ARCH"
	flock 9
	if [[ -f $IMAGE/ok && -z $REBUILD ]]; then
		printf '%s\n' "$IMAGE"
		return 0
	fi
	t_stage=${EPOCHREALTIME/./}
	t_all=$t_stage

	# ----------------------------------------------------------------------------------------
	# 1. A private apt: its own sources, lists, package cache and empty dpkg status.
	# ----------------------------------------------------------------------------------------
	APT=$CACHE/apt/$RELEASE-$DEB_ARCH
	mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/debs" "$APT/empty"
	: >"$APT/status"
	cat >"$APT/sources.list" <<-EOF
	deb [signed-by=$KEYRING] $MIRROR $RELEASE main
	deb [signed-by=$KEYRING] $MIRROR $RELEASE-updates main
	deb [signed-by=$KEYRING] $SECURITY_MIRROR $RELEASE-security main
	EOF
	cat >"$APT/apt.conf" <<-EOF
	Dir::Etc::main "/dev/null";
	Dir::Etc::Parts "$APT/empty";
	Dir::Etc::SourceList "$APT/sources.list";
	Dir::Etc::SourceParts "$APT/empty";
	Dir::Etc::Preferences "/dev/null";
	Dir::Etc::PreferencesParts "$APT/empty";
	Dir::State "$APT";
	Dir::State::Lists "$APT/lists";
	Dir::State::status "$APT/status";
	Dir::Cache "$APT";
	Dir::Cache::archives "$APT/archives";
	Dir::Cache::pkgcache "$APT/pkgcache.bin";
	Dir::Cache::srcpkgcache "$APT/srcpkgcache.bin";
	Dir::Log "$APT";
	APT::Architecture "$DEB_ARCH";
	APT::Architectures { "$DEB_ARCH"; };
	APT::Install-Recommends "false";
	APT::Install-Suggests "false";
	APT::Sandbox::User "$(id -un)";
	Acquire::Languages "none";
	Debug::NoLocking "true";
	EOF
	apt() { APT_CONFIG=$APT/apt.conf apt-get -q "$@"; }
	apt update >"$APT/update.log" 2>&1 || die "apt-get update failed: $(tail -n 3 "$APT/update.log" | tr '\n' ' ')"
	stage "apt index of Debian $RELEASE/$DEB_ARCH"

	# The packages apt would install on an empty machine, as NAME=VERSION.
	resolve() {
		local out
		out=$(apt -s install "$@" 2>&1) || die "cannot resolve $*: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
		printf '%s\n' "$out" | simulated_installs
	}
	mapfile -t ROOT_PKGS < <(resolve $(words "$HERE/image-packages.txt"))
	if [[ -n $EXTRA_SKIP ]]; then # packages apt pulls in that the image does without
		mapfile -t ROOT_PKGS < <(printf '%s\n' "${ROOT_PKGS[@]}" | grep -v -x -f <(words "$EXTRA_SKIP" | sed 's/$/=.*/'))
	fi
	mapfile -t KERNEL_PKGS < <(resolve "$KERNEL_PACKAGE" | grep '^linux-image-')
	# v86 boots Linux through a BIOS (its direct kernel boot is an option ROM that SeaBIOS runs).
	[[ $ARCH != v86 ]] || KERNEL_PKGS+=($(resolve seabios | grep '^seabios='))
	((${#ROOT_PKGS[@]} > 10 && ${#KERNEL_PKGS[@]} > 0)) || die "apt resolved too little (${#ROOT_PKGS[@]} packages, kernel: ${KERNEL_PKGS[*]:-none})"

	# deb FILE of NAME=VERSION in the download folder (apt names it NAME_VERSION_ARCH.deb, ':' as %3a).
	deb_of() {
		local name=${1%%=*} version=${1#*=}
		compgen -G "$APT/debs/${name}_${version//:/%3a}_*.deb" | head -n 1
	}
	missing=()
	for p in "${ROOT_PKGS[@]}" "${KERNEL_PKGS[@]}"; do [[ -n $(deb_of "$p") ]] || missing+=("$p"); done
	if ((${#missing[@]})); then
		(cd "$APT/debs" && apt download "${missing[@]}" >"$APT/download.log" 2>&1) ||
			die "apt-get download failed: $(tail -n 3 "$APT/download.log" | tr '\n' ' ')"
	fi
	stage "downloaded ${#missing[@]} of $((${#ROOT_PKGS[@]} + ${#KERNEL_PKGS[@]})) packages"

	# ----------------------------------------------------------------------------------------
	# 2. Unpack into a staging root (merged /usr, as Debian's base-files lays it out).
	# ----------------------------------------------------------------------------------------
	WORK=$(mktemp -d "$CACHE/.build-$ARCH-XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
	ROOT=$WORK/root KROOT=$WORK/kernel
	mkdir -p "$ROOT/usr/bin" "$ROOT/usr/sbin" "$ROOT/usr/lib" "$KROOT/usr/lib"
	for d in bin sbin lib; do ln -s "usr/$d" "$ROOT/$d"; done
	ln -s usr/lib "$KROOT/lib"
	if [[ $DEB_ARCH == amd64 ]]; then mkdir -p "$ROOT/usr/lib64" && ln -s usr/lib64 "$ROOT/lib64"; fi
	unpack() { # ROOT NAME=VERSION…
		local root=$1 p deb
		shift
		for p; do
			deb=$(deb_of "$p")
			dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$root" || die "cannot unpack $deb"
			printf '%s\n' "$p" >>"$WORK/packages.txt"
			# The source package and its version (a binary package names its source only when they differ).
			dpkg-deb --show --showformat='${source:Package} ${source:Version}\n' "$deb" >>"$WORK/sources.txt"
		done
	}
	unpack "$ROOT" "${ROOT_PKGS[@]}"
	unpack "$KROOT" "${KERNEL_PKGS[@]}"
	mkdir -p "$ROOT/etc/netbook"
	printf '%s\n' "$BOOT_MODULES" >"$ROOT/etc/netbook/boot-modules"
	printf '%s\n' "$CONTROL_PORT" >"$ROOT/etc/netbook/control-port"

	# What the packages' maintainer scripts would have done, as far as the lab needs it.
	cp "$ROOT/usr/share/base-passwd/passwd.master" "$ROOT/etc/passwd"
	cp "$ROOT/usr/share/base-passwd/group.master" "$ROOT/etc/group"
	# tcpdump's postinst adds the system user it drops its privileges to after opening a capture.
	printf 'tcpdump:x:100:101::/nonexistent:/usr/sbin/nologin\n' >>"$ROOT/etc/passwd"
	printf 'tcpdump:x:101:\n' >>"$ROOT/etc/group"
	alternative() { # LINK TARGET: what update-alternatives would have made
		[[ -e $ROOT/$(dirname "$1")/$2 ]] || die "alternative $1: $2 is not in the image"
		ln -sfn "$2" "$ROOT/$1"
	}
	alternative usr/bin/awk mawk
	for t in iptables ip6tables; do
		for s in '' -save -restore; do alternative "usr/sbin/$t$s" "xtables-nft-multi"; done
	done
	[[ -e $ROOT/usr/bin/sh ]] || ln -s dash "$ROOT/usr/bin/sh"
	mkdir -p "$ROOT/proc" "$ROOT/sys" "$ROOT/dev" "$ROOT/run" "$ROOT/tmp" "$ROOT/root" "$ROOT/var/lib" "$ROOT/etc/cni/net.d"
	chmod 1777 "$ROOT/tmp"
	# What image-trim.txt leaves out (globs, relative to the root).
	while read -r trim; do
		(cd "$ROOT" && for f in $trim; do [[ -e $f ]] && rm -rf -- "$f"; done) || true
	done < <(words "$HERE/image-trim.txt"; [[ -z $EXTRA_TRIM ]] || words "$EXTRA_TRIM")
	stage "unpacked ${#ROOT_PKGS[@]} packages"

	# ----------------------------------------------------------------------------------------
	# 3. The kernel and the modules the lab needs (with what they depend on), uncompressed so the
	#    guest spends no time decompressing them.
	# ----------------------------------------------------------------------------------------
	KREL=$(cd "$KROOT/usr/lib/modules" && ls | head -n 1)
	[[ -n $KREL && -f $KROOT/boot/vmlinuz-$KREL ]] || die "no kernel in ${KERNEL_PKGS[*]}"
	depmod -b "$KROOT" "$KREL" || die 'depmod failed on the kernel package'
	MODS=$KROOT/usr/lib/modules/$KREL
	declare -A want=()
	# add_module NAME: the module (a name or an alias), what it depends on and its soft
	# dependencies, as modprobe resolves them (libcrc32c's "softdep pre: crc32c" is the kind that
	# modules.dep alone misses: without crc32c_generic, nf_tables does not load).
	add_module() {
		local out kind path
		out=$(modprobe -d "$KROOT" -S "$KREL" --show-depends "$1" 2>&1) ||
			die "module $1 is neither in $KERNEL_PACKAGE nor built in: $out"
		while read -r kind path _; do
			[[ $kind == insmod ]] && want[${path#*/"$KREL"/}]=1
		done <<<"$out"
		return 0
	}
	while read -r pattern; do
		if [[ $pattern == *'*' ]]; then
			found=0
			while read -r path; do
				base=${path##*/}
				add_module "${base%%.ko*}"
				found=1
			done < <(awk '{ sub(/:.*/, "", $1); print $1 }' "$MODS/modules.dep" | grep "/${pattern%\*}[^/]*\.ko")
			((found)) || die "no module matches $pattern"
		else
			add_module "$pattern"
		fi
	done < <(words "$HERE/image-modules.txt")
	DEST=$ROOT/usr/lib/modules/$KREL
	mkdir -p "$DEST"
	cp "$MODS"/modules.builtin* "$MODS"/modules.order "$DEST/"
	for path in "${!want[@]}"; do
		mkdir -p "$DEST/$(dirname "$path")"
		case $path in
		*.ko.xz) xz -dc "$MODS/$path" >"$DEST/${path%.xz}" ;;
		*.ko.zst) zstd -qdc "$MODS/$path" >"$DEST/${path%.zst}" ;;
		*) cp "$MODS/$path" "$DEST/$path" ;;
		esac
	done
	depmod -b "$ROOT" "$KREL" || die 'depmod failed on the image'
	mkdir -p "$ROOT/etc/modprobe.d"
	printf 'options dummy numdummies=0\n' >"$ROOT/etc/modprobe.d/netbook.conf"
	mkdir -p "$WORK/image"
	cp "$KROOT/boot/vmlinuz-$KREL" "$WORK/image/vmlinuz"
	if [[ $ARCH == v86 ]]; then
		cp "$KROOT/usr/share/seabios/bios.bin" "$WORK/image/bios.bin" || die 'no bios.bin in the seabios package'
		cp "$KROOT/usr/share/seabios/vgabios-stdvga.bin" "$WORK/image/vgabios.bin" || die 'no vgabios-stdvga.bin in the seabios package'
	fi
	stage "kernel $KREL with ${#want[@]} modules"

	# ----------------------------------------------------------------------------------------
	# 4. The guest's init, a check that sandbox.sh will find its programs, the initramfs.
	# ----------------------------------------------------------------------------------------
	install -m 755 "$HERE/init.sh" "$ROOT/init"
	needs=$(sed -n 's/^NEEDS=(\(.*\))$/\1/p' "$HERE/../sandbox/sandbox.sh")
	absent=()
	for tool in $needs; do
		found=''
		for d in usr/local/sbin usr/local/bin usr/sbin usr/bin; do [[ -e $ROOT/$d/$tool || -L $ROOT/$d/$tool ]] && found=1; done
		[[ -n $found ]] || absent+=("$tool")
	done
	((${#absent[@]} == 0)) || die "the image lacks programs sandbox.sh needs: ${absent[*]} (add their packages to image-packages.txt)"
	(cd "$ROOT" && find usr/bin usr/sbin usr/lib/cni -maxdepth 1 \( -type f -o -type l \) | sed 's|^|/|' | sort) >"$WORK/image/programs.txt"
	sort "$WORK/packages.txt" >"$WORK/image/packages.txt"
	sort -u "$WORK/sources.txt" >"$WORK/image/sources.txt"
	printf '%s\n' "$KREL" >"$WORK/image/kernel-release"
	printf 'Debian %s (%s)\n' "$RELEASE" "$DEB_ARCH" >"$WORK/image/release"
	if command -v lz4 >/dev/null; then
		compress() { lz4 -l -q -c; }
	else
		compress() { gzip -1 -c; }
	fi
	{ console_cpio && (cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | compress); } >"$WORK/image/initrd.img" ||
		die 'cannot pack the initramfs'
	stage "initramfs $(($(stat -c %s "$WORK/image/initrd.img") / 1048576)) MiB ($(du -sm "$ROOT" | cut -f1) MiB unpacked), kernel $(($(stat -c %s "$WORK/image/vmlinuz") / 1048576)) MiB"

	: >"$WORK/image/ok"
	rm -rf "$IMAGE"
	mv "$WORK/image" "$IMAGE"
	# Older images of this release and architecture: their inputs changed, nothing will boot them.
	for old in "$CACHE/$RELEASE-$ARCH-"*; do [[ $old == "$IMAGE" ]] || rm -rf "$old"; done
	now=${EPOCHREALTIME/./}
	printf 'vm-image: built %s (%d.%d s)\n' "${IMAGE##*/}" $(((now - t_all) / 1000000)) $(((now - t_all) / 100000 % 10)) >&2
	printf '%s\n' "$IMAGE"
}

# Sourced (by the tests): only the functions above.
[[ ${BASH_SOURCE[0]} != "$0" ]] || main "$@"
