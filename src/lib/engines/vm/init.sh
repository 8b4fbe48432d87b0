#!/bin/bash
# netbook VM init: PID 1 of the VM that vm.ts boots (the image is built by image.sh). It runs one
# sandbox job, as the local transport runs it on the host, and powers the VM off:
#
#   1. mounts /proc /sys /dev /run /tmp, loads the lab's kernel modules;
#   2. reads the job, a tar of job.json and sandbox.sh, from fw_cfg (opt/netbook/job);
#   3. runs sandbox.sh sealed with the local transport's unshare flags, passing the inodes of its
#      own network and mount namespaces. When the sandbox asks for its NICs (a line "want nics"
#      on its stderr, written once it has checked that it is sealed), init moves every network
#      device of the VM into the sandbox's network namespace; the sandbox then takes the two ends
#      of each wire it was promised by MAC (job.nics) and refuses anything else;
#   4. passes "progress …" lines and diagnostics to the console, which is QEMU's stdout;
#   5. writes out/ (what the sandbox wrote), exit (its exit code) and stderr (its diagnostics) as
#      one tar to the virtio-serial port "netbook.out", which QEMU backs with a host file;
#   6. powers off (QEMU runs with -no-reboot, so a panic ends it too).
#
# Console lines for the host: "vm: ready MS" (booted: the sandbox starts; MS since the kernel
# started), "progress B S MS" (a command ran), "vm: exit N", anything else is a diagnostic.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 HOME=/root
exec </dev/console >/dev/console 2>&1
umask 022

say() { printf 'vm: %s\n' "$*"; }
halt() {
	echo o >/proc/sysrq-trigger 2>/dev/null
	sleep 5
	exit 1 # PID 1 exits: the kernel panics and, with panic=-1 and -no-reboot, QEMU stops
}
fatal() {
	say "error: $*"
	halt
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# What udev or systemd would add to /dev: sandbox.sh reads the shell state and scripts from /dev/fd/N.
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mkdir -p /dev/pts /dev/shm
mount -t devpts -o mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
hostname localhost

# The machine's drivers (no udev here to load them), overlayfs for the sandbox, and br_netfilter,
# which the lab kernel of the local transport has built in (bridged traffic goes through
# iptables). The kernel loads every other module when a command first needs it, through
# modprobe (dummy with numdummies=0: /etc/modprobe.d/netbook.conf).
modprobe -a virtio_net qemu_fw_cfg overlay br_netfilter || fatal 'cannot load the kernel modules'

# Outside /run and /tmp, which the sandbox covers with its own tmpfs before it reads the job.
JOB=/netbook
mkdir -p "$JOB/out"
raw=/sys/firmware/qemu_fw_cfg/by_name/opt/netbook/job/raw
[[ -r $raw ]] || fatal "no job in fw_cfg ($raw)"
tar -x -C "$JOB" -f "$raw" job.json sandbox.sh || fatal 'the job is not a tar of job.json and sandbox.sh'

port=''
for p in /sys/class/virtio-ports/*; do
	[[ $(cat "$p/name" 2>/dev/null) == netbook.out ]] && port=/dev/${p##*/}
done
[[ -n $port && -w $port ]] || fatal 'no virtio-serial port named netbook.out'

# Every network device of the VM (QEMU's NICs), for the sandbox when it asks.
hand_over_nics() { # SANDBOX-PID
	local dev
	for dev in /sys/class/net/*; do
		dev=${dev##*/}
		[[ $dev == lo ]] && continue
		ip link set dev "$dev" netns "$1" || say "cannot move $dev into the sandbox"
	done
}

read -r up _ </proc/uptime
say "ready $(printf '%.0f' "${up/./}0")"
mkfifo "$JOB/err"
unshare --kill-child=KILL --net --mount --uts --ipc --pid --fork --mount-proc --propagation private \
	bash "$JOB/sandbox.sh" "$JOB/job.json" "$JOB/out" "$(stat -L -c %i /proc/self/ns/net)" "$(stat -L -c %i /proc/self/ns/mnt)" \
	</dev/null >/dev/null 2>"$JOB/err" &
unshare_pid=$!
: >"$JOB/stderr"
while IFS= read -r line; do
	case $line in
	'want nics')
		read -r sandbox_pid _ <"/proc/$unshare_pid/task/$unshare_pid/children"
		hand_over_nics "$sandbox_pid"
		;;
	progress\ *) printf '%s\n' "$line" ;;
	*)
		printf '%s\n' "$line" >>"$JOB/stderr"
		printf '%s\n' "$line"
		;;
	esac
done <"$JOB/err"
wait "$unshare_pid"
rc=$?
printf '%d\n' "$rc" >"$JOB/exit"
tar -C "$JOB" -cf "$port" out exit stderr || say 'cannot write the results to netbook.out'
say "exit $rc"
halt
