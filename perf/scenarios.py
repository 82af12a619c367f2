"""The benchmark scenarios of perf/run: one entry each.

A scenario is a switch configuration (vswctl commands and/or flow rules on
two ports, vm1 and vm2) plus the traffic that crosses it (vsw-traffic
options). Traffic goes from the first port of `ports` to the second, or both
ways with `bidir`. `needs` names vswctl commands the scenario cannot run
without (the tenant ones come with issue 4): a scenario whose needs are not
met is listed as skipped, with the reason, instead of failing the run.

Frame sizes are given with the FCS, as users say them (64, 512, 1518);
vsw-traffic takes them without (60, 508, 1514).
"""

# IPv4 10.0.0.0 + i, for rules and generator ranges.
def ip(i):
    return "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)


def p2p_rules():
    return ["priority=100,in_port=vm1,actions=output:vm2",
            "priority=100,in_port=vm2,actions=output:vm1"]


def nw_dst_rules(n=1024):
    """n rules on nw_dst, one mask: 10.0.0.0 .. 10.0.(n-1)."""
    return ["priority=100,ip,nw_dst=%s,actions=output:vm2" % ip(i) for i in range(n)]


# The 16 masks: nw_dst (always) plus each subset of four more fields, with
# the values the generator's frames carry (so every flow matches its rule).
MASK_FIELDS = ("dl_src=02:00:00:00:00:01", "dl_dst=02:00:00:00:00:02", "nw_tos=0", "nw_ttl=64")


def masks_rules(n=100000, masks=16):
    """n rules over `masks` masks: rule i matches nw_dst 10.0.0.0+i and mask i % masks."""
    out = []
    for i in range(n):
        m = i % masks
        extra = "".join("," + f for b, f in enumerate(MASK_FIELDS) if m >> b & 1)
        out.append("priority=100,ip,nw_dst=%s%s,actions=output:vm2" % (ip(i), extra))
    return out


# VXLAN: vm2 is the underlay (local_ip 192.0.2.1) and the VTEP 192.0.2.2 is
# reached through a static next hop (set-uplink nexthop=, control/TENANTS.md):
# a vhost-user uplink has no kernel interface to resolve it through. Its MAC
# is what vsw-traffic --vxlan puts in the outer source by default (02:00 and
# the address), and the outer destination it uses, 02:00:c0:00:02:01, is the
# MAC the dataplane gives the VXLAN port of an underlay without one.
VXLAN_SETUP = [["add-tenant", "t1", "vni=100"], ["set-port", "vm1", "tenant=t1"],
               ["set-uplink", "vm2", "local_ip=192.0.2.1", "nexthop=02:00:c0:00:02:02"],
               ["add-vtep", "t1", "192.0.2.2"]]


def size_arg(size):
    """Frame size with FCS -> vsw-traffic --size."""
    return "imix" if size == "imix" else str(size - 4)


def _p2p(size):
    return {"name": "p2p-%s" % size, "title": "port to port, %s-byte frames" % size,
            "rules": p2p_rules, "size": size, "flows": 1, "gen": {}}


SCENARIOS = [
    _p2p(64),
    _p2p(512),
    _p2p(1518),
    {"name": "nwdst-1k-1k", "title": "1k rules on nw_dst, 1k flows",
     "rules": nw_dst_rules, "size": 64, "flows": 1024,
     "gen": {"dst-ip": "%s-%s" % (ip(0), ip(1023))}},
    {"name": "nwdst-1k-64k", "title": "1k rules on nw_dst, 64k flows",
     "rules": nw_dst_rules, "size": 64, "flows": 65536,
     "gen": {"dst-ip": "%s-%s" % (ip(0), ip(1023)), "src-ip": "198.18.0.0-198.18.0.63"}},
    {"name": "masks-100k-1m", "title": "100k rules over 16 masks, 1M flows",
     "rules": masks_rules, "size": 64, "flows": 1000000,
     "gen": {"dst-ip": "%s-%s" % (ip(0), ip(99999)), "src-ip": "198.18.0.0-198.18.0.9"}},
    # Tenant scenarios (issue 4): the commands of control/TENANTS.md.
    {"name": "normal-1k", "title": "normal (L2 learning), 1k MACs each side",
     "needs": ["add-tenant", "set-port"], "size": 64, "flows": 1000, "bidir": True,
     # 2000 MACs in all: above the default limit of 1024 a tenant learns, so
     # the limit is raised (else half of the frames are flooded, unlearned).
     "setup": [["add-tenant", "t1", "mac_limit=4096"], ["set-port", "vm1", "tenant=t1"],
               ["set-port", "vm2", "tenant=t1"]],
     # Two disjoint MAC ranges: with the runner's 02:..:01 and 02:..:02 the
     # sides' source MACs would overlap and move from port to port.
     "gen": {"macs": 1000, "src-mac": "02:00:00:01:00:00", "dst-mac": "02:00:00:02:00:00"}},
    {"name": "vlan-push", "title": "VLAN push: access port to the uplink (tag 100)",
     "needs": ["add-tenant", "set-port", "set-uplink"], "size": 64, "flows": 1,
     "setup": [["add-tenant", "t1", "vlan=100"], ["set-port", "vm1", "tenant=t1"],
               ["set-uplink", "vm2"]],
     "gen": {}},
    {"name": "vlan-pop", "title": "VLAN pop: uplink (tag 100) to the access port",
     "needs": ["add-tenant", "set-port", "set-uplink"], "size": 68, "flows": 1,
     "ports": ("vm2", "vm1"),
     "setup": [["add-tenant", "t1", "vlan=100"], ["set-port", "vm1", "tenant=t1"],
               ["set-uplink", "vm2"]],
     "gen": {"vlan": 100}},
    # The inner destination is never learned (nothing comes back): every
    # frame is flooded, to the one VTEP (the tenant has no other port).
    {"name": "vxlan-encap", "title": "VXLAN encap: access port to the underlay",
     "needs": ["add-tenant", "set-port", "set-uplink", "add-vtep"],
     "size": 64, "flows": 1, "setup": VXLAN_SETUP, "gen": {}},
    # 64-byte inner frames in 114-byte VXLAN frames (vsw-traffic --vxlan).
    {"name": "vxlan-decap", "title": "VXLAN decap: underlay to the access port",
     "needs": ["add-tenant", "set-port", "set-uplink", "add-vtep"],
     "size": 64, "flows": 1, "ports": ("vm2", "vm1"), "setup": VXLAN_SETUP,
     "gen": {"vxlan": "100,192.0.2.2,192.0.2.1"}},
]

# What --quick runs: one of each kind that exists today, fewer flows for the biggest.
QUICK = ["p2p-64", "nwdst-1k-64k", "masks-100k-1m"]


def by_name():
    return {s["name"]: s for s in SCENARIOS}
