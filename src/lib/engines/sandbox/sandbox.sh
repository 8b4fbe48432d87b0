#!/usr/bin/env bash
# netbook lab sandbox: builds one chapter's lab inside a sealed sandbox, runs the chapter's
# commands on their hosts and writes their raw outputs (files) and kernel state (JSON). Pure
# bash + iproute2 + jq + util-linux: no Node inside, so it also runs in a VM or on a Raspberry Pi.
#
# Usage, as root (the TypeScript side, src/lib/engines/local/local.ts, does this):
#   unshare --net --mount --uts --ipc --pid --fork --mount-proc --propagation private \
#     bash sandbox.sh JOB.json OUT-DIR CALLER-NETNS-INODE CALLER-MNTNS-INODE
#
# JOB.json: { "chapter", "timeout" (s), "lab": <examples/labs schema>, "interactive"? (section 5b),
#             "blocks": [ { "index", "line", "host", "capture", "commands": [ "…" ] } ] }
#             capture: record the state after the block (diagram blocks, the block before the cleanup)
#           "script"?: { "runs": [ "…" ], "host"?, "prepare"?, "dump"?, "strict"? }: the chapter's
#             downloadable script, run after the chapter (see section 6): each text of "runs" once, in
#             order; "host" for a one-machine lab, absent when it drives several. Tests add "prepare"
#             (bash run as root on every host before the first run, e.g. to give it Docker's state),
#             "dump" (bash run as root on every host before the first run and after each one, its
#             output kept: the machine's state) and "strict": false (run without NETBOOK_STRICT)
#           "nics"?: [ { "host", "name", "mac", "wire" } ]: lab interfaces that are real NICs of the
#             machine instead of veths (the VM transport: two virtio NICs on one QEMU hub, the
#             wire between them). Once sealed, the script asks for them with a line "want nics" on
#             stderr; whoever started it (the VM's init) moves them into its network namespace;
#             it takes NIC "mac" as the host's interface "name" and NIC "wire" as the wire's far
#             end, waits for their carrier, and refuses any other interface
#           "files"?: [ { "path", "mode", "text" } ]: files every host has from the start (the book's
#             own programs the chapter calls), only under a folder the sandbox overlays
# OUT-DIR receives:
#   steps.jsonl    one line per command: {"b","s","exit","timedOut","ms"}
#   B.S.out B.S.err  raw stdout and stderr of command S of block B (both from 0)
#   states.jsonl   one line per capture: {"after": <block index> | "end", "state": {host: {netns: …}}}
#   recorded.json  {"kernel","iproute2","iptables","arch","os","date"}
#   script-K.json  {"exit","timedOut","ms"} of the chapter script's run K (script-K.out, script-K.err), from 0
#   dump-K-HOST    what "dump" printed on HOST before run K (K from 0; the last one after the last run)
#   prepare-HOST   what "prepare" printed on HOST (if it fails the sandbox stops, exit 4)
#   done           written last, when everything ran
# Progress goes to stderr as "progress B S MS" lines (MS: the command and its settling); anything
# else on stderr is a diagnostic, except "want nics" (see "nics").
#
# Exit codes: 0 ran (commands may have failed: see steps.jsonl), 3 refused (not root, not
# sealed, a tool missing), 4 the lab could not be built, 5 bad usage or job.
#
# Safety: it refuses to do anything unless it is PID 1 of a fresh PID namespace, in network and
# mount namespaces that differ from the caller's, with nothing but lo. Every mount is made in
# the sandbox's private mount namespace; every interface lives in its namespaces. When this
# script (PID 1) exits, the kernel kills every process in the sandbox and frees everything.

set -u
set -o pipefail
export LC_ALL=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() {
	local code=$1
	shift
	printf 'sandbox: %s\n' "$*" >&2
	exit "$code"
}

