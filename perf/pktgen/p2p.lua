-- SPDX-License-Identifier: BSD-3-Clause
-- perf/pktgen/p2p.lua: set Pktgen-DPDK up for vsw's port-to-port test and
-- start sending; watch the rates on Pktgen's screen, `stop 0` or `quit`.
--
-- Port 0 (vm1) sends 64-byte UDP frames at full rate to port 1 (vm2) through
-- the switch, from vm1's MAC to vm2's; change the size with `set 0 size 512`
-- or `set 0 size 1518`, the rate with `set 0 rate 50` (percent), and send both
-- ways with `start 0-1` after `set 1 dst mac 02:00:00:00:00:01`.
-- perf/README.md has the command line and the switch's set-up.

package.path = package.path .. ";?.lua;test/?.lua;app/?.lua;"
require "Pktgen"

pktgen.set_mac("0", "src", "02:00:00:00:00:01")
pktgen.set_mac("0", "dst", "02:00:00:00:00:02")
pktgen.set_mac("1", "src", "02:00:00:00:00:02")
pktgen.set_mac("1", "dst", "02:00:00:00:00:01")
pktgen.set_ipaddr("0", "src", "198.18.0.1/24")
pktgen.set_ipaddr("0", "dst", "198.19.0.1")
pktgen.set_ipaddr("1", "src", "198.19.0.1/24")
pktgen.set_ipaddr("1", "dst", "198.18.0.1")
pktgen.set_proto("all", "udp")
pktgen.set("all", "sport", 1024)
pktgen.set("all", "dport", 9)
pktgen.set("all", "size", 64)
pktgen.set("all", "rate", 100)
pktgen.set("all", "count", 0)
pktgen.clr()
pktgen.start("0")
