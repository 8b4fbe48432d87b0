#!/usr/bin/env bash
# Fresh-machine check: run the README's two commands on a minimal Debian that has nothing but
# `git nodejs npm ca-certificates` installed, as a new reader would.
#
#   bash scripts/fresh-machine.sh [--release bookworm|trixie] [--keep] [--rev REF] [--rebuild]
#   bash scripts/fresh-machine.sh --enter DIR     a shell in a root kept by --keep
#
#   --release R   Debian release of the fresh machine (default: bookworm)
#   --keep        keep the machine's root directory afterwards, for inspection
#   --rev REF     the commit to test (default: HEAD of the repository this script lives in);
#                 only committed files are tested: the repository is cloned
#   --rebuild     rebuild the cached base root filesystem even if it exists
#   --enter DIR   open a root shell in a root kept by --keep (same mounts and environment)
#
# What it does (details in docs/fresh-machine.md):
#   1. Builds, once per release, a base root filesystem with `debootstrap --variant=minbase` from
#      the Debian mirror this machine's apt sources use, then `apt-get install git nodejs npm
#      ca-certificates` inside it. Cached in $CACHE/<release>-base (outside the repository).
#   2. Copies the base to a fresh run root, gives it this machine's CA certificates, npm settings
#      and /etc/resolv.conf, and clones the repository at REF into /root/netbook.
#   3. Enters the root in a private mount namespace (/proc, /sys, /dev, tmpfs /run; pivot_root,
#      so namespace tools such as `nsenter -m` stay inside it), with a minimal environment
#      (env -i HOME=/root PATH=… LANG=C.UTF-8), and runs as root:
#        npm ci      then   npm start  (in the background until http://127.0.0.1:4321/ answers,
#                                       then stopped)   then   npm test
#   4. Prints wall time and exit code per command; full logs stay in $CACHE/logs/<release>-<time>/.
#      Exits non-zero if any command failed.
#
# Needs: Linux, root, debootstrap (apt-get install debootstrap), util-linux (unshare, pivot_root),
# curl, git. Network: only the Debian mirror and the npm registry. The machine shares this host's
# network namespace, so port 4321 on the host's loopback must be free.
#
# Safety: nothing outside $CACHE is ever deleted (see safe_rm); every mount is made inside a
# private mount namespace, so nothing stays mounted on the host, even after a crash.
set -euo pipefail

# ---------------------------------------------------------------------------------------------
# Settings

CACHE=${NETBOOK_FRESH_CACHE:-/var/cache/netbook-fresh}   # everything this script writes lives here
START_TIMEOUT=${NETBOOK_FRESH_START_TIMEOUT:-1800}         # seconds npm start may take to serve
PORT=4321
URL="http://127.0.0.1:$PORT/"
PACKAGES=(git nodejs npm ca-certificates)                  # the only packages on the fresh machine
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

release=bookworm keep=0 rev=HEAD rebuild=0 enter=
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
	case $1 in
	--release) release=${2:?--release needs a value}; shift 2 ;;
	--release=*) release=${1#*=}; shift ;;
	--keep) keep=1; shift ;;
	--rev) rev=${2:?--rev needs a value}; shift 2 ;;
	--rev=*) rev=${1#*=}; shift ;;
	--rebuild) rebuild=1; shift ;;
	--enter) enter=${2:?--enter needs a directory}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "fresh-machine: unknown argument: $1" >&2; usage >&2; exit 2 ;;
	esac
done

