#!/usr/bin/env bash
# A machine's state as text, for tests that check a chapter script leaves a machine as it found it
# (src/lib/engines/local/script-safety.test.ts runs it on every lab host, through the sandbox's "dump"):
# processes, links, addresses, routes, rules, network namespaces, the firewall (iptables,
# ip6tables, nft), the IPv4 and bridge sysctls, files in /etc/cni /var/lib/cni /run /tmp and the
# mount points. Timers, counters and timestamps are masked. Processes come first, listed with
# builtins only, so that the dump's only process then is itself.
shopt -s nullglob
echo '== processes'
procs=()
for d in /proc/[0-9]*; do
	[[ ${d#/proc/} == "$$" ]] && continue
	cmd=''
	while IFS= read -r -d '' a; do cmd+="$a "; done <"$d/cmdline" 2>/dev/null
	[[ -n $cmd ]] && procs+=("$cmd")
done
printf '%s\n' "${procs[@]}" | sort
echo '== ip -d link'
ip -d link show | sed -E 's/(_timer) +[0-9.]+/\1 <t>/g'
echo '== ip addr'
ip addr show | sed -E 's/(valid|preferred)_lft [0-9]+sec/\1_lft <t>/g'
echo '== ip route'
ip route show table all
ip -6 route show table all | sed -E 's/ expires [0-9]+sec//'
echo '== ip rule'
ip rule
ip -6 rule
echo '== ip netns'
ip netns list
echo '== iptables-save'
iptables-save 2>&1 | sed -E '/^#/d; s/\[[0-9]+:[0-9]+\]/[-]/'
echo '== ip6tables-save'
ip6tables-save 2>&1 | sed -E '/^#/d; s/\[[0-9]+:[0-9]+\]/[-]/'
echo '== nft'
nft list ruleset 2>&1 | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'
echo '== sysctl'
grep -r . /proc/sys/net/ipv4 /proc/sys/net/bridge /proc/sys/net/ipv6/conf/all/forwarding /proc/sys/net/ipv6/conf/default/forwarding 2>/dev/null | sort
echo '== files'
find /etc/cni /var/lib/cni /run /tmp -printf '%p %y %m %s\n' 2>/dev/null | sort
find /etc/cni /var/lib/cni /run /tmp -type f -print0 2>/dev/null | sort -z | while IFS= read -r -d '' f; do
	printf '%s %s\n' "$f" "$(cksum <"$f" 2>/dev/null)"
done
echo '== mounts'
cut -d' ' -f5 /proc/self/mountinfo | sort