[[ $# -eq 4 ]] || die 5 'usage: sandbox.sh JOB.json OUT-DIR CALLER-NETNS-INODE CALLER-MNTNS-INODE'
JOB=$1 OUT=$2 CALLER_NET=$3 CALLER_MNT=$4

# ---------------------------------------------------------------------------------------------
# 1. Refuse unless sealed. Nothing above this block changes anything.
# ---------------------------------------------------------------------------------------------
((EUID == 0)) || die 3 'refused: the lab sandbox needs root (uid 0) on Linux'
# Every program this script calls (src/lib/setup/ maps them to Debian packages; a test keeps the
# list complete). Bash builtins are not programs.
NEEDS=(awk base64 bash chmod cp cut date env head hostname ip iptables jq mkdir mkfifo mount nsenter readlink rm sed sleep sort stat sysctl tail timeout uname unshare)
missing=()
for tool in "${NEEDS[@]}"; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
(( ${#missing[@]} == 0 )) ||
	die 3 "refused: missing programs: ${missing[*]} (their Debian packages: src/lib/book/packages.ts)"

read -r proc_pid _ </proc/self/stat
[[ $$ == 1 && $proc_pid == 1 ]] ||
	die 3 'refused: not sealed: not PID 1 of a fresh PID namespace with its own /proc (use unshare --pid --fork --mount-proc)'
read -r -d '' own_net own_mnt < <(stat -L -c %i /proc/self/ns/net /proc/self/ns/mnt)
[[ $own_net != "$CALLER_NET" ]] ||
	die 3 "refused: not sealed: the network namespace is the caller's (use unshare --net)"
[[ $own_mnt != "$CALLER_MNT" ]] ||
	die 3 "refused: not sealed: the mount namespace is the caller's (use unshare --mount)"
links=$(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); printf "%s ", $2 }')
[[ $links == 'lo ' ]] || die 3 "refused: not sealed: interfaces besides lo: $links"
[[ -r $JOB && -d $OUT ]] || die 5 "job $JOB or output folder $OUT missing"

# ---------------------------------------------------------------------------------------------
# 2. Private filesystem: /run and /tmp tmpfs, /etc /var … copy-on-write, fresh sysfs,
#    /proc/sys read-only except /proc/sys/net (which follows each process's netns).
# ---------------------------------------------------------------------------------------------
W=/run/lab/w
mount --make-rprivate / || die 4 'cannot make / private'
mount -t tmpfs -o mode=755 tmpfs /run || die 4 'cannot mount /run'
mkdir -p /run/lab/out $W /run/netns /run/lock
mount --bind "$OUT" /run/lab/out || die 4 "cannot bind $OUT"
cp "$JOB" /run/lab/job.json || die 5 "cannot read $JOB"
O=/run/lab/out
mount -t tmpfs -o mode=1777 tmpfs /tmp || die 4 'cannot mount /tmp'

# The book's own programs go to /opt (the job's "files"). A VM's root lives in RAM and may have no
# /opt: make it there (that root goes with the VM); a machine on a disk keeps its own, untouched.
[[ -d /opt || ! $(stat -f -c %T /) =~ ^(tmpfs|ramfs)$ ]] || mkdir /opt || die 4 'cannot make /opt'
# Directories a lesson may write to: overlaid so the real ones never change. The originals are
# bind-mounted under /run/lab/orig first, so each host's overlay can stack on them directly (on a
# machine whose / is itself an overlay, e.g. a container, overlays may only nest two deep).
OVERLAID=()
for d in /etc /var /root /home /opt /usr /srv; do [[ -d $d && ! -L $d ]] && OVERLAID+=("$d"); done
overlay_all() {
	local d dirs=()
	for d in "${OVERLAID[@]}"; do dirs+=("/run/lab/orig$d" "/run/lab/ovl$d/u" "/run/lab/ovl$d/w"); done
	mkdir -p "${dirs[@]}" || return 1
	for d in "${OVERLAID[@]}"; do
		mount --bind "$d" "/run/lab/orig$d" || return 1
		mount -t overlay overlay -o "lowerdir=/run/lab/orig$d,upperdir=/run/lab/ovl$d/u,workdir=/run/lab/ovl$d/w" "$d" || return 1
	done
}
overlay_all || die 4 'cannot mount the overlays (is overlayfs available?)'
mount -t sysfs sysfs /sys || die 4 'cannot mount sysfs'
protect_proc_sys() {
	mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys &&
		mount --bind /proc/sys/net /proc/sys/net && mount -o remount,bind,rw /proc/sys/net
}
protect_proc_sys || die 4 'cannot protect /proc/sys'

printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >/etc/hosts
printf '%s: files\n' passwd group shadow hosts networks protocols services ethers rpc netgroup >/etc/nsswitch.conf
rm -f /etc/resolv.conf && printf '# lab sandbox: no DNS\n' >/etc/resolv.conf

# ---------------------------------------------------------------------------------------------
# 3. Read the job (one jq call turns it into bash assignments).
# ---------------------------------------------------------------------------------------------
declare -a H_NAME=() H_PID=() I_HOST=() I_NAME=() I_SW=() I_UP=() I_ADDR=() R_HOST=() R_TO=() R_VIA=()
declare -a S_HOST=() S_KEY=() S_VAL=() SW_NAME=() UP_NET=() B_HOST=() B_CAPTURE=() B_N=()
declare -a N_KEY=() N_MAC=() N_WIRE=()
declare -A CMD=() HOST_IX=() NIC=()
UP_GW='' TIMEOUT=30 SCRIPT_RUNS=0 SCRIPT_HOST='' SCRIPT_DUMP='' SCRIPT_STRICT=1
job_sh=$(jq -r '
	def q: tostring | @sh;
	"TIMEOUT=\(.timeout // 30 | q)",
	"SCRIPT_RUNS=\(.script.runs // [] | length); SCRIPT_HOST=\(.script.host // "" | q)",
	"SCRIPT_DUMP=\(if .script.dump then "yes" else "" end | q); SCRIPT_STRICT=\(if .script.strict == false then "" else "1" end | q)",
	(.lab.hosts | to_entries[] | .key as $h | .value |
		"H_NAME[\($h)]=\(.name | q)",
		(.interfaces[] | "I_HOST+=(\($h)); I_NAME+=(\(.name | q)); I_SW+=(\(.switch // "" | q)); I_UP+=(\(.uplink // false | q)); I_ADDR+=(\(.address // "" | q))"),
		((.routes // [])[] | "R_HOST+=(\($h)); R_TO+=(\(.to | q)); R_VIA+=(\(.via | q))"),
		((.sysctls // {}) | to_entries[] | "S_HOST+=(\($h)); S_KEY+=(\(.key | q)); S_VAL+=(\(.value | q))")),
	((.lab.switches // [])[] | "SW_NAME+=(\(.name | q))"),
	((.nics // [])[] | "N_KEY+=(\("\(.host)/\(.name)" | q)); N_MAC+=(\(.mac | ascii_downcase | q)); N_WIRE+=(\(.wire | ascii_downcase | q))"),
	(if .lab.upstream then "UP_GW=\(.lab.upstream.gateway | q)", (.lab.upstream.internet[] | "UP_NET+=(\(. | q))") else empty end),
	(.blocks | to_entries[] | .key as $b | .value |
		"B_HOST[\($b)]=\(.host | q); B_CAPTURE[\($b)]=\(.capture // false | q); B_N[\($b)]=\(.commands | length)",
		(.commands | to_entries[] | "CMD[\($b):\(.key)]=\(.value | q)"))
' /run/lab/job.json) || die 5 'the job is not valid JSON of the expected shape'
eval "$job_sh"
[[ ${#H_NAME[@]} -gt 0 ]] || die 5 'the job has no lab hosts'
for i in "${!H_NAME[@]}"; do HOST_IX[${H_NAME[$i]}]=$i; done
for k in "${!N_KEY[@]}"; do NIC[${N_KEY[$k]}]=$k; done

# The job's files (the book's own programs the chapter calls, such as its CNI plugin), written into
# the overlays before the hosts exist, so every host has them: only under an overlaid folder, so
# nothing reaches the machine's own files.
nfiles=$(jq '.files // [] | length' /run/lab/job.json) || die 5 'the job is not valid JSON of the expected shape'
for ((f = 0; f < nfiles; f++)); do
	path=$(jq -r ".files[$f].path" /run/lab/job.json) mode=$(jq -r ".files[$f].mode" /run/lab/job.json)
	top=${path#/} && top=/${top%%/*}
	[[ $path == /*/* && $path != *..* && " ${OVERLAID[*]} " == *" $top "* ]] ||
		die 5 "the job's file $path is not under a folder the sandbox overlays (${OVERLAID[*]})"
	{ mkdir -p "${path%/*}" && jq -j ".files[$f].text" /run/lab/job.json >"$path" && chmod "$mode" "$path"; } ||
		die 4 "lab build failed: cannot write the job's file $path"
done

# ---------------------------------------------------------------------------------------------
# 4. Build the lab.
# ---------------------------------------------------------------------------------------------
# run CMD…: runs a build step; on failure the whole sandbox stops with the step and its output.
run() {
	local out
	out=$("$@" 2>&1) || die 4 "lab build failed: $*: $out"
}

# holder NAME UNSHARE-FLAGS…: starts a process that holds new namespaces; prints its PID once
# the namespaces exist. Hosts get PID 1 = a bash that reaps orphans (a real machine's init).
holder() {
	local name=$1 fifo="$W/ready.$1" hold="$W/hold.$1" ok=''
	shift
	mkfifo "$fifo" "$hold"
	# PID 1 of a host is a bash named init that blocks on a private fifo and reaps orphans.
	unshare "$@" -- bash -c 'echo ok >&9; exec 9>&-; exec -a init bash' 9>"$fifo" 8<>"$hold" \
		<<<'while :; do read -r -u 8 _; done' >/dev/null 2>>"$W/holder.$name.log" &
	local pid=$!
	read -r ok <"$fifo"
	rm -f "$fifo" "$hold"
	[[ $ok == ok ]] || die 4 "lab build failed: namespaces for $name did not start"
	printf '%s' "$pid"
}

# Infrastructure: every wire's far end lives in one hidden namespace "wires" (switches are
# bridges there); the upstream router + pretend internet is a second hidden namespace.
WIRES=$(holder wires --net --uts) || exit 4
run ip netns attach wires "$WIRES"
infra_sysctls() { # no IPv6 chatter or DAD from infrastructure; plain switches
	nsenter -t "$1" -n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 >/dev/null 2>&1
	nsenter -t "$1" -n sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
		net.bridge.bridge-nf-call-arptables=0 >/dev/null 2>&1
	return 0
}
infra_sysctls "$WIRES"
run nsenter -t "$WIRES" -n -u hostname wires
run ip -n wires link set lo up

UPSTREAM=''
if [[ -n $UP_GW ]]; then
	UPSTREAM=$(holder upstream --net --uts) || exit 4
	run ip netns attach upstream "$UPSTREAM"
	infra_sysctls "$UPSTREAM"
	run nsenter -t "$UPSTREAM" -n -u hostname upstream
fi

# Hosts: own net, mount, uts, ipc and pid namespaces, own /run (so /run/netns), /tmp, sysfs,
# and their own copy-on-write /etc /var /root …, hostname, /etc/hosts. IPv4 settings of a new
# namespace are copied from the real machine's: forwarding starts off whatever the machine says.
HOST_SETUP='
set -e
name=$1
hostname "$name"
mount -t tmpfs -o mode=755 tmpfs /tmp
dirs=()
for d in '"${OVERLAID[*]}"'; do dirs+=("/tmp/o$d/u" "/tmp/o$d/w"); done
mkdir -p "${dirs[@]}"
for d in '"${OVERLAID[*]}"'; do
	mount -t overlay overlay -o "lowerdir=/run/lab/ovl$d/u:/run/lab/orig$d,upperdir=/tmp/o$d/u,workdir=/tmp/o$d/w" "$d"
done
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/netns /run/lock
mount -t sysfs sysfs /sys
mount --bind /proc/sys /proc/sys
mount -o remount,bind,ro /proc/sys
mount --bind /proc/sys/net /proc/sys/net
mount -o remount,bind,rw /proc/sys/net
printf "%s\n" "$name" >/etc/hostname
printf "127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n" "$name" >/etc/hosts
ip link set lo up
sysctl -qw net.ipv4.ip_forward=0
'
for i in "${!H_NAME[@]}"; do
	h=${H_NAME[$i]}
	pid=$(holder "$h" --net --mount --uts --ipc --pid --fork --mount-proc --propagation private) || exit 4
	H_PID[$i]=$pid
	run nsenter -t "$pid" -n -m -u -- bash -c "$HOST_SETUP" host-setup "$h"
	# The wires namespace is netns id 99 in every host's view (like KERNEL-FACTS' pinned upstream),
	# so namespaces a lesson creates get ids 0, 1, … as on a real machine.
	run nsenter -t "$pid" -n -- ip netns set wires 99
	# State of the host's interactive shell: variables, functions and cwd carry over between
	# commands, as in a terminal.
	printf 'export PATH=%s HOME=/root LANG=C.UTF-8 TERM=dumb USER=root LOGNAME=root SHELL=/bin/bash\ncd /root\n' \
		"$PATH" >"$W/sh-$h.0"
done

# The machine's NICs for the lab (job.nics), in this namespace: ask, wait at most 10 s, then
# accept exactly the MACs the job names (sorted, space-separated, as macs_here prints them).
macs_here() {
	ip -o link show | awk '{ for (i = 1; i < NF; i++) if ($i == "link/ether") print $(i + 1) }' | sort | {
		mapfile -t m
		printf '%s' "${m[*]}"
	}
}
link_of_mac() { # MAC: the name of the interface with that MAC, in this namespace
	ip -o link show | awk -v m="$1" '{ for (i = 1; i < NF; i++) if ($i == "link/ether" && $(i + 1) == m) { sub(/:$/, "", $2); print $2 } }'
}
if ((${#N_KEY[@]} > 0)); then
	wanted=$(printf '%s\n' "${N_MAC[@]}" "${N_WIRE[@]}" | sort | { mapfile -t m; printf '%s' "${m[*]}"; })
	printf 'want nics\n' >&2
	for ((k = 0; k < 200; k++)); do
		have=$(macs_here)
		[[ $have == "$wanted" ]] && break
		sleep 0.05
	done
	for m in $have; do
		[[ " $wanted " == *" $m "* ]] || die 3 "refused: not sealed: an interface that the job does not name arrived ($m)"
	done
	[[ $have == "$wanted" ]] || die 4 "lab build failed: the machine's NICs did not arrive (want $wanted, have ${have:-none})"
fi

mac() { printf '02:00:00:00:%02x:%02x' "$1" "$2"; }
# What a namespace's `ip` does is collected in batches (one `ip -batch` each instead of one `ip`
# per line: every exec costs a VM under TCG 50–150 ms): WIRES_ADD (the hosts' veths) and WIRES_IP
# for the wires namespace, UP_IP for the upstream router, H_DAD[i] and H_IP[i] for host i (its
# links' settings before they come up, then its links and addresses). They run in that order.
WIRES_ADD='' WIRES_IP='' UP_IP='' H_IP=() H_DAD=()
n=0
for j in "${!I_NAME[@]}"; do
	n=$((n + 1))
	hi=${I_HOST[$j]}
	pid=${H_PID[$hi]}
	dev=${I_NAME[$j]}
	k=${NIC[${H_NAME[$hi]}/$dev]:-}
	if [[ -n $k ]]; then # a real NIC: renamed on the way, so no name clashes with what is there
		nic=$(link_of_mac "${N_MAC[$k]}") wire=$(link_of_mac "${N_WIRE[$k]}")
		run ip link set dev "$nic" name "nb-host$n"
		run ip link set dev "nb-host$n" netns "$pid"
		run nsenter -t "$pid" -n ip link set dev "nb-host$n" name "$dev"
		run ip link set dev "$wire" name "nb-wire$n"
		run ip link set dev "nb-wire$n" netns wires
		WIRES_ADD+="link set dev nb-wire$n name p$n"$'\n'
	else
		WIRES_ADD+="link add p$n address $(mac 1 "$n") type veth peer name $dev address $(mac 0 "$n") netns $pid"$'\n'
	fi
	# Lab interfaces come up without DAD so a chapter starts from a settled machine.
	H_DAD[hi]+=" net.ipv6.conf.$dev.accept_dad=0"
	H_IP[hi]+="link set $dev up"$'\n'
	[[ -z ${I_ADDR[$j]} ]] || H_IP[hi]+="addr add ${I_ADDR[$j]} dev $dev"$'\n'
done
if [[ -n $UPSTREAM ]]; then
	WIRES_IP+="link add uplink address $(mac 1 254) type veth peer name eth0 address $(mac 0 254) netns $UPSTREAM"$'\n'
	WIRES_IP+="link add upstream address $(mac 2 254) type bridge mcast_snooping 0"$'\n'
	WIRES_IP+="link set uplink master upstream"$'\n'"link set uplink up"$'\n'"link set upstream up"$'\n'
	UP_IP+="link set lo up"$'\n'
	for a in "${UP_NET[@]}"; do UP_IP+="addr add $a/32 dev lo"$'\n'; done
	UP_IP+="addr add $UP_GW dev eth0"$'\n'"link set eth0 up"$'\n'
fi
for k in "${!SW_NAME[@]}"; do
	WIRES_IP+="link add ${SW_NAME[$k]} address $(mac 2 $((k + 1))) type bridge mcast_snooping 0"$'\n'"link set ${SW_NAME[$k]} up"$'\n'
done
n=0
for j in "${!I_NAME[@]}"; do
	n=$((n + 1))
	if [[ ${I_UP[$j]} == true ]]; then WIRES_IP+="link set p$n master upstream"$'\n'; else WIRES_IP+="link set p$n master ${I_SW[$j]}"$'\n'; fi
	WIRES_IP+="link set p$n up"$'\n'
done
run_batch() { # WHAT LINES CMD…: runs CMD with LINES on stdin, unless there are none
	[[ -z $2 ]] && return 0
	local out
	out=$("${@:3}" <<<"$2" 2>&1) || die 4 "lab build failed: $1: $out"
}
run_batch 'the wires' "$WIRES_ADD" ip -n wires -batch -
for i in "${!H_NAME[@]}"; do
	[[ -z ${H_DAD[$i]:-} ]] || run nsenter -t "${H_PID[$i]}" -n sysctl -qw ${H_DAD[$i]}
done
run_batch 'the wires' "$WIRES_IP" ip -n wires -batch -
run_batch 'the upstream router' "$UP_IP" ip -n upstream -batch -
for i in "${!H_NAME[@]}"; do
	run_batch "host ${H_NAME[$i]}" "${H_IP[$i]:-}" nsenter -t "${H_PID[$i]}" -n ip -batch -
done
# A NIC's carrier comes up a moment after the link (the driver's link watch): wait for it, at most 5 s.
for j in "${!I_NAME[@]}"; do
	[[ -n ${NIC[${H_NAME[${I_HOST[$j]}]}/${I_NAME[$j]}]:-} ]] || continue
	carrier=/proc/${H_PID[${I_HOST[$j]}]}/root/sys/class/net/${I_NAME[$j]}/carrier
	for ((k = 0; k < 100; k++)); do
		[[ $(<"$carrier") == 1 ]] 2>/dev/null && break
		sleep 0.05
	done
	[[ $(<"$carrier") == 1 ]] 2>/dev/null || die 4 "lab build failed: no carrier on ${I_NAME[$j]} of ${H_NAME[${I_HOST[$j]}]}"
done
H_ROUTES=() H_SYSCTL=()
for j in "${!R_TO[@]}"; do H_ROUTES[${R_HOST[$j]}]+="route add ${R_TO[$j]} via ${R_VIA[$j]}"$'\n'; done
for j in "${!S_KEY[@]}"; do H_SYSCTL[${S_HOST[$j]}]+=" ${S_KEY[$j]}=${S_VAL[$j]}"; done
for i in "${!H_NAME[@]}"; do
	run_batch "routes of host ${H_NAME[$i]}" "${H_ROUTES[$i]:-}" nsenter -t "${H_PID[$i]}" -n ip -batch -
	[[ -z ${H_SYSCTL[$i]:-} ]] || run nsenter -t "${H_PID[$i]}" -n sysctl -qw ${H_SYSCTL[$i]}
done

# ---------------------------------------------------------------------------------------------
# 5. Run the chapter.
# ---------------------------------------------------------------------------------------------
# Each host has an agent: a plain `bash` (reading this from stdin, so `ps` shows "bash", not this
# script) that runs inside the host and answers requests on fd 10, one line each, on fd 11:
#   run SIDE B S   runs the step's command (the file cmd-HOST) in a subshell that restores the shell
#                  state sh-HOST.SIDE, saves it to the other side, with stdout B.S.out, stderr
#                  B.S.err; answers "EXIT TIMEDOUT"
#   settle         answers how much is still settling in the host's lesson namespaces
#   capture        writes the host's state to cap-HOST; answers "done"
# A step forks the agent instead of starting nsenter and bash: each exec costs a VM under TCG
# 50–150 ms, so this is most of a step's overhead there. The sandbox's folders W and O are not
# visible in the host's mount namespace; the agent reaches them through its fds 12 (W) and 13
# (O). The step's subshell has a process group of its own (set -m), so a timeout ends the command
# and everything it started, as timeout(1) would: its subshell holds the write end of the fifo
# end-HOST (the command never sees it, so its background processes do not hold it) and EOF on
# the read end is the end of the step. The command never sees fds 7, 8 and 10–13. Everything the
# agent sets is named __nb_* (the state leaves those out) and it defines no functions.
AGENT='
__nb_w=/proc/$BASHPID/fd/12 __nb_o=/proc/$BASHPID/fd/13
set -m
while IFS= read -r -u 10 __nb_req; do
	case $__nb_req in
	run\ *)
		read -r _ __nb_side __nb_b __nb_s <<<"$__nb_req"
		(
			exec 0</dev/null 10<&- 11>&-
			. "$__nb_w/sh-$__nb_host.$__nb_side" >/dev/null 2>&1
			IFS= read -r -d "" __nb_cmd <"$__nb_w/cmd-$__nb_host"
			__nb_new="$__nb_w/sh-$__nb_host.$((1 - __nb_side))"
			exec 4>"$__nb_new"
			eval "$__nb_cmd" 4>&- 7>&- 12<&- 13<&-
			__nb_rc=$?
			{
				for __nb_v in $(compgen -v); do
					case $__nb_v in
					BASH* | EUID | PPID | UID | SHELLOPTS | GROUPS | FUNCNAME | PIPESTATUS | RANDOM | SRANDOM | SECONDS | \
						LINENO | EPOCHREALTIME | EPOCHSECONDS | HISTCMD | SHLVL | _ | OLDPWD | PWD | HOSTNAME | HOSTTYPE | \
						MACHTYPE | OSTYPE | OPTIND | OPTERR | OPTARG | IFS | PS4 | DIRSTACK | COMP_WORDBREAKS | COLUMNS | LINES | __nb_*) ;;
					*) declare -p "$__nb_v" 2>/dev/null ;;
					esac
				done
				declare -f
				printf "cd -- %q 2>/dev/null || cd /root\n" "$PWD"
			} >&4 2>/dev/null
			exit $__nb_rc
		) 7>"$__nb_w/end-$__nb_host" >"$__nb_o/$__nb_b.$__nb_s.out" 2>"$__nb_o/$__nb_b.$__nb_s.err" &
		__nb_job=$!
		printf "%d\n" "$__nb_job" >"$__nb_w/job-$__nb_host"
		exec 8<"$__nb_w/end-$__nb_host"
		__nb_timed=false
		read -r -t "$__nb_timeout" -u 8 _
		if (($? > 128)); then # still running: TERM to its process group, KILL 2 s later (timeout -k 2)
			__nb_timed=true
			kill -TERM -- "-$__nb_job" 2>/dev/null
			read -r -t 2 -u 8 _
			(($? > 128)) && kill -KILL -- "-$__nb_job" 2>/dev/null
		fi
		exec 8<&-
		{ wait "$__nb_job"; } 2>/dev/null # (no "Killed" notice from the shell)
		printf "%d %s\n" $? "$__nb_timed" >&11
		;;
	settle) (eval "$__nb_settle") >&11 2>/dev/null || echo 0 >&11 ;;
	capture)
		(eval "$__nb_capture") >"$__nb_w/cap-$__nb_host" 2>/dev/null || printf "{}\n" >"$__nb_w/cap-$__nb_host"
		echo done >&11
		;;
	esac
done
'

# Counts what is still settling in the lesson namespaces of a host (those in its /run/netns):
# IPv6 addresses doing DAD on links that are up with carrier, and links whose operstate lags
# their flags (the kernel's linkwatch updates it up to a second later). Pure bash after `ip`;
# run by the host's agent.
SETTLE_NETNS='
shopt -s lastpipe # (no process substitution: /proc here is the host'"'"'s, not ours)
n=0
for ns in /run/netns/*; do
	[[ -e $ns ]] || continue
	ns=${ns##*/}
	declare -A lower=()
	ip -n "$ns" -o link show 2>/dev/null | while read -r _ dev flags rest; do
		dev=${dev%:}; dev=${dev%@*}; st=""
		[[ $rest =~ " state "([A-Z]+) ]] && st=${BASH_REMATCH[1]}
		flags=",${flags//[<>]/},"
		up=0; [[ $flags == *,UP,* ]] && up=1
		lo=0; [[ $flags == *,LOWER_UP,* ]] && lo=1
		lower[$dev]=$((up && lo))
		if ((up && lo)) && [[ $st == DOWN || $st == LOWERLAYERDOWN ]]; then n=$((n + 1));
		elif [[ $st == UP ]] && ! ((up && lo)); then n=$((n + 1)); fi
	done
	ip -n "$ns" -o -6 addr show tentative -dadfailed 2>/dev/null | while read -r _ dev _; do
		[[ ${lower[$dev]:-0} == 1 ]] && n=$((n + 1))
	done
	unset lower
done
echo "$n"
'

# unsettled_host HOST-INDEX [reads]: the same check for a host's own namespace, read straight from its sysfs
# and /proc/PID/net without forking; then the lesson namespaces, if it has any (not after a
# command that only reads: see reads_only). The count goes
# into UNSETTLED (not printed: a command substitution would fork, which costs ~20 ms in a VM).
UNSETTLED=0
unsettled_host() {
	local hi=$1 pid=${H_PID[$1]} d dev flags carrier st n=0 line f k
	local sys="/proc/$pid/root/sys/class/net"
	local -A lower=()
	for d in "$sys"/*; do
		dev=${d##*/} flags=0 carrier=0 st=''
		read -r flags <"$d/flags" 2>/dev/null
		read -r carrier <"$d/carrier" 2>/dev/null
		read -r st <"$d/operstate" 2>/dev/null
		if ((flags & 1)) && [[ $carrier == 1 ]]; then
			lower[$dev]=1
			[[ $st == down || $st == lowerlayerdown ]] && n=$((n + 1))
		elif [[ $st == up ]]; then
			n=$((n + 1))
		fi
	done
	while read -r -a line; do # address ifindex plen scope flags dev; 0x40 tentative, 0x08 dadfailed
		f=$((16#${line[4]:-0}))
		((f & 0x40 && !(f & 0x08))) && [[ ${lower[${line[5]:-}]:-0} == 1 ]] && n=$((n + 1))
	done <"/proc/$pid/net/if_inet6"
	if [[ ${2-} != reads ]] && compgen -G "/proc/$pid/root/run/netns/*" >/dev/null; then
		printf 'settle\n' >&"${H_ASK[$hi]}"
		read -r k <&"${H_SAY[$hi]}" || agent_stopped "$hi"
		n=$((n + ${k:-0}))
	fi
	UNSETTLED=$n
}

# Prints one host's state: {"": {link, addr, route, neigh}, "<netns>": {…}, …}.
CAPTURE='
cap() { local o v; for o in link addr route neigh; do v=$(ip "$@" -j "$o" 2>/dev/null); printf "%s\n" "${v:-[]}"; done; }
{
	printf "\"\"\n"
	cap
	for ns in $(ip netns list 2>/dev/null | cut -d" " -f1 | sort); do
		printf "%s" "$ns" | jq -R .
		cap -n "$ns"
	done
} | jq -c -n "[inputs] | [range(0; length; 5) as \$i | {key: .[\$i], value: {link: .[\$i + 1], addr: .[\$i + 2], route: .[\$i + 3], neigh: .[\$i + 4]}}] | from_entries"
'

# True when a step's command cannot have changed a link or an address: one simple command (no
# shell syntax) that reads state or sends packets. After such a command the settling check skips
# the host's lesson namespaces, whose check costs a VM several execs (about a second).
reads_only() { # CMD
	local w words
	[[ $1 == *[\;\&\|\<\>\$\`\(\)\{\}\\]* || $1 == *$'\n'* ]] && return 1
	read -r -a words <<<"$1"
	while [[ ${words[0]-} == ip && ${words[1]-} == netns && ${words[2]-} == exec ]]; do words=("${words[@]:4}"); done
	# (programs that only read or send, as words: none of them is called here)
	[[ ' ping curl iptables iptables-save ip6tables ip6tables-save conntrack cat ls jq grep ss echo ' == *" ${words[0]-} "* ]] && return 0
	if [[ ${words[0]-} == ip || ${words[0]-} == bridge ]]; then # unless a verb changes something
		for w in "${words[@]:1}"; do
			case $w in add | del | delete | set | change | replace | flush | exec | append | prepend | attach | monitor) return 1 ;; esac
		done
		return 0
	fi
	if [[ ${words[0]-} == sysctl ]]; then # reading, not writing
		for w in "${words[@]:1}"; do [[ $w == -w || $w == *=* || $w == -p* || $w == --system ]] && return 1; done
		return 0
	fi
	return 1
}

settle() { # HOST-INDEX [CMD]: waits (at most 5 s) until nothing is settling on that host (after CMD)
	local k scope=all
	[[ -n ${2-} ]] && reads_only "$2" && scope=reads
	for ((k = 0; k < 100; k++)); do
		unsettled_host "$1" "$scope"
		((UNSETTLED == 0)) && return 0
		sleep 0.05
	done
}

capture() { # AFTER: block index or "end". Every host's agent captures at once.
	local i line
	for i in "${!H_NAME[@]}"; do printf 'capture\n' >&"${H_ASK[$i]}"; done
	for i in "${!H_NAME[@]}"; do read -r _ <&"${H_SAY[$i]}" || agent_stopped "$i"; done
	{
		for i in "${!H_NAME[@]}"; do
			line=''
			read -r line <"$W/cap-${H_NAME[$i]}"
			[[ -n $line ]] || line='{}'
			printf '"%s"\n%s\n' "${H_NAME[$i]}" "$line" # (host names need no JSON escapes)
		done
	} | jq -c -n --arg after "$1" '{after: ($after | tonumber? // $after), state: ([inputs] | [range(0; length; 2) as $i | {key: .[$i], value: .[$i + 1]}] | from_entries)}' \
		>>"$O/states.jsonl"
}

STATE_SIDE=() # per host: which of its two state files (sh-HOST.0, sh-HOST.1) is current
H_ASK=() H_SAY=() # per host: the agent's request (write) and answer (read) fds

agent_stopped() { # HOST-INDEX
	local said=''
	local -a lines=()
	[[ -s $W/agent.${H_NAME[$1]}.log ]] && mapfile -t lines <"$W/agent.${H_NAME[$1]}.log" && said=": ${lines[*]: -3}"
	die 4 "the shell of lab host ${H_NAME[$1]} stopped$said"
}

start_agent() { # HOST-INDEX: starts the host's agent (see AGENT) and opens its fifos
	local i=$1 h=${H_NAME[$1]} pid=${H_PID[$1]} fd
	mkfifo "$W/ask-$h" "$W/say-$h" "$W/end-$h"
	# -c: an empty environment (the shell state sets PATH, HOME…), as `env -i` would.
	exec -c nsenter -t "$pid" -n -m -u -i "--pid=/proc/$pid/ns/pid_for_children" -- /bin/bash \
		10<"$W/ask-$h" 11>"$W/say-$h" 12<"$W" 13<"$O" >/dev/null 2>>"$W/agent.$h.log" \
		<<<"$(printf '__nb_host=%q __nb_timeout=%q\n__nb_settle=%q\n__nb_capture=%q\n' "$h" "$TIMEOUT" "$SETTLE_NETNS" "$CAPTURE")
for __nb_f in /proc/\$BASHPID/fd/*; do __nb_f=\${__nb_f##*/}; case \$__nb_f in 0 | 1 | 2 | 1[0-3]) ;; *) eval \"exec \$__nb_f>&-\" ;; esac; done 2>/dev/null
$AGENT" &
	exec {fd}>"$W/ask-$h"
	H_ASK[i]=$fd
	exec {fd}<"$W/say-$h"
	H_SAY[i]=$fd
}

run_step() { # B S
	local b=$1 s=$2 h=${B_HOST[$1]} cmd=${CMD[$1:$2]} rc timed t0 t1 ms
	local hi=${HOST_IX[$h]}
	local side=${STATE_SIDE[$hi]:-0}
	t0=${EPOCHREALTIME/./}
	printf '%s' "$cmd" >"$W/cmd-$h"
	printf 'run %d %d %d\n' "$side" "$b" "$s" >&"${H_ASK[$hi]}"
	read -r rc timed <&"${H_SAY[$hi]}" || agent_stopped "$hi"
	if [[ $timed == true ]]; then ((rc == 137)) || rc=124; fi # timeout(1)'s codes
	t1=${EPOCHREALTIME/./}
	ms=$(((t1 - t0) / 1000))
	[[ -s $W/sh-$h.$((1 - side)) ]] && STATE_SIDE[hi]=$((1 - side))
	settle "$hi" "$cmd"
	printf '{"b":%d,"s":%d,"exit":%d,"timedOut":%s,"ms":%d}\n' "$b" "$s" "$rc" "$timed" "$ms" >>"$O/steps.jsonl"
	t1=${EPOCHREALTIME/./}
	printf 'progress %d %d %d\n' "$b" "$s" $(((t1 - t0) / 1000)) >&2
}

for i in "${!H_NAME[@]}"; do start_agent "$i"; done
: >"$O/steps.jsonl"
: >"$O/states.jsonl"
for i in "${!H_PID[@]}"; do settle "$i"; done
for b in "${!B_HOST[@]}"; do
	[[ -n ${HOST_IX[${B_HOST[$b]}]+x} ]] || die 5 "block $b runs on unknown host ${B_HOST[$b]}"
	for ((s = 0; s < B_N[b]; s++)); do run_step "$b" "$s"; done
	[[ ${B_CAPTURE[$b]} == true ]] && capture "$b"
done
capture end

# ---------------------------------------------------------------------------------------------
# 5b. A reader's terminal (job.interactive: the page's real-kernel engine, src/lib/engines/v86/):
#     the lab stays up and commands come one at a time on stdin, each run on its host as a
#     chapter's step runs there (same agent, same shell state), its output streamed back on
#     stdout while it runs. Requests, one a line:
#       run K HOST BASE64    run command K (numbered by the caller) on HOST
#       intr                 Ctrl-C: SIGINT to the running command's process group
#       state                every host's `ip -j` state
#       quit                 end (the sandbox ends, and with it the lab)
#     Answers: "lab ready" once; per command "out K BASE64" / "err K BASE64" (new output, as it
#     comes) and "exit K CODE"; "state BASE64" (one JSON line, as states.jsonl holds them).
# ---------------------------------------------------------------------------------------------
send_new() { # K STREAM FILE: sends what FILE gained since the last call (offset in SENT_STREAM)
	local var=SENT_$2 now
	now=$(stat -c %s "$3" 2>/dev/null || echo 0)
	((now > ${!var})) || return 0
	printf '%s %d %s\n' "$2" "$1" "$(tail -c +$((${!var} + 1)) "$3" | head -c $((now - ${!var})) | base64 -w0)"
	printf -v "$var" %d "$now"
}
interrupt() { # HOST-INDEX: SIGINT to the process group of the command running on that host
	local job ns f k v p
	# The agent writes the running command's PID (its group's leader) as the host's PID namespace
	# numbers it; find that process here by its NSpid line, among the host's processes.
	read -r job <"$W/job-${H_NAME[$1]}" 2>/dev/null || return 0
	ns=$(readlink "/proc/${H_PID[$1]}/ns/pid_for_children")
	for f in /proc/[0-9]*/status; do
		p=${f#/proc/} p=${p%/status}
		[[ $(readlink "/proc/$p/ns/pid" 2>/dev/null) == "$ns" ]] || continue
		while read -r k v; do
			[[ $k == NSpid: && ${v##*[[:space:]]} == "$job" ]] && kill -INT -- "-$p" 2>/dev/null
		done <"$f" 2>/dev/null
	done
	return 0
}
if [[ $(jq -r '.interactive // false' /run/lab/job.json) == true ]]; then
	printf 'lab ready\n'
	while IFS= read -r req; do
		case $req in
		run\ *)
			read -r _ k h b64 <<<"$req"
			hi=${HOST_IX[$h]-}
			if [[ -z $hi ]]; then
				printf 'err %d %s\nexit %d 127\n' "$k" "$(printf 'no lab host %s\n' "$h" | base64 -w0)" "$k"
				continue
			fi
			side=${STATE_SIDE[$hi]:-0}
			base64 -d <<<"$b64" >"$W/cmd-$h"
			: >"$O/i.$k.out"
			: >"$O/i.$k.err"
			SENT_out=0 SENT_err=0
			printf 'run %d i %d\n' "$side" "$k" >&"${H_ASK[$hi]}"
			answer=''
			while [[ -z $answer ]]; do
				IFS= read -r -t 0.2 -u "${H_SAY[$hi]}" answer
				rc=$?
				((rc == 0 || rc > 128)) || agent_stopped "$hi"
				send_new "$k" out "$O/i.$k.out"
				send_new "$k" err "$O/i.$k.err"
				if [[ -z $answer ]] && IFS= read -r -t 0.01 more && [[ $more == intr ]]; then interrupt "$hi"; fi
			done
			read -r code _ <<<"$answer"
			[[ -s $W/sh-$h.$((1 - side)) ]] && STATE_SIDE[hi]=$((1 - side))
			settle "$hi" "$(<"$W/cmd-$h")"
			send_new "$k" out "$O/i.$k.out"
			send_new "$k" err "$O/i.$k.err"
			rm -f "$O/i.$k.out" "$O/i.$k.err"
			printf 'exit %d %d\n' "$k" "$code"
			;;
		state)
			capture interactive
			printf 'state %s\n' "$(tail -n 1 "$O/states.jsonl" | base64 -w0)"
			;;
		intr) ;; # (nothing running)
		quit) break ;;
		esac
	done
fi

# ---------------------------------------------------------------------------------------------
# 6. The chapter's downloadable script, on the lab the chapter has just cleaned up: what readers
#    download is run here too. A one-machine script runs on its host as a reader runs it there
#    (`bash NN-slug.sh`: one shell, variables carry between steps); a several-machine script runs
#    in the sandbox and reaches each host through NETBOOK_ENTER. It must exit 0 and leave the
#    lab as the chapter left it (compared by the TypeScript side); running it after the chapter
#    also proves it is safe to run twice. Tests run it several times, after a "prepare", with dumps.
# ---------------------------------------------------------------------------------------------
on_each_host() { # SCRIPT OUT-PREFIX: runs SCRIPT (a file) as root on every host; output to OUT-PREFIX-HOST
	local i
	for i in "${!H_NAME[@]}"; do
		env -i PATH="$PATH" HOME=/root LANG=C.UTF-8 nsenter -t "${H_PID[$i]}" -n -m -u -i "--pid=/proc/${H_PID[$i]}/ns/pid_for_children" -- bash \
			/dev/fd/5 5<"$1" </dev/null >"$2-${H_NAME[$i]}" 2>&1 || return $((i + 1))
	done
}
dump_hosts() { # K
	[[ -n $SCRIPT_DUMP ]] && on_each_host "$W/dump.sh" "$O/dump-$1"
	return 0
}

if (( SCRIPT_RUNS > 0 )); then
	: >"$W/hosts"
	for i in "${!H_NAME[@]}"; do printf '%s %s\n' "${H_NAME[$i]}" "${H_PID[$i]}" >>"$W/hosts"; done
	printf '%s\n' '#!/bin/bash' "# enter HOST CMD…: runs CMD on lab host HOST, as the chapter's steps run there" \
		"pid=\$(awk -v h=\"\$1\" '\$1 == h { print \$2 }' $W/hosts); shift" \
		'[[ -n $pid ]] || { echo "enter: no such lab host" >&2; exit 127; }' \
		'exec nsenter -t "$pid" -n -m -u -i "--pid=/proc/$pid/ns/pid_for_children" -- "$@"' >"$W/enter"
	chmod +x "$W/enter"
	[[ -z $SCRIPT_DUMP ]] || jq -r '.script.dump' /run/lab/job.json >"$W/dump.sh"
	if jq -e '.script.prepare' /run/lab/job.json >/dev/null; then
		jq -r '.script.prepare' /run/lab/job.json >"$W/prepare.sh"
		on_each_host "$W/prepare.sh" "$O/prepare"
		rc=$?
		if (( rc != 0 )); then
			mapfile -t said <"$O/prepare-${H_NAME[$((rc - 1))]}"
			die 4 "the script's prepare failed on ${H_NAME[$((rc - 1))]}: ${said[*]: -3}"
		fi
		for i in "${!H_PID[@]}"; do settle "$i"; done
	fi
	dump_hosts 0
	script_timeout=$((TIMEOUT * 10))
	for ((k = 0; k < SCRIPT_RUNS; k++)); do
		jq -r --argjson k "$k" '.script.runs[$k]' /run/lab/job.json >"$W/chapter.sh" || die 5 'cannot read the chapter script from the job'
		t0=${EPOCHREALTIME/./}
		if [[ -n $SCRIPT_HOST ]]; then
			pid=${H_PID[${HOST_IX[$SCRIPT_HOST]}]}
			env -i PATH="$PATH" HOME=/root LANG=C.UTF-8 TERM=dumb USER=root ${SCRIPT_STRICT:+NETBOOK_STRICT=1} timeout -k 2 "$script_timeout" \
				nsenter -t "$pid" -n -m -u -i "--pid=/proc/$pid/ns/pid_for_children" -- /bin/bash /dev/fd/5 \
				5<"$W/chapter.sh" </dev/null >"$O/script-$k.out" 2>"$O/script-$k.err"
		else
			env -i PATH="$PATH" HOME=/root LANG=C.UTF-8 TERM=dumb USER=root ${SCRIPT_STRICT:+NETBOOK_STRICT=1} NETBOOK_ENTER="$W/enter" \
				timeout -k 2 "$script_timeout" /bin/bash "$W/chapter.sh" </dev/null >"$O/script-$k.out" 2>"$O/script-$k.err"
		fi
		rc=$?
		ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
		timed=false
		[[ ($rc == 124 || $rc == 137) && $ms -ge $((script_timeout * 1000 - 50)) ]] && timed=true
		for i in "${!H_PID[@]}"; do settle "$i"; done
		printf '{"exit":%d,"timedOut":%s,"ms":%d}\n' "$rc" "$timed" "$ms" >"$O/script-$k.json"
		dump_hosts $((k + 1))
	done
	capture script
fi

os=$( (. /etc/os-release && printf '%s' "${PRETTY_NAME:-$ID}") 2>/dev/null)
iproute2=$(ip -V 2>/dev/null | sed -n 's/.*iproute2-\([^ ,]*\).*/\1/p')
iptables=$(iptables -V 2>/dev/null | sed 's/^iptables v//')
jq -c -n --arg kernel "$(uname -r)" --arg iproute2 "$iproute2" --arg iptables "$iptables" --arg arch "$(uname -m)" \
	--arg os "$os" --arg date "$(date -u +%Y-%m-%d)" \
	'{kernel: $kernel, iproute2: $iproute2, iptables: $iptables, arch: $arch, os: $os, date: $date}' >"$O/recorded.json"
: >"$O/done"
exit 0
