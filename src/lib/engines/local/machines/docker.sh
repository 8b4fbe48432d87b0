#!/usr/bin/env bash
# Gives a lab host the state Docker (20.10 to 27, iptables-nft) keeps on a Raspberry Pi with one
# running container that publishes port 8080: the docker0 bridge with 172.17.0.1/16, the
# container's veth and namespace (not in /run/netns: Docker keeps it in /run/docker/netns), its
# process, Docker's nat and filter rules and chains, the FORWARD policy DROP and ip_forward=1.
# Run as root inside a lab host of the sealed sandbox only (the tests' "prepare"; never on a real
# machine). br_netfilter is built into the lab's kernel, as Docker loads it on a Pi.
set -euo pipefail
ip link add docker0 address 02:42:5b:0e:7a:01 type bridge
ip addr add 172.17.0.1/16 brd 172.17.255.255 dev docker0
ip link set docker0 up

# The container: a network namespace bound under /run/docker/netns, a process in it, a veth.
mkdir -p /run/docker/netns
ns=/run/docker/netns/5f0c2d7e9a41
touch "$ns"
unshare --net="$ns" true
nsenter --net="$ns" sleep infinity </dev/null >/dev/null 2>&1 &
# The pair is made inside the container's namespace, its host end sent to PID 1's (this machine's).
nsenter --net="$ns" ip link add eth0 address 02:42:ac:11:00:02 type veth peer name veth3c51a2e address 02:42:5b:0e:7a:02 netns 1
nsenter --net="$ns" ip link set lo up
nsenter --net="$ns" ip addr add 172.17.0.2/16 brd 172.17.255.255 dev eth0
nsenter --net="$ns" ip link set eth0 up
nsenter --net="$ns" ip route add default via 172.17.0.1
ip link set veth3c51a2e master docker0
ip link set veth3c51a2e up
printf '%s\n' 4242 >/run/docker.pid

# Docker's rules, in the order dockerd writes them (iptables-save order).
iptables -t nat -N DOCKER
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
iptables -t nat -A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE
iptables -t nat -A DOCKER -i docker0 -j RETURN
iptables -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
iptables -N DOCKER
iptables -N DOCKER-ISOLATION-STAGE-1
iptables -N DOCKER-ISOLATION-STAGE-2
iptables -N DOCKER-USER
iptables -P FORWARD DROP
iptables -A FORWARD -j DOCKER-USER
iptables -A FORWARD -j DOCKER-ISOLATION-STAGE-1
iptables -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -o docker0 -j DOCKER
iptables -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
iptables -A FORWARD -i docker0 -o docker0 -j ACCEPT
iptables -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
iptables -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
iptables -A DOCKER-ISOLATION-STAGE-1 -j RETURN
iptables -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
iptables -A DOCKER-ISOLATION-STAGE-2 -j RETURN
iptables -A DOCKER-USER -j RETURN
# Docker 27 also writes its chains for IPv6 (ip6tables is on by default), empty without IPv6 networks.
ip6tables -t nat -N DOCKER
ip6tables -N DOCKER
ip6tables -N DOCKER-ISOLATION-STAGE-1
ip6tables -N DOCKER-ISOLATION-STAGE-2
ip6tables -N DOCKER-USER
ip6tables -A FORWARD -j DOCKER-USER
ip6tables -A FORWARD -j DOCKER-ISOLATION-STAGE-1
ip6tables -A DOCKER-ISOLATION-STAGE-1 -j RETURN
ip6tables -A DOCKER-ISOLATION-STAGE-2 -j RETURN
ip6tables -A DOCKER-USER -j RETURN

sysctl -qw net.ipv4.ip_forward=1
