#!/usr/bin/env bash
# Gives a lab host the state of a busy Raspberry Pi that is not a Docker host: it routes and
# masquerades a second network of its own (a Wi-Fi access point's 10.42.0.0/24 on its bridge
# br-wlan), has a firewall rule of its own, keeps an (empty) /etc/cni/net.d and /var/lib/cni as
# the CNI plugins' package may leave them, and leaves its FORWARD policy ACCEPT. Run as root inside
# a lab host of the sealed sandbox only (the tests' "prepare"; never on a real machine).
set -euo pipefail
ip link add br-wlan address 02:5e:00:00:42:01 type bridge
ip addr add 10.42.0.1/24 dev br-wlan
ip link set br-wlan up
iptables -t nat -A POSTROUTING -s 10.42.0.0/24 -o eth0 -j MASQUERADE
iptables -A INPUT -p tcp --dport 22 -j ACCEPT
iptables -A FORWARD -i br-wlan -j ACCEPT
mkdir -p /etc/cni/net.d /var/lib/cni
sysctl -qw net.ipv4.ip_forward=1
