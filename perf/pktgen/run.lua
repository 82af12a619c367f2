-- SPDX-License-Identifier: BSD-3-Clause
-- perf/pktgen/run.lua: one measured run of perf/run with Pktgen-DPDK.
--
-- Port 0 and port 1 are virtio-user devices on vsw's vm1 and vm2 sockets
-- (perf/README.md has the command line). Port 0 sends to port 1 through the
-- switch (both ways with VSW_PG_BIDIR=1) at full rate; after VSW_PG_WARMUP
-- seconds the window opens (the file VSW_PG_WINDOW is created, perf/run then
-- clears the switch's pmd-stats) and lasts VSW_PG_SECONDS; then sending stops
-- and, after a drain, one JSON object goes to VSW_PG_OUT.
--
-- Flows: VSW_PG_DST_IP and VSW_PG_SRC_IP are "A" or "A-B". Pktgen steps each
-- range on its own, frame by frame, so two ranges give lcm(sizes) flows, not
-- their product: perf/run gives Pktgen only scenarios with one range.

package.path = package.path .. ";?.lua;test/?.lua;app/?.lua;"
require "Pktgen"

local function env(k, d)
	local v = os.getenv(k)
	if v == nil or v == "" then return d end
	return v
end

local function range(s)
	local a, b = s:match("^([%d%.]+)%-([%d%.]+)$")
	if a then return a, b end
	return s, s
end

local size    = tonumber(env("VSW_PG_SIZE", "64"))    -- with FCS, as Pktgen counts
local seconds = tonumber(env("VSW_PG_SECONDS", "5"))
local warmup  = tonumber(env("VSW_PG_WARMUP", "1"))
local bidir   = env("VSW_PG_BIDIR", "0") == "1"
local out     = env("VSW_PG_OUT", "/tmp/vsw-pktgen.json")
local window  = env("VSW_PG_WINDOW", "")
local dst_lo, dst_hi = range(env("VSW_PG_DST_IP", "198.19.0.1"))
local src_lo, src_hi = range(env("VSW_PG_SRC_IP", "198.18.0.1"))
local mac = { [0] = "02:00:00:00:00:01", [1] = "02:00:00:00:00:02" }

pktgen.screen("off")

-- Port p sends from its MAC to the other port's, over the address ranges
-- (port 1, when it sends, the mirror: sources and destinations swapped).
local function setup(p, s_lo, s_hi, d_lo, d_hi)
	local ps = tostring(p)
	pktgen.range.src_mac(ps, "start", mac[p])
	pktgen.range.dst_mac(ps, "start", mac[1 - p])
	pktgen.range.src_ip(ps, "start", s_lo)
	pktgen.range.src_ip(ps, "inc", s_lo == s_hi and "0.0.0.0" or "0.0.0.1")
	pktgen.range.src_ip(ps, "min", s_lo)
	pktgen.range.src_ip(ps, "max", s_hi)
	pktgen.range.dst_ip(ps, "start", d_lo)
	pktgen.range.dst_ip(ps, "inc", d_lo == d_hi and "0.0.0.0" or "0.0.0.1")
	pktgen.range.dst_ip(ps, "min", d_lo)
	pktgen.range.dst_ip(ps, "max", d_hi)
	pktgen.range.src_port(ps, "start", 1024)
	pktgen.range.src_port(ps, "inc", 0)
	pktgen.range.src_port(ps, "min", 1024)
	pktgen.range.src_port(ps, "max", 1024)
	pktgen.range.dst_port(ps, "start", 9)
	pktgen.range.dst_port(ps, "inc", 0)
	pktgen.range.dst_port(ps, "min", 9)
	pktgen.range.dst_port(ps, "max", 9)
	pktgen.range.ip_proto(ps, "udp")
	pktgen.range.pkt_size(ps, "start", size)
	pktgen.range.pkt_size(ps, "inc", 0)
	pktgen.range.pkt_size(ps, "min", size)
	pktgen.range.pkt_size(ps, "max", size)
	pktgen.set_range(ps, "on")
end

setup(0, src_lo, src_hi, dst_lo, dst_hi)
if bidir then setup(1, dst_lo, dst_hi, src_lo, src_hi) end
local senders = bidir and "0-1" or "0"
pktgen.set("all", "rate", 100)
pktgen.set("all", "count", 0)
pktgen.clr()

local function counts()
	local st = pktgen.portStats("all", "port")
	local c = { rx_packets = 0, rx_bytes = 0, tx_packets = 0, tx_bytes = 0 }
	for p = 0, 1 do
		c.rx_packets = c.rx_packets + st[p].ipackets
		c.rx_bytes = c.rx_bytes + st[p].ibytes
		c.tx_packets = c.tx_packets + st[p].opackets
		c.tx_bytes = c.tx_bytes + st[p].obytes
	end
	return c
end

pktgen.start(senders)
pktgen.delay(math.floor(warmup * 1000))
local a = counts()
if window ~= "" then
	local f = io.open(window, "w")
	if f then f:close() end
end
pktgen.delay(math.floor(seconds * 1000))
local b = counts()
pktgen.stop(senders)
pktgen.delay(300) -- what is still in the virtqueues arrives
local c = counts()

local f = assert(io.open(out, "w"))
f:write(string.format(
	'{"seconds":%f,"rx_packets":%d,"rx_bytes":%d,"tx_packets":%d,"tx_bytes":%d,' ..
	'"rx_total":%d,"tx_total":%d}\n', seconds, b.rx_packets - a.rx_packets,
	b.rx_bytes - a.rx_bytes, b.tx_packets - a.tx_packets, b.tx_bytes - a.tx_bytes,
	c.rx_packets, c.tx_packets))
f:close()
if pktgen.quit then pktgen.quit() end
os.exit(0)
