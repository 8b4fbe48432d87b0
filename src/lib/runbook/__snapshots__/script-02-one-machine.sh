#!/usr/bin/env bash
# Networking from First Principles, chapter 02-one-machine: One machine on the internet
# https://netbook.example/02-one-machine/
#
# A second fixture chapter, on the machine lab, with stderr and a pipe.
#
# What it does: runs the chapter's 12 commands in the book's order, as 4 steps on one machine (pi),
# then the chapter's cleanup. If a step fails, or you press Ctrl-C, the cleanup runs anyway.
#
# What it changes while it runs (the cleanup at the end undoes it):
#   - sets sysctl net.ipv4.ip_forward=1
#   - iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
#   - writes /proc/sys/net/ipv4/conf/eth0/rp_filter
#   - adds network namespace red
#   - adds veth link veth-red (peer eth0)
#
# Before it changes anything it checks the machine, and stops with one line, changing nothing,
# if any of these is already there: it creates or removes them by name, and its cleanup must
# remove only what this run made.
#   links: veth-red
#   network namespaces: red
#   iptables rules: -t nat -A POSTROUTING -o eth0 -j MASQUERADE
# It also stops if the iptables FORWARD policy is DROP (Docker sets it): the chapter
# routes packets through it, and they would be dropped.
# It saves these settings first and puts them back as it found them, at the end and on error:
#   sysctl net.ipv4.ip_forward, nf_tables tables and base chains
#   sysctl net.ipv4.conf.eth0.rp_filter, mount point /run/netns
#
# Lab "machine": One Linux machine, like a Raspberry Pi on a home network: eth0 on the home router, which is also the way to the internet.
#
# Run it as root on a Linux machine:  sudo bash 02-one-machine.sh
#
# Needs: root, Linux, and ip, sysctl, iptables, jq, conntrack.
# The book's outputs were verified on Linux 6.18 · iproute2 6.1 · x86_64 · 2026-11-26.
# For automation: NETBOOK_ENTER='cmd' runs each step as `cmd HOST bash -c STEP`; NETBOOK_STRICT=1
# makes a command the book shows failing an error if it succeeds.
# Generated from tests/fixtures/book/chapters/02-one-machine.mdx; do not edit by hand.

set -e

HOSTS=(pi)
THIS_HOST='pi'
TOOLS=('ip' 'sysctl' 'iptables' 'jq' 'conntrack')
PACKAGES=('iproute2' 'procps' 'iptables' 'jq' 'conntrack')

say() { printf '\n\033[1m%s\033[0m\n' "$*" >&2; }
die() { printf '%s: %s\n' '02-one-machine.sh' "$*" >&2; exit 2; }
unexpected_success() {
	{ set +x; } 2>/dev/null
	echo "netbook: step $1: the book shows the last command failing, but here it succeeded" >&2
	[[ -z ${NETBOOK_STRICT:-} ]] || exit 1
	set -x
}

