#!/bin/bash
# netbook VM init: PID 1 of the VMs that vm.ts boots under QEMU and of the v86 machine that
# src/lib/engines/v86/ boots in Node or in a browser (image.sh builds both images). It runs
# sandbox jobs one after another, each as the local transport runs one on the host, until the
# host says quit:
#
#   1. mounts /proc /sys /dev /run /tmp, loads the lab's kernel modules;
#   2. opens the virtio console port the image names in /etc/netbook/control-port (QEMU's port
#      "netbook.control"; v86's second console, the tty /dev/hvc1) and says "ready" on it;
#   3. for each "job N" line it reads N bytes (for "job64 N", N lines of base64, each answered
#      "ok"), a tar of job.json and sandbox.sh, into a fresh
#      folder and runs sandbox.sh sealed with the local transport's unshare flags, passing the
#      inodes of its own network and mount namespaces. When the sandbox asks for its NICs (a line
#      "want nics" on its stderr, written once it has checked that it is sealed), init moves the
#      NICs the job names (by MAC) into the sandbox's network namespace, waiting for them first:
#      the previous job's namespaces give them back to this one a moment after it ends. The
#      sandbox takes them by MAC and refuses anything else;
#   4. passes "progress …" lines and diagnostics to the console, which is QEMU's stdout;
#   5. answers "results N" and N bytes: a tar of out/ (what the sandbox wrote), exit (its exit
#      code) and stderr (its diagnostics);
#   5b. for "shell64 N" (the page's terminal): the same, then runs sandbox.sh as a reader's lab
#      (sandbox.sh section 5b) talking over the port itself until it ends, then "shell ended RC";
#   6. on "quit" (or when the port closes) powers off (QEMU runs with -no-reboot, so a panic
#      ends it too).
#
# Console lines for the host: "vm: ready MS" (booted; MS since the kernel started), "progress B S
# MS" (a command ran), "vm: exit N" (a job ended), anything else is a diagnostic.

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
read -r -a boot_modules </etc/netbook/boot-modules
modprobe -a "${boot_modules[@]}" || fatal "cannot load the kernel modules ${boot_modules[*]}"

read -r port_name </etc/netbook/control-port
port=''
if [[ $port_name == /dev/* ]]; then
	# v86 makes every virtio console port a console (hvcN), which the kernel does not let one open
	# as a port: a tty then, switched to raw so that the job's bytes pass untouched.
	# (Set on the open descriptor below: an hvc tty forgets its settings when its last user closes it.)
	for ((k = 0; k < 100; k++)); do [[ -c $port_name ]] && break; sleep 0.05; done
	port=$port_name
else
	for p in /sys/class/virtio-ports/*; do
		[[ $(cat "$p/name" 2>/dev/null) == "$port_name" ]] && port=/dev/${p##*/}
	done
fi
[[ -n $port && -w $port ]] || fatal "no virtio console port $port_name"
exec 9<>"$port"
[[ $port != /dev/hvc* ]] || stty raw -echo cs8 <&9 || fatal "cannot make $port a raw channel"

# The job's NICs (job.json "nics": lab interface and far end, by MAC), for the sandbox when it
# asks. They may still be on their way back from the previous job's namespaces: wait up to 10 s.
hand_over_nics() { # SANDBOX-PID JOB.json
	local mac dev k
	for mac in $(jq -r '(.nics // [])[] | .mac, .wire | ascii_downcase' "$2"); do
		for ((k = 0; k < 200; k++)); do
			dev=$(ip -o link show | awk -v m="$mac" '{ for (i = 1; i < NF; i++) if ($i == "link/ether" && $(i + 1) == m) { sub(/:$/, "", $2); print $2 } }')
			[[ -n $dev ]] && break
			sleep 0.05
		done
		[[ -n $dev ]] || { say "no NIC with MAC $mac to hand over"; continue; }
		ip link set dev "$dev" netns "$1" || say "cannot move $dev into the sandbox"
	done
}

# run_job DIR: runs the sandbox on DIR/job.json; leaves DIR/out, DIR/exit, DIR/stderr.
run_job() {
	local dir=$1 line sandbox_pid unshare_pid rc
	mkdir -p "$dir/out"
	mkfifo "$dir/err"
	unshare --kill-child=KILL --net --mount --uts --ipc --pid --fork --mount-proc --propagation private \
		bash "$dir/sandbox.sh" "$dir/job.json" "$dir/out" "$(stat -L -c %i /proc/self/ns/net)" "$(stat -L -c %i /proc/self/ns/mnt)" \
		</dev/null >/dev/null 2>"$dir/err" &
	unshare_pid=$!
	: >"$dir/stderr"
	while IFS= read -r line; do
		case $line in
		'want nics')
			read -r sandbox_pid _ <"/proc/$unshare_pid/task/$unshare_pid/children"
			hand_over_nics "$sandbox_pid" "$dir/job.json"
			;;
		progress\ *) printf '%s\n' "$line" ;;
		*)
			printf '%s\n' "$line" >>"$dir/stderr"
			printf '%s\n' "$line"
			;;
		esac
	done <"$dir/err"
	wait "$unshare_pid"
	rc=$?
	printf '%d\n' "$rc" >"$dir/exit"
	say "exit $rc"
}