say() { printf 'fresh-machine: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[[ $release =~ ^[a-z]+$ ]] || die "bad release name: $release"
[[ $(id -u) == 0 ]] || die 'needs root (debootstrap, chroot, mounts)'
for tool in debootstrap unshare pivot_root curl git flock setsid; do
	command -v "$tool" >/dev/null || die "\"$tool\" is missing (Debian: apt-get install debootstrap util-linux curl git)"
done
[[ $CACHE == /* && $CACHE != / && $CACHE != *..* ]] || die "NETBOOK_FRESH_CACHE must be an absolute path below /: $CACHE"

REPO=$(git -C "$(dirname "$(readlink -f "$0")")" rev-parse --show-toplevel)
SHA=$(git -C "$REPO" rev-parse --verify --quiet "$rev^{commit}") || die "no such commit in $REPO: $rev"

mkdir -p "$CACHE" "$CACHE/logs" "$CACHE/runs"
CACHE=$(readlink -f "$CACHE")

# Deletes a directory, but only one strictly inside $CACHE, and never crossing into another file
# system (a mount that somehow leaked onto the host is left alone, and rm says so).
safe_rm() {
	local target
	[[ -e $1 ]] || return 0
	target=$(readlink -f "$1")
	case $target in
	"$CACHE"/?*) ;;
	*) die "refusing to delete $1 (resolves to $target, not strictly inside $CACHE)" ;;
	esac
	[[ $target != *..* ]] || die "refusing to delete $target"
	rm -rf --one-file-system -- "$target"
}

# ---------------------------------------------------------------------------------------------
# Entering the root. Runs "$@" inside ROOTDIR, as root, with a minimal environment, in a new
# private mount namespace: /proc (fresh), /sys and /dev (bound from the host), tmpfs on /run and
# /dev/shm. pivot_root rather than chroot: a chroot inside a mount namespace is escaped by
# `nsenter -m` (setns resets the root to the namespace's root), which the lab sandbox uses.
# When the last process of the namespace exits, all these mounts vanish with it.
ENTER='
set -e
root=$1; shift
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$root/run"
cd "$root"
pivot_root . .
umount -l .
cd /
exec "$@"
'
in_root() { # in_root ROOTDIR [VAR=value…] COMMAND…
	local dir=$1; shift
	unshare --mount --propagation private -- bash -c "$ENTER" enter "$dir" \
		/usr/bin/env -i HOME=/root PATH="$CHROOT_PATH" LANG=C.UTF-8 "$@"
}
export ENTER CHROOT_PATH
export -f in_root # for the background npm start

if [[ -n $enter ]]; then # --enter DIR: a shell in a kept root, then nothing else
	enter=$(readlink -f "$enter")
	[[ $enter == "$CACHE"/runs/?* && -d $enter/root/netbook ]] || die "not a kept root under $CACHE/runs: $enter"
	cd /
	in_root "$enter" TERM="${TERM:-dumb}" bash -c 'cd /root/netbook && exec bash -i'
	exit
fi

# One run at a time: runs share port 4321 and the base cache.
exec 9>"$CACHE/.lock"
flock -n 9 || die "another fresh-machine run holds $CACHE/.lock"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOG="$CACHE/logs/$release-$STAMP"
BASE="$CACHE/$release-base"
ROOT="$CACHE/runs/$release-$STAMP"
mkdir -p "$LOG"

# ---------------------------------------------------------------------------------------------
# The Debian mirror this machine uses: the apt source whose suite is this machine's release
# (and its -security companion). Reads deb822 .sources files and one-line .list files.
apt_sources() { # prints "URI SUITE" per enabled deb source
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] || continue
		awk '
			function flush() { if (enabled && types ~ /(^| )deb( |$)/) { n = split(uris, u, " "); m = split(suites, s, " ");
				for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j] } types = uris = suites = ""; enabled = 1 }
			BEGIN { enabled = 1 }
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{ key = tolower($1); sub(/^[^:]*:[ \t]*/, ""); }
			key == "types:" { types = $0 } key == "uris:" { uris = $0 } key == "suites:" { suites = $0 }
			key == "enabled:" { enabled = (tolower($0) !~ /^no/) }
			END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -f $f ]] || continue
		sed -E 's/#.*//; s/\[[^]]*\]//' "$f" | awk '$1 == "deb" { print $2, $3 }'
	done
}
host_codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
MIRROR=${NETBOOK_FRESH_MIRROR:-$(apt_sources | awk -v c="$host_codename" '$2 == c { print $1; exit }')}
SECURITY=${NETBOOK_FRESH_SECURITY:-$(apt_sources | awk -v c="$host_codename-security" '$2 == c { print $1; exit }')}
[[ -n $MIRROR ]] || die "no apt source for this machine's release ($host_codename) in /etc/apt; set NETBOOK_FRESH_MIRROR"
MIRROR=${MIRROR%/}
SECURITY=${SECURITY%/}

