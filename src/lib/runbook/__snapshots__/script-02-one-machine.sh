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
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 2; }
unexpected_success() {
	echo "netbook: step $1: the book shows the last command failing, but here it succeeded" >&2
	[[ -z ${NETBOOK_STRICT:-} ]] || exit 1
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

# ──── step 1, on pi: ip route (tests/fixtures/book/chapters/02-one-machine.mdx:11)
step_1() {
	ip route
	ip route get 8.8.8.8
}

# ──── step 2, on pi: Forwarding and NAT (tests/fixtures/book/chapters/02-one-machine.mdx:16)
step_2() {
	sysctl -w net.ipv4.ip_forward=1
	iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
	ip -j addr show dev eth0 | jq -r '.[0].addr_info[0].local'
	echo 1 > /proc/sys/net/ipv4/conf/eth0/rp_filter
	conntrack -L
}

# ──── step 3, on pi: ip netns add red (tests/fixtures/book/chapters/02-one-machine.mdx:24)
step_3() {
	ip netns add red
	ip link add veth-red type veth peer name eth0 netns red
}

# ──── step 4, on pi: Clean up (tests/fixtures/book/chapters/02-one-machine.mdx:29) [cleanup]
step_4() {
	ip netns del red
	iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE
	sysctl -w net.ipv4.ip_forward=0
}

# Runs step N on HOST: here if this is HOST, through NETBOOK_ENTER if set, else waits for you.
step() {
	local n=$1 host=$2 title=$3
	if [[ -n ${NETBOOK_ENTER:-} ]]; then
		say "step $n on $host: $title"
		$NETBOOK_ENTER "$host" bash -c "$(declare -f "step_$n" unexpected_success); set -e; PS4='root@$host:~# '; set -x; step_$n"
	elif [[ $host == "$THIS_HOST" ]]; then
		say "step $n on $host: $title"
		PS4="root@$host:~# "
		set -x
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

# On failure or Ctrl-C: run the cleanup once, ignoring its errors, and keep the exit status.
on_exit() {
	local status=$?
	{ set +x; } 2>/dev/null
	if (( status != 0 && cleaned == 0 && ran == 1 )); then
		say "stopped with exit status $status: running the cleanup"
		set +e
		cleaned=1
		cleanup
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
	fi
	ran=1
	step 1 pi 'ip route'
	step 2 pi 'Forwarding and NAT'
	step 3 pi 'ip netns add red'
	cleanup
	say "done: every step ran, and the cleanup left the lab as it found it"
}

ran=0
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
main "$@"
