#!/usr/bin/env bash
# Networking from First Principles, chapter 01-two-machines: Two machines and a switch
# https://netbook.example/01-two-machines/
#
# A fixture chapter for the site's tests, in the shape of the real chapter one.
#
# What it does: runs the chapter's 13 commands in the book's order, as 8 steps on 2 machines (alice, bob),
# then the chapter's cleanup. If a step fails, or you press Ctrl-C, the cleanup runs anyway.
#
# What it changes while it runs (the cleanup at the end undoes it):
#   - alice: adds address 192.168.1.1/24 dev eth0
#   - alice: sets link eth0 up
#   - bob: adds address 192.168.1.2/24 dev eth0
#   - bob: sets link eth0 up
#
# Lab "two-hosts": Alice and Bob, each with one Ethernet port, plugged into the same switch; no addresses yet.
#
# This lab has several machines, and each step runs on one of them. Run the script on every
# machine, naming it:  sudo bash 01-two-machines.sh --host alice
# Each copy runs its own machine's steps and, when the next step belongs to another machine,
# waits until you press Enter (run that step there first). `--list` shows the steps.
#
# Needs: root, Linux, and ip, ping.
# The book's outputs were verified on Linux 6.18 · iproute2 6.1 · x86_64 · 2026-11-26.
# For automation: NETBOOK_ENTER='cmd' runs each step as `cmd HOST bash -c STEP`; NETBOOK_STRICT=1
# makes a command the book shows failing an error if it succeeds.
# Generated from tests/fixtures/book/chapters/01-two-machines.mdx; do not edit by hand.

set -e

HOSTS=(alice bob)
THIS_HOST=''
TOOLS=('ip' 'ping')
PACKAGES=('iproute2' 'iputils-ping')

say() { printf '\n\033[1m%s\033[0m\n' "$*" >&2; }
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 2; }
unexpected_success() {
	echo "netbook: step $1: the book shows the last command failing, but here it succeeded" >&2
	[[ -z ${NETBOOK_STRICT:-} ]] || exit 1
}

preflight() {
	[[ $(uname -s) == Linux ]] || die "this script needs Linux (found $(uname -s))"
	(( EUID == 0 )) || die "run it as root: sudo bash $0 --host NAME"
	local missing=() tool
	for tool in "${TOOLS[@]}"; do
		if [[ $tool == /* ]]; then [[ -x $tool ]] || missing+=("$tool"); else command -v "$tool" >/dev/null || missing+=("$tool"); fi
	done
	(( ${#missing[@]} == 0 )) || die "missing: ${missing[*]} (on Debian or Raspberry Pi OS: apt install ${PACKAGES[*]})"
}

# ──── step 1, on alice: Alice's interfaces (tests/fixtures/book/chapters/01-two-machines.mdx:13)
step_1() {
	ip link show dev eth0
}

# ──── step 2, on alice: ip addr add 192.168.1.1/24 dev eth0 (tests/fixtures/book/chapters/01-two-machines.mdx:19)
step_2() {
	ip addr add 192.168.1.1/24 dev eth0
	ip link set eth0 up
}

# ──── step 3, on bob: Bob joins the network (tests/fixtures/book/chapters/01-two-machines.mdx:25)
step_3() {
	ip addr add 192.168.1.2/24 \
  dev eth0
	ip link set eth0 up
}

# ──── step 4, on alice: ping -c 1 192.168.1.2 (tests/fixtures/book/chapters/01-two-machines.mdx:33)
step_4() {
	ping -c 1 192.168.1.2
	ip neigh show 192.168.1.2
}

# ──── step 5, on alice: ping -c 1 -W 1 192.168.2.9 (tests/fixtures/book/chapters/01-two-machines.mdx:38)
step_5() {
	# The book shows this command failing; the script checks that it still does.
	if
		ping -c 1 -W 1 192.168.2.9
	then unexpected_success 5; fi
}

# ──── step 6, on alice: ip route show table local (tests/fixtures/book/chapters/01-two-machines.mdx:44)
step_6() {
	ip route show table local
}

# ──── step 7, on alice: docker network ls (tests/fixtures/book/chapters/01-two-machines.mdx:50)
# Not run by this script (needs Docker). The book's commands, for reference:
#   docker network ls

# ──── step 8, on alice: Clean up Alice (tests/fixtures/book/chapters/01-two-machines.mdx:60) [cleanup]
step_8() {
	ip addr flush dev eth0
	ip link set eth0 down
}

# ──── step 9, on bob: Clean up Bob (tests/fixtures/book/chapters/01-two-machines.mdx:65) [cleanup]
step_9() {
	ip addr flush dev eth0
	ip link set eth0 down
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
	echo ' 1  alice    Alice'\''s interfaces'
	echo ' 2  alice    ip addr add 192.168.1.1/24 dev eth0'
	echo ' 3  bob      Bob joins the network'
	echo ' 4  alice    ping -c 1 192.168.1.2'
	echo ' 5  alice    ping -c 1 -W 1 192.168.2.9'
	echo ' 6  alice    ip route show table local'
	echo ' 8  alice    Clean up Alice [cleanup]'
	echo ' 9  bob      Clean up Bob [cleanup]'
}

in_cleanup=0 cleaned=0
cleanup() {
	in_cleanup=1
	step 8 alice 'Clean up Alice'
	step 9 bob 'Clean up Bob'
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
		[[ -n $THIS_HOST ]] || die "which machine is this? run it with --host NAME, one of: alice bob"
		[[ " alice bob " == *" $THIS_HOST "* ]] || die "unknown host $THIS_HOST: this chapter runs on alice bob"
		preflight
	fi
	ran=1
	step 1 alice 'Alice'\''s interfaces'
	step 2 alice 'ip addr add 192.168.1.1/24 dev eth0'
	step 3 bob 'Bob joins the network'
	step 4 alice 'ping -c 1 192.168.1.2'
	step 5 alice 'ping -c 1 -W 1 192.168.2.9'
	step 6 alice 'ip route show table local'
	cleanup
	say "done: every step ran, and the cleanup left the lab as it found it"
}

ran=0
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
main "$@"
