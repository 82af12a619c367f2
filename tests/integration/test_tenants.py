#!/usr/bin/env python3
"""Tenant intent through the real vswctl and daemons: what the commands do to
list-tenants and dump-ports, that it survives a vsw-control crash, and that
bad intent changes nothing."""

import signal

from vswtest import VswTestCase, main

BLUE = {
    "name": "blue", "id": 1, "vlan": 10, "vni": 5000, "mac_limit": 1024,
    "ports": [
        {"name": "vm1", "mode": "access", "trunks": "", "mac": "02:00:00:00:00:01",
         "ips": ["192.0.2.10", "2001:db8::10"]},
        {"name": "vm2", "mode": "trunk", "trunks": "100-102,200", "mac": None, "ips": []},
    ],
    "vteps": ["198.51.100.2"],
    "acls": [{"id": 1, "priority": 200, "action": "deny", "match": "tcp,tp_dst=22"}],
}
RED = {"name": "red", "id": 2, "vlan": 20, "vni": 0, "mac_limit": 16,
       "ports": [{"name": "vm3", "mode": "access", "trunks": "", "mac": None, "ips": []}],
       "vteps": [], "acls": []}


class Tenants(VswTestCase):

    def setUp(self):
        super().setUp()
        for p in ("vm1", "vm2", "vm3", "up0"):
            self.sw.vswctl("add-port", p, "vhost-user")

    def build(self):
        sw = self.sw
        sw.vswctl("add-tenant", "blue", "vlan=10", "vni=5000")
        sw.vswctl("add-tenant", "red", "vlan=20", "mac_limit=16")
        sw.vswctl("set-port", "vm1", "tenant=blue", "mac=02:00:00:00:00:01",
                  "ips=192.0.2.10,2001:db8::10")
        sw.vswctl("set-port", "vm2", "tenant=blue", "mode=trunk", "trunks=200,100-102")
        sw.vswctl("set-port", "vm3", "tenant=red")
        sw.vswctl("set-uplink", "up0", "local_ip=192.0.2.1")
        sw.vswctl("add-vtep", "blue", "198.51.100.2")
        sw.vswctl("add-acl", "blue", "priority=200", "deny", "tcp", "tp_dst=22")

    def owners(self):
        return {p["name"]: (p["tenant"], p["uplink"]) for p in self.sw.json("dump-ports")["ports"]}

    def state(self):
        flows = sorted((f["table"], f["priority"], f["match"], f["actions"])
                       for f in self.sw.flows())
        return self.sw.json("list-tenants"), self.owners(), flows

    def test_commands_listing_and_restart(self):
        self.build()
        want = {"tenants": [BLUE, RED],
                "uplink": {"port": "up0", "local_ip": "192.0.2.1", "nexthop": None}}
        self.assertEqual(self.sw.json("list-tenants"), want)
        self.assertEqual(self.owners(), {"vm1": ("blue", False), "vm2": ("blue", False),
                                         "vm3": ("red", False), "up0": (None, True)})
        text = self.sw.vswctl("list-tenants").stdout
        self.assertEqual(text.splitlines(), [
            "tenant blue (1): vlan=10 vni=5000 mac_limit=1024",
            "  port vm1: access mac=02:00:00:00:00:01 ips=192.0.2.10,2001:db8::10",
            "  port vm2: trunk trunks=100-102,200",
            "  vtep 198.51.100.2",
            "  acl 1: priority=200 deny tcp,tp_dst=22",
            "tenant red (2): vlan=20 vni=none mac_limit=16",
            "  port vm3: access",
            "uplink up0: local_ip=192.0.2.1",
        ])
        ports = self.sw.vswctl("dump-ports").stdout
        self.assertIn("port vm1 (1): state=down vhost-user server %s tenant=blue"
                      % self.sw.sock("vm1"), ports)
        self.assertIn("port up0 (4): state=down vhost-user server %s uplink"
                      % self.sw.sock("up0"), ports)

        # A crash loses nothing that was acknowledged.
        before = self.state()
        self.sw.control.stop(signal.SIGKILL)
        self.sw.start_control()
        self.sw.wait_connected()
        self.assertEqual(self.state(), before)

        # Taking it down again, durably too.
        r = self.sw.vswctl("del-tenant", "blue", check=False)
        self.assertEqual(r.returncode, 1)
        self.sw.vswctl("del-tenant", "--force", "blue")
        self.sw.vswctl("set-uplink", "none")
        after = {"tenants": [RED], "uplink": None}
        self.assertEqual(self.sw.json("list-tenants"), after)
        self.sw.control.stop()
        self.sw.start_control()
        self.sw.wait_connected()
        self.assertEqual(self.sw.json("list-tenants"), after)
        self.assertEqual(self.owners()["vm1"], (None, False))
        # A detached port is an ordinary port again.
        self.sw.vswctl("add-flow", "in_port=vm3,actions=output:vm1")
        self.sw.vswctl("del-port", "vm2")

    def test_bad_intent_changes_nothing(self):
        self.build()
        self.sw.vswctl("add-flow", "priority=5,in_port=vm1,actions=drop")
        before = self.state()
        bad = [
            (1, ["add-tenant", "green", "vlan=10"],
             "add-tenant: vlan 10 is used by tenant 'blue'"),
            (1, ["add-tenant", "green", "vlan=101"],
             "add-tenant: vlan 101 is used by tenant 'blue'"),
            (1, ["add-tenant", "green", "vni=5000"],
             "add-tenant: vni 5000 is used by tenant 'blue'"),
            (1, ["add-tenant", "green", "vlan=4095"], "add-tenant: vlan 4095 out of range 1..4094"),
            (1, ["add-tenant", "blue"], "add-tenant: tenant 'blue' already exists"),
            (1, ["del-tenant", "blue"], "del-tenant: tenant 'blue' has ports (vm1, vm2); "
                                        "detach them (set-port PORT tenant=none) or use --force"),
            (1, ["set-port", "vm1", "tenant=red"],
             "set-port: port 'vm1' is in tenant 'blue'; set tenant=none first"),
            (1, ["set-port", "vm3", "tenant=red", "mode=trunk", "trunks=20,101"],
             "set-port: vlan 101 is used by tenant 'blue'"),
            (1, ["set-port", "vm3", "tenant=red", "mode=trunk", "trunks=20-"],
             "set-port: trunks '20-': '20-' is not a VLAN id or range"),
            (1, ["set-port", "up0", "tenant=red"],
             "set-port: port 'up0' is the uplink; it carries every tenant and joins none"),
            (1, ["set-uplink", "vm3"],
             "set-uplink: port 'vm3' belongs to tenant 'red'; the uplink carries every "
             "tenant and joins none"),
            (1, ["add-vtep", "red", "198.51.100.3"],
             "add-vtep: tenant 'red' has no vni (a VTEP carries a tenant's VNI)"),
            (1, ["add-acl", "blue", "deny", "in_port=vm1"],
             "add-acl: acl match: in_port is not allowed (an ACL applies to the whole tenant)"),
            (1, ["add-flow", "in_port=vm1,actions=output:vm3"],
             "add-flow: port 'vm3' belongs to tenant 'red'; its traffic is programmed by the "
             "tenant pipeline"),
            (1, ["add-flow", "table=250,actions=drop"],
             "add-flow: table 250 is reserved for the tenant pipeline (tables 250..254)"),
            (1, ["del-port", "vm1"], "del-port: port 'vm1' belongs to tenant 'blue'; detach it "
                                     "first (set-port vm1 tenant=none)"),
            (2, ["set-port", "vm1", "mode=access"],
             "set-port: expected tenant=NAME (or tenant=none)"),
            (2, ["add-tenant", "green", "vlan=ten"], "add-tenant: vlan 'ten' is not a number"),
            (2, ["add-acl", "blue", "reject"], "add-acl: expected allow or deny, not 'reject'"),
        ]
        for code, args, msg in bad:
            r = self.sw.vswctl(*args, check=False)
            self.assertEqual((r.returncode, r.stderr, r.stdout), (code, "vswctl: %s\n" % msg, ""),
                             " ".join(args))
        self.assertEqual(self.state(), before)
        # Nor after a restart: nothing of it reached the store.
        self.sw.control.stop()
        self.sw.start_control()
        self.sw.wait_connected()
        self.assertEqual(self.state(), before)


if __name__ == "__main__":
    main()