# ---------------------------------------------------------------------------------------------
# Cleanup: stop the running command's process group, drop the run root unless --keep.
step_pid= # the running command: leader of its own process group (see spawn)
stop_step() {
	[[ -n $step_pid ]] || return 0
	if kill -0 -- "-$step_pid" 2>/dev/null; then
		kill -TERM -- "-$step_pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 -- "-$step_pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL -- "-$step_pid" 2>/dev/null || true
	fi
	wait "$step_pid" 2>/dev/null || true
	step_pid=
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_step
	(safe_rm "$BASE.tmp") || say "could not remove $BASE.tmp"
	if [[ $keep == 1 && -d $ROOT ]]; then
		say "kept the machine's root: $ROOT (a shell in it: bash $0 --enter $ROOT)"
	else
		(safe_rm "$ROOT") || say "could not remove $ROOT"
	fi
	say "logs: $LOG"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------
# 1. The base root filesystem (cached per release).
build_base() {
	local t0 rc tmp="$BASE.tmp" keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[[ -f $keyring ]] || die "$keyring is missing (Debian: apt-get install debian-archive-keyring)"
	t0=$(now)
	say "building the $release base from $MIRROR (log: $LOG/base.log)"
	safe_rm "$tmp"
	set +e # (a subshell with its own errexit: `{ …; } || …` would silently disable it)
	(
		set -e
		# debootstrap mounts /proc etc. in the target: keep those mounts out of the host's namespace.
		unshare --mount --propagation private -- \
			debootstrap --variant=minbase --keyring="$keyring" "$release" "$tmp" "$MIRROR"

		# apt sources of a plain Debian install: release, -updates, and -security when the host has it.
		rm -f "$tmp/etc/apt/sources.list"
		{
			printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: %s\n' \
				"$MIRROR" "$release" "$release" "$keyring"
			[[ -z $SECURITY ]] ||
				printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' \
					"$SECURITY" "$release" "$keyring"
		} >"$tmp/etc/apt/sources.list.d/debian.sources"
		cp -L /etc/resolv.conf "$tmp/etc/resolv.conf"

		in_root "$tmp" DEBIAN_FRONTEND=noninteractive apt-get update
		in_root "$tmp" DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends "${PACKAGES[@]}"
		# Like a fresh Debian image: no package lists, no downloaded .debs.
		in_root "$tmp" apt-get clean
		find "$tmp/var/lib/apt/lists" -mindepth 1 -maxdepth 1 -type f -delete
		rm -f "$tmp/etc/resolv.conf"
	) >"$LOG/base.log" 2>&1
	rc=$?
	set -e
	if [[ $rc != 0 ]]; then
		tail -n 20 "$LOG/base.log" >&2
		die "building the base failed (log: $LOG/base.log)"
	fi
	mv "$tmp" "$BASE"
	say "base built in $(elapsed "$t0") s"
	echo "base build: $(elapsed "$t0") s" >>"$LOG/times"
}
if [[ $rebuild == 1 ]]; then safe_rm "$BASE"; fi
[[ -d $BASE ]] || build_base

# ---------------------------------------------------------------------------------------------
# 2. A pristine copy of the base, with this machine's CAs, npm settings and resolver.
t0=$(now)
cp -a --reflink=auto "$BASE" "$ROOT"

# CA certificates: the host's local CAs, installed the Debian way (update-ca-certificates).
if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
	cp -a /usr/local/share/ca-certificates/. "$ROOT/usr/local/share/ca-certificates/"
fi
in_root "$ROOT" update-ca-certificates >"$LOG/setup.log" 2>&1
# Resolver and a loopback hosts file.
rm -f "$ROOT/etc/resolv.conf"
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
grep -qs '^127\.0\.0\.1[[:space:]].*localhost' "$ROOT/etc/hosts" ||
	printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >>"$ROOT/etc/hosts"
# npm settings: this machine's user config (root's ~/.npmrc) and global config, placed where the
# machine's own npm reads them.
[[ ! -f /root/.npmrc ]] || cp /root/.npmrc "$ROOT/root/.npmrc"
host_global=
if command -v npm >/dev/null; then host_global=$(npm config get globalconfig 2>/dev/null || true); fi
[[ -f $host_global ]] || host_global=/etc/npmrc
if [[ -f $host_global ]]; then
	root_global=$(in_root "$ROOT" npm config get globalconfig 2>>"$LOG/setup.log")
	[[ $root_global == /* ]] || die "cannot ask the machine's npm for its global config path"
	mkdir -p "$ROOT$(dirname "$root_global")"
	cp "$host_global" "$ROOT$root_global"
	echo "npm global config: $host_global -> $root_global" >>"$LOG/setup.log"
fi
# The repository at REF: a clone, so only committed files reach the machine.
git clone -q --no-local --no-checkout "$REPO" "$ROOT/root/netbook" >>"$LOG/setup.log" 2>&1
git -C "$ROOT/root/netbook" cat-file -e "$SHA^{commit}" 2>/dev/null ||
	git -C "$ROOT/root/netbook" fetch -q "$REPO" "$SHA" >>"$LOG/setup.log" 2>&1
git -C "$ROOT/root/netbook" -c advice.detachedHead=false checkout -q --detach "$SHA"

{
	echo "release: $release"
	echo "mirror: $MIRROR${SECURITY:+ (security: $SECURITY)}"
	echo "repository: $REPO"
	echo "commit: $(git -C "$REPO" log -1 --format='%H %s' "$SHA")"
	in_root "$ROOT" bash -c '. /etc/os-release; echo "os: $PRETTY_NAME (debian_version $(cat /etc/debian_version))"
		echo "node: $(node --version)"; echo "npm: $(npm --version)"; echo "git: $(git --version)"
		echo "installed packages: $(dpkg-query -W | wc -l)"'
} >"$LOG/machine.txt" 2>&1
cat "$LOG/machine.txt" >&2
say "machine ready in $(elapsed "$t0") s: $ROOT"

# ---------------------------------------------------------------------------------------------
# 3. The README's commands, as root, in /root/netbook.
NAMES=() CODES=() TIMES=() NOTES=() LOGS=()
record() { NAMES+=("$1"); CODES+=("$2"); TIMES+=("$3"); NOTES+=("$4"); LOGS+=("${5:-}"); }
# spawn LOGFILE COMMAND-STRING: runs the command in /root/netbook in the background, in its own
# process group, so that it and everything it starts can be stopped as a whole (stop_step), and so
# that a signal to this script interrupts `wait` at once (the trap then stops the group). setsid
# does not fork here (a background job of a non-interactive shell is not a group leader), so $! is
# the group's id; -w keeps the exit code right even if it ever did.
spawn() {
	setsid -w bash -c 'in_root "$1" bash -c "cd /root/netbook && exec $2"' step "$ROOT" "$2" \
		</dev/null >"$LOG/$1" 2>&1 &
	step_pid=$!
}
run_step() { # run_step NAME LOGFILE COMMAND-STRING
	local name=$1 log=$2 cmd=$3 t rc=0
	say "running: $name (log: $LOG/$log)"
	t=$(now)
	spawn "$log" "$cmd"
	wait "$step_pid" || rc=$?
	stop_step # whatever it left running in its group
	record "$name" "$rc" "$(elapsed "$t")" "log: $log" "$log"
	return "$rc"
}

# npm start serves forever: poll until the page answers, then stop its process group. Its time
# is the time until the page answered.
start_and_probe() {
	local t rc=0 answered=0 deadline time
	if curl -s -o /dev/null --max-time 2 "$URL"; then
		record 'npm start' 1 0 'port 4321 already in use on this host: not started'
		return 1
	fi
	say "running: npm start, until $URL answers (log: $LOG/npm-start.log)"
	t=$(now)
	spawn npm-start.log 'npm start'
	deadline=$(($(date +%s) + START_TIMEOUT))
	while (($(date +%s) < deadline)); do
		if ! kill -0 "$step_pid" 2>/dev/null; then
			wait "$step_pid" || rc=$?
			stop_step
			((rc != 0)) || rc=1 # it must serve forever; exiting at all is a failure
			record 'npm start' "$rc" "$(elapsed "$t")" 'exited before serving; log: npm-start.log' npm-start.log
			return 1
		fi
		if curl -fsS -o "$LOG/page.html" --max-time 5 "$URL" 2>/dev/null; then answered=1; break; fi
		sleep 1
	done
	time=$(elapsed "$t")
	stop_step
	if ((answered)); then
		record 'npm start' 0 "$time" "served $URL ($(wc -c <"$LOG/page.html") bytes), then stopped"
	else
		record 'npm start' 124 "$time" "no answer within ${START_TIMEOUT}s; log: npm-start.log" npm-start.log
		return 1
	fi
}

failed=0
if run_step 'npm ci' npm-ci.log 'npm ci'; then
	start_and_probe || failed=1
else
	failed=1
	record 'npm start' - 0 'skipped (npm ci failed)'
fi
run_step 'npm test' npm-test.log 'npm test' || failed=1

# ---------------------------------------------------------------------------------------------
# 4. Summary.
{
	echo
	echo "fresh machine: Debian $release, $(grep -E '^(node|npm):' "$LOG/machine.txt" | tr '\n' ' ')"
	echo "commit: $(git -C "$REPO" log -1 --format='%h %s' "$SHA")"
	printf '%-10s %6s %9s  %s\n' command exit 'wall (s)' note
	for i in "${!NAMES[@]}"; do
		printf '%-10s %6s %9s  %s\n' "${NAMES[$i]}" "${CODES[$i]}" "${TIMES[$i]}" "${NOTES[$i]}"
	done
	[[ ! -f $LOG/times ]] || cat "$LOG/times"
	echo "result: $([[ $failed == 0 ]] && echo PASS || echo FAIL)"
} | tee "$LOG/summary.txt"
if [[ $failed != 0 ]]; then
	for i in "${!NAMES[@]}"; do
		[[ ${CODES[$i]} != 0 && -n ${LOGS[$i]} && -f $LOG/${LOGS[$i]} ]] || continue
		printf '\n--- last lines of %s ---\n' "$LOG/${LOGS[$i]}"
		tail -n 15 "$LOG/${LOGS[$i]}"
	done
fi
exit "$failed"
