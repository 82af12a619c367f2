#!/usr/bin/env bash
# vsw set-up: installs what vsw needs on Debian 12, builds it, and runs it.
#
#   ./setup.sh                      install packages and build (idempotent)
#   ./setup.sh demo [--seconds N]   ... then run the switch with traffic flowing
#   ./setup.sh test                 ... then run the whole test suite
#   ./setup.sh --hugepages [MIB]    ... also reserve hugepages (benchmarks only;
#                                   tests never need them)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${VSW_BUILD_DIR:-$here/build}

packages=(
	gcc pkg-config meson ninja-build
	dpdk dpdk-dev libdpdk-dev          # DPDK 22.11: rte_vhost, testpmd (the baseline)
	libpcap-dev                        # capture files
	libnl-3-dev libnl-route-3-dev      # underlay routes and neighbours
	libjansson-dev                     # JSON on every socket
	libsqlite3-dev                     # vsw-control's durable store
	libcmocka-dev                      # unit tests
	clang-14 libclang-rt-14-dev        # libFuzzer targets (tests/fuzz)
	python3 python3-scapy              # integration tests build and read frames
	python3-matplotlib                 # perf/run's plots
	iproute2 procps                    # tests: namespaces, processes
	tcpdump tshark iputils-ping        # tenant tests: capture and decode VXLAN/802.1Q, ping
	qemu-system-x86                    # VM tests (the guest kernel is downloaded, not installed)
	man-db systemd                     # install test: man -l, systemd-analyze verify
)

say() { printf 'setup: %s\n' "$*" >&2; }

install_packages() {
	local missing=()
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || { say "need root to install: ${missing[*]}"; exit 1; }
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
}

hugepages() {
	local mib=${1:-2048}
	local pages=$((mib / 2))
	echo "$pages" > /proc/sys/vm/nr_hugepages
	mountpoint -q /dev/hugepages || { mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages; }
	say "hugepages: $(grep HugePages_Total /proc/meminfo | awk '{print $2}') x 2 MiB on /dev/hugepages"
}

build() {
	if [ ! -f "$build/build.ninja" ]; then
		meson setup "$build" "$here" >/dev/null
	fi
	ninja -C "$build" >/dev/null || ninja -C "$build"
	say "built in $build"
}

cmd=build
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--hugepages)
		if [[ ${2:-} =~ ^[0-9]+$ ]]; then want_huge=$2; shift; else want_huge=2048; fi ;;
	demo|test|build) cmd=$1 ;;
	-h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) args+=("$1") ;;
	esac
	shift
done

install_packages
[ -n "${want_huge:-}" ] && hugepages "$want_huge"
build
case "$cmd" in
demo) exec "$here/perf/demo" --build "$build" "${args[@]}" ;;
test) exec meson test -C "$build" --print-errorlogs --no-rebuild "${args[@]}" ;;
build) ;;
esac