# run_shell DIR: runs the sandbox on DIR/job.json (an interactive job: sandbox.sh section 5b) with
# the control port as its stdout and, as its stdin, the lines that come on the port, until it ends.
run_shell() {
	local dir=$1 line='' part sandbox rc
	mkdir -p "$dir/out"
	mkfifo "$dir/in"
	unshare --kill-child=KILL --net --mount --uts --ipc --pid --fork --mount-proc --propagation private \
		bash "$dir/sandbox.sh" "$dir/job.json" "$dir/out" "$(stat -L -c %i /proc/self/ns/net)" "$(stat -L -c %i /proc/self/ns/mnt)" \
		<"$dir/in" >&9 2>/dev/console &
	sandbox=$!
	exec 8>"$dir/in"
	while kill -0 "$sandbox" 2>/dev/null; do
		# (a read that times out keeps what it got of the line: the rest comes with the next)
		IFS= read -r -t 1 -u 9 part || { line+=$part; continue; }
		printf '%s\n' "$line$part" >&8
		# (after quit the next line is for init again: a new lab may follow at once)
		[[ $line$part == quit ]] && break
		line=''
	done
	exec 8>&-
	wait "$sandbox"
	rc=$?
	say "exit $rc"
	printf 'shell ended %d\n' "$rc" >&9
}

# Debian ships Python without its bytecode (dpkg's postinst compiles it), so the first
# `python3 -m http.server` would compile every module it imports: 14 s under TCG, and again in
# every sandbox, whose /usr is a copy-on-write overlay. Compiled once here, into the image's own
# /usr, the chapters' servers start in about 3 s.
python3 -c 'import http.server' 2>/dev/null || say 'cannot warm up python3'

# Outside /run and /tmp, which the sandbox covers with its own tmpfs before it reads the job.
JOB=/netbook
read -r up _ </proc/uptime
say "ready $(printf '%.0f' "${up/./}0")"
printf 'ready\n' >&9
jobs_run=0
while IFS= read -r -u 9 line; do
	case $line in
	job\ * | job64\ * | shell64\ *)
		n=${line#* }
		jobs_run=$((jobs_run + 1))
		dir=$JOB/$jobs_run
		mkdir -p "$dir"
		if [[ $line != job\ * ]]; then
			# v86 drops what the guest has no buffer for: the job comes as N lines of base64, one
			# at a time, each answered "ok" (see src/lib/engines/v86/guest.ts).
			for ((k = 0; k < n; k++)); do
				IFS= read -r -u 9 chunk || fatal 'cannot read the job'
				printf '%s\n' "$chunk"
				printf 'ok\n' >&9
			done | base64 -d >"$dir.tar" || fatal 'the job is not base64'
		else
			head -c "$n" <&9 >"$dir.tar" || fatal 'cannot read the job'
		fi
		tar -x -C "$dir" -f "$dir.tar" job.json sandbox.sh || fatal 'the job is not a tar of job.json and sandbox.sh'
		if [[ $line == shell64\ * ]]; then
			run_shell "$dir"
			rm -rf "$dir" "$dir.tar"
			continue
		fi
		run_job "$dir"
		tar -C "$dir" -cf "$dir/results.tar" out exit stderr || fatal 'cannot pack the results'
		printf 'results %d\n' "$(stat -c %s "$dir/results.tar")" >&9
		cat "$dir/results.tar" >&9 || fatal 'cannot send the results'
		rm -rf "$dir" "$dir.tar"
		;;
	quit) break ;;
	*) say "unknown request: $line" ;;
	esac
done
halt