preflight() {
	[[ $(uname -s) == Linux ]] || die "this script needs Linux (found $(uname -s))"
	(( EUID == 0 )) || die "run it as root: sudo bash $0"
	local missing=() tool
	for tool in "${TOOLS[@]}"; do
		if [[ $tool == /* ]]; then [[ -x $tool ]] || missing+=("$tool"); else command -v "$tool" >/dev/null || missing+=("$tool"); fi
	done
	(( ${#missing[@]} == 0 )) || die "missing: ${missing[*]} (on Debian or Raspberry Pi OS: apt install ${PACKAGES[*]})"
}

# ──── Keeping the machine as it was: the survey before the first step, the settings put back after
# nb_absent KIND NAME…: on this machine, notes a clash when something the script creates or
# removes by name is already there (it would then be changing what it did not make).
nb_absent() {
	local kind=$1 found=''
	shift
	case $kind in
	link) ip link show dev "$1" >/dev/null 2>&1 && found="link $1" ;;
	netns) [[ -e /run/netns/$1 ]] && found="network namespace $1" ;;
	chain) command -v "$1" >/dev/null && "$1" -t "$2" -S "$3" >/dev/null 2>&1 && found="$1 chain $3 (table $2)" ;;
	rule) command -v "$2" >/dev/null && "${@:2}" >/dev/null 2>&1 && found="${2} rule $1" ;;
	address) [[ -n $(ip -o addr show to "$1" 2>/dev/null) ]] && found="address $1" ;;
	route) [[ -n $(ip ${3:-} route show table "$2" exact "$1" 2>/dev/null) ]] && found="route $1" ;;
	path) [[ -e $1 || -L $1 ]] && found="$1" ;;
	esac
	[[ -z $found ]] || printf 'NB_CLASH+=(%q)\n' "$found"
}

# nb_gone KIND NAME…: after the cleanup, removes what nb_absent found absent and is there now (so
# made by this run), and says so on stdout.
nb_gone() {
	local kind=$1 gone='' c i n=0
	shift
	case $kind in
	link) ip link show dev "$1" >/dev/null 2>&1 && ip link del dev "$1" && gone="link $1" ;;
	netns)
		if [[ -e /run/netns/$1 ]]; then
			ip netns pids "$1" 2>/dev/null | xargs -r kill 2>/dev/null
			ip netns del "$1" && gone="network namespace $1 (and its processes)"
		fi ;;
	flush) command -v "$1" >/dev/null && "$1" -t "$2" -S "$3" >/dev/null 2>&1 && "$1" -t "$2" -F "$3" ;;
	chain) command -v "$1" >/dev/null && "$1" -t "$2" -S "$3" >/dev/null 2>&1 && "$1" -t "$2" -X "$3" && gone="$1 chain $3 (table $2)" ;;
	rule)
		c=("${@:2}")
		for i in "${!c[@]}"; do [[ ${c[$i]} != -C ]] || { c[$i]=-D; break; }; done
		while (( n++ < 20 )) && command -v "$2" >/dev/null && "${@:2}" >/dev/null 2>&1 && "${c[@]}"; do gone="$2 rule $1"; done ;;
	address)
		c=$(ip -o addr show to "$1" 2>/dev/null | head -n 1)
		read -r _ i _ c _ <<<"$c"
		[[ -n $c ]] && ip addr del "$c" dev "$i" && gone="address $c on $i" ;;
	route)
		while (( n++ < 20 )) && [[ -n $(ip ${3:-} route show table "$2" exact "$1" 2>/dev/null) ]] && ip ${3:-} route del "$1" table "$2"; do gone="route $1"; done ;;
	path) [[ -e $1 || -L $1 ]] && rm -rf -- "$1" && gone="$1" ;;
	esac
	[[ -z $gone ]] || echo "$gone"
	return 0
}

# nb_keep KIND NAME…: notes a setting's value on this machine, to put it back at the end ("" = absent;
# for a mount point, how many mounts are stacked there).
nb_keep() {
	local value=''
	case $1 in
	sysctl) value=$(sysctl -n "$2" 2>/dev/null) || value='' ;;
	policy) command -v "$2" >/dev/null && value=$("$2" -t "$3" -S "$4" 2>/dev/null | sed -n '1s/^-P [^ ]* //p') ;;
	dir) value=$(stat -c %a "$2" 2>/dev/null) || value='' ;;
	mount) value=$(awk -v p="$2" '$5 == p' /proc/self/mountinfo | wc -l) ;;
	nftables) value=$(nb_hooks | tr '\n' ,) ;;
	esac
	printf 'NB_KEPT+=(%q)\nNB_SAVED[%q]=%q\n' "$NB_HOST $*" "$NB_HOST $*" "$value"
}

# nb_forwards routes|bridges: notes when the iptables FORWARD policy would drop the packets this
# chapter forwards (routed ones; or bridged ones, where br_netfilter passes them through iptables).
nb_forwards() {
	command -v iptables >/dev/null || return 0
	[[ $(iptables -S FORWARD 2>/dev/null) == '-P FORWARD DROP'* ]] || return 0
	[[ $1 == routes || $(sysctl -n net.bridge.bridge-nf-call-iptables 2>/dev/null) == 1 ]] || return 0
	printf 'NB_DROPS=%q\n' "$1"
}

# nb_hooks: the nf_tables tables and base chains, one "table FAMILY NAME" or "chain FAMILY TABLE NAME" a line.
nb_hooks() {
	command -v nft >/dev/null || return 0
	{
		nft list tables
		nft list chains | awk '$1 == "table" { t = $2 " " $3 } $1 == "chain" { c = $2 } /hook/ { print "chain", t, c }'
	} 2>/dev/null | sort
}

# nb_restore "KIND NAME…" VALUE …: puts settings back as the survey found them: sysctls and chain
# policies; directories it found are made again if gone, new ones removed when left empty; a
# mount point that was not one (/run/netns after `ip netns add`) is unmounted when left empty; new
# nf_tables base chains and tables that iptables-nft made on first use are removed when empty.
nb_restore() {
	local -a what=() value=()
	local -a w
	local i now
	while (( $# >= 2 )); do
		read -r -a w <<<"$1"
		what+=("${w[*]:1}") value+=("$2")
		shift 2
	done
	for i in "${!what[@]}"; do
		read -r -a w <<<"${what[$i]}"
		case ${w[0]} in
		sysctl)
			now=$(sysctl -n "${w[1]}" 2>/dev/null) || continue
			if [[ -n ${value[$i]} && $now != "${value[$i]}" ]]; then
				sysctl -qw "${w[1]}=${value[$i]}" && echo "netbook: put back ${w[1]} = ${value[$i]}, as found" >&2
			fi ;;
		policy)
			now=$("${w[1]}" -t "${w[2]}" -S "${w[3]}" 2>/dev/null | sed -n '1s/^-P [^ ]* //p')
			if [[ -n ${value[$i]} && $now != "${value[$i]}" ]]; then
				"${w[1]}" -t "${w[2]}" -P "${w[3]}" "${value[$i]}" && echo "netbook: put back the ${w[3]} policy ${value[$i]}, as found" >&2
			fi ;;
		nftables)
			local kind family table chain
			while read -r kind family table chain; do
				[[ -n $kind && ,${value[$i]}, != *",$kind $family $table${chain:+ $chain},"* ]] || continue
				if [[ $kind == chain ]]; then
					(( $(nft list chain "$family" "$table" "$chain" 2>/dev/null | grep -cvE '^\s*(table |chain |type .* policy accept;$|\})') == 0 )) &&
						nft delete chain "$family" "$table" "$chain" && echo "netbook: removed the empty $family $table chain $chain that iptables made" >&2
				else
					(( $(nft list table "$family" "$table" 2>/dev/null | grep -c '^\s*chain ') == 0 )) &&
						nft delete table "$family" "$table" && echo "netbook: removed the empty $family table $table that iptables made" >&2
				fi
			done < <(nb_hooks) ;;
		dir)
			if [[ -n ${value[$i]} && ! -d ${w[1]} ]]; then
				mkdir -m "${value[$i]}" "${w[1]}" && echo "netbook: put back directory ${w[1]}, as found" >&2
			fi ;;
		esac
	done
	for ((i = ${#what[@]} - 1; i >= 0; i--)); do
		read -r -a w <<<"${what[$i]}"
		[[ -d ${w[1]} && -z $(ls -A "${w[1]}" 2>/dev/null) ]] || continue
		if [[ ${w[0]} == dir && -z ${value[$i]} ]]; then rmdir "${w[1]}"
		elif [[ ${w[0]} == mount ]] && (( $(awk -v p="${w[1]}" '$5 == p' /proc/self/mountinfo | wc -l) > value[i] )); then umount "${w[1]}"
		fi
	done
	return 0
}

# sysctl_as_found KEY: in a cleanup, sets KEY back to the value the survey found (the book sets the
# lab's value, which need not be this machine's).
sysctl_as_found() { ${NB_SAVED["$NB_HOST sysctl $1"]:+sysctl -w "$1=${NB_SAVED["$NB_HOST sysctl $1"]}"}; }

# When a step's command fails: one line saying which, and what a `timeout`'s status 124 means.
nb_failed() {
	[[ -z ${NB_REPORTED:-} ]] || return 0
	NB_REPORTED=1
	if (( $1 == 124 )) && [[ $2 == *timeout* ]]; then
		printf 'netbook: gave up waiting: this command ran out of time (exit status 124): %s\n' "$2" >&2
	else
		printf 'netbook: this command failed (exit status %d): %s\n' "$1" "$2" >&2
	fi
}

# What each machine must not have yet, and the settings to save (derived from the chapter's commands).
nb_survey_pi() {
	nb_absent rule '-t nat -A POSTROUTING -o eth0 -j MASQUERADE' iptables -t nat -C POSTROUTING -o eth0 -j MASQUERADE
	nb_absent netns red
	nb_absent link veth-red
	nb_keep sysctl net.ipv4.ip_forward
	nb_keep nftables
	nb_keep sysctl net.ipv4.conf.eth0.rp_filter
	nb_keep mount /run/netns
	nb_forwards routes
}

nb_sweep_pi() {
	nb_gone rule '-t nat -A POSTROUTING -o eth0 -j MASQUERADE' iptables -t nat -C POSTROUTING -o eth0 -j MASQUERADE
	nb_gone netns red
	nb_gone link veth-red
}

# on_host HOST FUNCTION ARGS…: runs one of this script's functions on HOST: here, or through NETBOOK_ENTER.
on_host() {
	local host=$1
	shift
	if [[ -n ${NETBOOK_ENTER:-} ]]; then
		$NETBOOK_ENTER "$host" bash -c "$(declare -f $(compgen -A function nb_)); NB_HOST=\$1; shift; \"\$@\"" netbook "$host" "$@"
	else
		NB_HOST=$host "$@"
	fi
}

declare -A NB_SAVED=()
NB_KEPT=() NB_CLASH=() NB_DROPS='' SURVEYED=()

# survey HOST…: checks every machine before anything changes; refuses with one line if it must.
survey() {
	local host out c clash=() drops=() why=() hint=''
	for host in "$@"; do
		NB_CLASH=() NB_DROPS=''
		out=$(on_host "$host" "nb_survey_${host//[^A-Za-z0-9_]/_}") || die "cannot check $host before starting"
		eval "$out"
		SURVEYED+=("$host")
		for c in "${NB_CLASH[@]}"; do clash+=("$c"); done
		[[ -z $NB_DROPS ]] || drops+=("$host")
	done
	if (( ${#clash[@]} )); then
		local list
		list=$(printf '%s, ' "${clash[@]}")
		why+=("found ${list%, }, which this script creates or removes by name")
		case ${clash[*]} in
		*docker*|*DOCKER*) hint=' (is Docker running here? this chapter builds its own: use a machine without Docker, or a VM)' ;;
		*KUBE-*|*CNI-*|*cni0*|*flannel*) hint=' (is this a Kubernetes node? use a machine without one, or a VM)' ;;
		*) hint=' (left over from an interrupted run? the Clean up block of the chapter removes them)' ;;
		esac
	fi
	(( ${#drops[@]} == 0 )) || why+=("the iptables FORWARD policy is DROP (Docker and some firewalls set it), so the packets this chapter forwards would be dropped: use a machine whose FORWARD policy is ACCEPT, or a VM")
	(( ${#why[@]} == 0 )) || die "refused, nothing changed: ${why[0]}$hint${why[1]:+; ${why[1]}}"
}

# sweep: on every machine it surveyed, removes what this run made and the cleanup left behind.
SWEPT=0
sweep() {
	local host line
	for host in "${SURVEYED[@]}"; do
		while IFS= read -r line; do
			[[ -z $line ]] || { echo "netbook: removed $line, which the cleanup left behind" >&2; SWEPT=1; }
		done <<<"$(on_host "$host" "nb_sweep_${host//[^A-Za-z0-9_]/_}")"
	done
}

# restore: on every machine it surveyed, puts back the settings the survey saved.
restore() {
	local host key args
	for host in "${SURVEYED[@]}"; do
		args=()
		for key in "${NB_KEPT[@]}"; do [[ $key != "$host "* ]] || args+=("$key" "${NB_SAVED[$key]}"); done
		(( ${#args[@]} == 0 )) || on_host "$host" nb_restore "${args[@]}"
	done
}

# ──── step 1, on pi: ip route (tests/fixtures/book/chapters/02-one-machine.mdx:11)
step_1() {
	nb_trace
	ip route
	ip route get 8.8.8.8
}

# ──── step 2, on pi: Forwarding and NAT (tests/fixtures/book/chapters/02-one-machine.mdx:16)
step_2() {
	nb_trace
	sysctl -w net.ipv4.ip_forward=1
	iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
	ip -j addr show dev eth0 | jq -r '.[0].addr_info[0].local'
	echo 1 > /proc/sys/net/ipv4/conf/eth0/rp_filter
	conntrack -L
}

# ──── step 3, on pi: ip netns add red (tests/fixtures/book/chapters/02-one-machine.mdx:24)
step_3() {
	nb_trace
	ip netns add red
	ip link add veth-red type veth peer name eth0 netns red
}

# ──── step 4, on pi: Clean up (tests/fixtures/book/chapters/02-one-machine.mdx:29) [cleanup]
step_4() {
	nb_trace
	ip netns del red
	iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE
	# The book: sysctl -w net.ipv4.ip_forward=0. The script puts back the value it found instead.
	sysctl_as_found net.ipv4.ip_forward
}

# Each step starts with nb_trace: from there on every command is shown after a root prompt, and
# commands run inside $(…) or in the background with bash's usual +, one per level of nesting.
nb_trace() { NB_PS4=("root@$NB_HOST:~# " '+ '); PS4='${NB_PS4[BASH_SUBSHELL>0]}'; set -x; }
# The first command of a step that fails is named (the trap fires where `set -e` stops).
nb_on_error() { trap '{ nb_rc=$? nb_cmd=$BASH_COMMAND; set +x; } 2>/dev/null; nb_failed "$nb_rc" "$nb_cmd"' ERR; }

# Runs step N on HOST: here if this is HOST, through NETBOOK_ENTER if set, else waits for you.
# Through NETBOOK_ENTER the step stops at its first failure, as here, except in the cleanup after
# a failure (`set +e`), which runs every command.
step() {
	local n=$1 host=$2 title=$3
	if [[ -n ${NETBOOK_ENTER:-} ]]; then
		say "step $n on $host: $title"
		local mode='set -eE; nb_on_error'
		[[ $- == *e* ]] || mode='set +e'
		$NETBOOK_ENTER "$host" bash -c "$(declare -f "step_$n" unexpected_success sysctl_as_found nb_failed nb_trace nb_on_error "${NB_FUNCS[@]}"; declare -p NB_SAVED); NB_HOST=$host; $mode; step_$n" ||
			{ local status=$?; NB_REPORTED=1; return "$status"; }
	elif [[ $host == "$THIS_HOST" ]]; then
		say "step $n on $host: $title"
		NB_HOST=$host
		"step_$n"
		{ set +x; } 2>/dev/null
	elif [[ $in_cleanup == 1 || ! -t 0 ]]; then
		say "step $n runs on $host, not here: skipped"
	else
		say "step $n runs on $host: $title"
		read -r -p "Run it on $host (sudo bash $(basename "$0") --host $host), then press Enter here. " _
	fi
}

list_steps() {
	echo ' 1  pi       ip route'
	echo ' 2  pi       Forwarding and NAT'
	echo ' 3  pi       ip netns add red'
	echo ' 4  pi       Clean up [cleanup]'
}

in_cleanup=0 cleaned=0
cleanup() {
	in_cleanup=1
	step 4 pi 'Clean up'
	cleaned=1
}

# On failure or Ctrl-C: run the cleanup once, ignoring its errors, remove what it left of this
# run, put the settings back, and keep the exit status.
on_exit() {
	local status=$?
	{ set +x; } 2>/dev/null
	trap - ERR
	if (( status != 0 && cleaned == 0 && ran == 1 )); then
		say "stopped with exit status $status: running the cleanup"
		set +e
		cleaned=1
		cleanup
		sweep
		restore
	fi
	exit "$status"
}

main() {
	while (( $# )); do
		case $1 in
			--host) THIS_HOST=${2:-}; shift 2 || die "--host needs a name: ${HOSTS[*]}" ;;
			--list) list_steps; exit 0 ;;
			-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
			*) die "unknown argument $1 (try --help)" ;;
		esac
	done
	if [[ -z ${NETBOOK_ENTER:-} ]]; then
		[[ -n $THIS_HOST ]] || die "which machine is this? run it with --host NAME, one of: pi"
		[[ " pi " == *" $THIS_HOST "* ]] || die "unknown host $THIS_HOST: this chapter runs on pi"
		preflight
		survey "$THIS_HOST"
	else
		survey pi
	fi
	ran=1
	nb_on_error
	step 1 pi 'ip route'
	step 2 pi 'Forwarding and NAT'
	step 3 pi 'ip netns add red'
	cleanup
	trap - ERR
	sweep
	restore
	(( SWEPT == 0 )) || [[ -z ${NETBOOK_STRICT:-} ]] || die "the chapter's cleanup left things behind (removed above)"
	say "done: every step ran, the cleanup removed what they made, and the settings are as they were"
}

ran=0
set -E
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
main "$@"
