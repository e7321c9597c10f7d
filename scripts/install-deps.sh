#!/usr/bin/env bash
# Installs what building and testing rsock-java needs on Debian/Ubuntu, as root: a JDK 17 and Maven
# if missing, and the tools the end-to-end tests drive (network namespaces, nftables, conntrack,
# libpcap, kcptun, tcpdump, iperf3, ping, and nmap and nc for the port scan). Installs only what is
# missing; safe to run again.
set -euo pipefail

packages=(iproute2 nftables iptables conntrack libpcap0.8 kcptun tcpdump iperf3 procps ethtool iputils-ping nmap netcat-openbsd)
command -v javac >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root to install: ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
