#!/usr/bin/env python3
"""The multi-table pipeline and every action, through real vhost-user ports.

Tables chained with goto_table and resubmit, registers and metadata carried
between tables, table miss policies, VLAN push/pop/rewrite, header rewrites
whose checksums are checked by recomputing them with scapy, copy on write
(a frame output before a rewrite arrives unmodified), drop reasons, and
malformed frames through rewrite actions.

Each test sends from vm1 and captures at the other ports.
"""

import os
import time

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, IPv6, Raw,  # noqa: F401
                       ICMPv6EchoRequest)

from vswtest import MAC1, MAC2, MAC3, VswTestCase, main, wait_for

MAC_A, MAC_B, MAC_C, MAC_D = ("02:00:00:00:00:%02x" % i for i in (0xa, 0xb, 0xc, 0xd))
MAC_E, MAC_F, MAC_G, MAC_H = ("02:00:00:00:00:%02x" % i for i in (0xe, 0xf, 0x10, 0x11))
NEW_SRC, NEW_DST = "02:aa:00:00:00:01", "02:bb:00:00:00:02"


def udp4(dst=MAC2, ttl=64, tos=0x01, csum=None, sport=1000, dport=7, vlan=None, n=0):
    p = Ether(src=MAC1, dst=dst)
    if vlan is not None:
        p = p / Dot1Q(vlan=vlan[0], prio=vlan[1])
    udp = UDP(sport=sport, dport=dport) if csum is None else UDP(sport=sport, dport=dport,
                                                                   chksum=csum)
    return p / IP(src="192.0.2.1", dst="192.0.2.2", ttl=ttl, tos=tos) / udp / \
        Raw(b"udp-%04d-" % n + b"x" * 30)


def tcp4(ttl=64, n=0):
    return (Ether(src=MAC1, dst=MAC2) / IP(src="192.0.2.1", dst="192.0.2.2", ttl=ttl, tos=0x02)
            / TCP(sport=40000, dport=80, flags="PA", seq=1000 + n) / Raw(b"tcp-%04d-" % n * 3))


def icmp4(n=0):
    return (Ether(src=MAC1, dst=MAC2) / IP(src="192.0.2.1", dst="192.0.2.2", ttl=64)
            / ICMP(type=8, id=7, seq=n) / Raw(b"ping" * 8))


def tcp6(hlim=64, n=0):
    return (Ether(src=MAC1, dst=MAC2) / IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=hlim, tc=1)
            / TCP(sport=40000, dport=443, flags="S", seq=n) / Raw(b"six" * 10))


def udp6(n=0):
    return (Ether(src=MAC1, dst=MAC2) / IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=64)
            / UDP(sport=5000, dport=53) / Raw(b"dns-%04d" % n * 4))


def icmp6(n=0):
    return (Ether(src=MAC1, dst=MAC2) / IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=64)
            / ICMPv6EchoRequest(id=9, seq=n) / Raw(b"ping6" * 6))


def checksums_ok(raw):
    """True when every IPv4/TCP/UDP/ICMP(v6) checksum in `raw` equals scapy's recomputation.

    A UDP checksum of 0 (none) is left as it is."""
    p = Ether(raw)
    for layer, field in ((IP, "chksum"), (TCP, "chksum"), (UDP, "chksum"), (ICMP, "chksum"),
                         (ICMPv6EchoRequest, "cksum")):
        if layer in p and not (layer is UDP and p[UDP].chksum == 0):
            delattr(p[layer], field)
    return bytes(p) == raw


def dp_call(sw, req):
    """One request on the dataplane's own socket (PROTOCOL.md, vsw-dataplane)."""
    return sw.dp_call(req)


class PipelineCase(VswTestCase):

    def add_ports(self, *names):
        for n in names:
            self.sw.vswctl("add-port", n, "vhost-user")

    def add_flows(self, *lines):
        for line in lines:
            self.sw.vswctl("add-flow", line)

    def traffic(self, sent, want, back=0, settle=0.5):
        """Send `sent` from vm1; wait for want[port] frames at each port; return them.

        `back`: frames expected back at vm1 (got["vm1"]). Waits until vm1
        counted every frame, then `settle` seconds more, so that a frame that
        should not arrive would have arrived."""
        rx = {p: self.peer(p, capture=self.capture_path(p)) for p in want}
        self.sw.wait_up(*want)
        tx = self.peer("vm1", send=sent, capture=self.capture_path("vm1"),
                       expect=back or None)
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: self.sw.port("vm1")["rx_packets"] == len(sent), 15,
                 "%d frames into vm1" % len(sent))
        for p, n in want.items():
            wait_for(lambda: len(rx[p].frames()) >= n, 15, "%d frames at %s" % (n, p))
        time.sleep(settle)
        got = {p: rx[p].frames() for p in want}
        got["vm1"] = tx.frames()
        for p, n in list(want.items()) + [("vm1", back)]:
            self.assertEqual(len(got[p]), n, "frames at %s" % p)
        return got

    def drops(self, port="vm1"):
        return {k: v for k, v in self.sw.port(port)["drops"].items() if v}

    def tables(self):
        return {t["table"]: t for t in self.sw.json("dump-tables")["tables"]}


class Tables(PipelineCase):

    def test_goto_table_carries_registers_and_metadata(self):
        self.add_ports("vm1", "vm2", "vm3")
        self.add_flows(
            "table=0,priority=10,in_port=vm1,dl_dst=%s,"
            "actions=load:5->NXM_NX_REG0[],set_field:0xabc->metadata,goto_table:1" % MAC2,
            "table=0,priority=10,in_port=vm1,dl_dst=%s,"
            "actions=load:6->NXM_NX_REG0[],goto_table:1" % MAC3,
            "table=0,priority=10,in_port=vm1,dl_dst=%s,"
            "actions=set_field:0x7->reg3,set_field:0xa0f/0xf0f->metadata,"
            "set_field:0xbc/0xff->metadata,goto_table:2" % MAC_A,  # masked: 0xabc
            "table=1,priority=10,reg0=5,metadata=0xabc,actions=output:vm2",
            "table=2,priority=10,reg3=7,metadata=0xabc,actions=output:vm3")
        sent = ([udp4(dst=MAC2, n=i) for i in range(4)] + [udp4(dst=MAC3, n=i) for i in range(3)]
                + [udp4(dst=MAC_A, n=i) for i in range(2)])
        got = self.traffic(sent, {"vm2": 4, "vm3": 2})
        self.assertEqual(got["vm2"], [bytes(f) for f in sent[:4]])
        self.assertEqual(got["vm3"], [bytes(f) for f in sent[7:]])
        # reg0=6 found nothing in table 1: a miss, counted on the port and the table
        self.assertEqual(self.drops(), {"no_match": 3})
        t = self.tables()
        self.assertEqual((t[0]["lookups"], t[0]["matches"], t[0]["active"]), (9, 9, 3))
        self.assertEqual((t[1]["lookups"], t[1]["matches"], t[1]["active"]), (7, 4, 1))
        self.assertEqual((t[2]["lookups"], t[2]["matches"]), (2, 2))
        for f in self.sw.flows():
            if f["table"] == 1:
                self.assertEqual(f["n_packets"], 4)

    def test_table_miss_drops_by_default(self):
        self.add_ports("vm1", "vm2")
        self.add_flows("table=0,priority=10,in_port=vm1,dl_dst=%s,actions=goto_table:1" % MAC3,
                       "table=1,priority=10,in_port=vm1,actions=mod_dl_src:%s,output:vm2" % NEW_SRC)
        got = self.traffic([udp4(dst=MAC2, n=i) for i in range(3)]
                           + [udp4(dst=MAC3, n=9)], {"vm2": 1})
        self.assertEqual(Ether(got["vm2"][0]).src, NEW_SRC)
        self.assertEqual(self.drops(), {"no_match": 3})
        t = self.tables()
        self.assertEqual((t[0]["lookups"], t[0]["matches"], t[0]["miss"]), (4, 1, "drop"))
        self.assertEqual((t[1]["lookups"], t[1]["matches"], t[1]["miss"]), (1, 1, "drop"))

    def test_table_miss_continue(self):
        # mod-table goes through vsw-control, which keeps it and re-sends it
        self.sw.vswctl("mod-table", "0", "continue")
        self.assertEqual(self.tables()[0]["miss"], "continue")
        self.add_ports("vm1", "vm2")
        self.add_flows("table=0,priority=10,in_port=vm1,dl_dst=%s,actions=drop" % MAC3,
                       "table=1,priority=10,in_port=vm1,actions=mod_dl_src:%s,output:vm2" % NEW_SRC)
        got = self.traffic([udp4(dst=MAC2, n=i) for i in range(3)] + [udp4(dst=MAC3)],
                           {"vm2": 3})
        self.assertTrue(all(Ether(f).src == NEW_SRC for f in got["vm2"]))
        self.assertEqual(self.drops(), {"action_drop": 1})
        t = self.tables()
        self.assertEqual((t[0]["lookups"], t[0]["matches"]), (4, 1))
        self.assertEqual((t[1]["lookups"], t[1]["matches"]), (3, 3))
        self.sw.vswctl("mod-table", "0", "drop")
        self.assertEqual(self.tables()[0]["miss"], "drop")

    def test_continue_through_empty_tables_to_the_last(self):
        self.add_ports("vm1", "vm2")
        for t in (0, 1, 2):
            self.sw.vswctl("mod-table", str(t), "continue")
        self.add_flows("table=3,priority=10,in_port=vm1,udp,tp_dst=7,actions=output:vm2")
        got = self.traffic([udp4(n=0), udp4(dport=8, n=1)], {"vm2": 1})
        self.assertEqual(Ether(got["vm2"][0])[UDP].dport, 7)
        # the second frame missed in table 3, whose policy is drop
        self.assertEqual(self.drops(), {"no_match": 1})
        t = self.tables()
        self.assertEqual([(t[i]["lookups"], t[i]["matches"]) for i in range(4)],
                         [(2, 0), (2, 0), (2, 0), (2, 1)])

    def test_resubmit_runs_the_table_then_continues(self):
        self.add_ports("vm1", "vm2", "vm3")
        self.add_flows(
            # OVS: the resubmitted rule's edits persist after resubmit returns
            "table=0,priority=10,in_port=vm1,ip,actions=resubmit(,1),resubmit(,2),output:vm3",
            "table=1,priority=10,ip,actions=mod_nw_dst:10.0.0.9,output:vm2")
        # table 2 is empty: after resubmit a miss just returns
        sent = [udp4(n=i) for i in range(3)]
        got = self.traffic(sent, {"vm2": 3, "vm3": 3})
        for f in got["vm2"] + got["vm3"]:
            self.assertEqual(Ether(f)[IP].dst, "10.0.0.9")
            self.assertTrue(checksums_ok(f))
        self.assertEqual(self.drops(), {})
        t = self.tables()
        self.assertEqual((t[2]["lookups"], t[2]["matches"]), (3, 0))

    def test_resubmit_loop_drops_the_whole_packet(self):
        self.add_ports("vm1", "vm2")
        self.add_flows("table=0,priority=10,in_port=vm1,dl_dst=%s,actions=output:vm2,resubmit(,0)"
                       % MAC3,
                       "table=0,priority=10,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2)
        # the looping packet is dropped with the output it made before the limit
        got = self.traffic([udp4(dst=MAC3, n=0), udp4(dst=MAC2, n=1)], {"vm2": 1})
        self.assertEqual(Ether(got["vm2"][0]).dst, MAC2)
        self.assertEqual(self.drops(), {"recursion_too_deep": 1})

    def test_add_flows_file_is_one_pipeline(self):
        """add-flows installs a whole pipeline at once (one flow-batch)."""
        self.add_ports("vm1", "vm2")
        path = os.path.join(self.dir, "pipeline.flows")
        with open(path, "w") as f:
            f.write("# a two-table pipeline\n"
                    "table=0,priority=10,in_port=vm1,actions=set_field:3->reg1,goto_table:5\n"
                    "table=5,priority=10,reg1=3,actions=dec_ttl,output:vm2\n")
        self.sw.vswctl("add-flows", path)
        got = self.traffic([udp4(ttl=9)], {"vm2": 1})
        self.assertEqual(Ether(got["vm2"][0])[IP].ttl, 8)
        self.assertTrue(checksums_ok(got["vm2"][0]))


class Vlan(PipelineCase):

    def test_push_strip_and_rewrite(self):
        self.add_ports("vm1", "vm2")
        self.add_flows(
            "priority=10,in_port=vm1,dl_dst=%s,"
            "actions=push_vlan:0x8100,mod_vlan_vid:100,mod_vlan_pcp:3,output:vm2" % MAC_A,
            # mod_vlan_vid on an untagged frame pushes a tag, as OVS does
            "priority=10,in_port=vm1,dl_dst=%s,actions=mod_vlan_vid:200,output:vm2" % MAC_B,
            "priority=10,in_port=vm1,dl_dst=%s,actions=strip_vlan,output:vm2" % MAC_C,
            "priority=10,in_port=vm1,dl_dst=%s,actions=mod_vlan_vid:300,output:vm2" % MAC_D,
            "priority=10,in_port=vm1,dl_dst=%s,actions=push_vlan:0x88a8,output:vm2" % MAC_E,
            # later lookups see the new tag, and its absence
            "priority=10,in_port=vm1,dl_dst=%s,"
            "actions=push_vlan:0x8100,mod_vlan_vid:42,goto_table:1" % MAC_F,
            "table=1,priority=10,dl_vlan=42,actions=output:vm2",
            "priority=10,in_port=vm1,dl_dst=%s,actions=strip_vlan,goto_table:2" % MAC_G,
            "table=2,priority=10,vlan_tci=0,actions=mod_vlan_pcp:6,output:vm2",
            "priority=10,in_port=vm1,dl_dst=%s,actions=set_field:0->vlan_tci,output:vm2" % MAC_H)
        sent = [udp4(dst=MAC_A), udp4(dst=MAC_B), udp4(dst=MAC_C, vlan=(10, 5)),
                udp4(dst=MAC_D, vlan=(10, 5)), udp4(dst=MAC_E), udp4(dst=MAC_F),
                udp4(dst=MAC_G, vlan=(7, 1)), udp4(dst=MAC_H, vlan=(11, 2))]
        raw = self.traffic(sent, {"vm2": len(sent)})["vm2"]
        got = [Ether(f) for f in raw]

        def tag(p):
            # (TPID, VID, PCP, inner type) of the outer tag, from the bytes (scapy
            # does not dissect 0x88a8 as a tag)
            b = bytes(p)
            tpid = int.from_bytes(b[12:14], "big")
            if tpid not in (0x8100, 0x88a8):
                return None
            tci = int.from_bytes(b[14:16], "big")
            return (tpid, tci & 0xfff, tci >> 13, int.from_bytes(b[16:18], "big"))

        self.assertEqual(tag(got[0]), (0x8100, 100, 3, 0x0800))
        self.assertEqual(tag(got[1]), (0x8100, 200, 0, 0x0800))
        self.assertEqual(tag(got[2]), None)
        self.assertEqual(got[2].type, 0x0800)
        self.assertEqual(tag(got[3]), (0x8100, 300, 5, 0x0800))
        self.assertEqual(tag(got[4]), (0x88a8, 0, 0, 0x0800))
        self.assertEqual(tag(got[5]), (0x8100, 42, 0, 0x0800))
        self.assertEqual(tag(got[6]), (0x8100, 0, 6, 0x0800))
        self.assertEqual(tag(got[7]), None)
        # the rest of each frame is untouched
        for f, s in zip(raw, sent):
            self.assertEqual(f[-len(s[IP]):], bytes(s[IP]))
        self.assertEqual(self.drops(), {})


class Rewrites(PipelineCase):

    def test_ipv4_rewrites_keep_checksums(self):
        self.add_ports("vm1", "vm2")
        self.add_flows(
            "priority=10,in_port=vm1,udp,actions=mod_dl_src:%s,mod_dl_dst:%s,"
            "mod_nw_src:10.1.1.1,mod_nw_dst:10.2.2.2,mod_tp_src:1111,mod_tp_dst:2222,"
            "mod_nw_tos:184,dec_ttl,output:vm2" % (NEW_SRC, NEW_DST),
            "priority=10,in_port=vm1,tcp,actions=set_field:10.3.3.3->nw_src,"
            "set_field:8080->tcp_dst,set_field:46->ip_dscp,set_field:7->nw_ttl,output:vm2",
            "priority=10,in_port=vm1,icmp,actions=mod_nw_dst:10.4.4.4,set_field:0->icmp_type,"
            "dec_ttl,output:vm2")
        sent = [udp4(n=i) for i in range(3)] + [tcp4(n=i) for i in range(3)] + [icmp4(n=1)]
        got = [Ether(f) for f in self.traffic(sent, {"vm2": len(sent)})["vm2"]]
        for p in got:
            self.assertTrue(checksums_ok(bytes(p)), p.show2(dump=True))
        for p in got[:3]:
            self.assertEqual((p.src, p.dst), (NEW_SRC, NEW_DST))
            self.assertEqual((p[IP].src, p[IP].dst, p[IP].tos, p[IP].ttl),
                             ("10.1.1.1", "10.2.2.2", 184 | 0x01, 63))
            self.assertEqual((p[UDP].sport, p[UDP].dport), (1111, 2222))
            self.assertNotEqual(p[UDP].chksum, 0)
        for p in got[3:6]:
            self.assertEqual((p[IP].src, p[IP].dst, p[IP].tos, p[IP].ttl),
                             ("10.3.3.3", "192.0.2.2", (46 << 2) | 0x02, 7))
            self.assertEqual((p[TCP].sport, p[TCP].dport), (40000, 8080))
        p = got[6]
        self.assertEqual((p[IP].dst, p[IP].ttl, p[ICMP].type), ("10.4.4.4", 63, 0))
        # payloads unchanged
        for p, s in zip(got, sent):
            self.assertEqual(bytes(p[Raw]), bytes(s[Raw]))

    def test_udp_without_checksum_keeps_none(self):
        self.add_ports("vm1", "vm2")
        self.add_flows("priority=10,in_port=vm1,udp,actions=mod_nw_src:10.1.1.1,"
                       "mod_tp_dst:53,output:vm2")
        got = Ether(self.traffic([udp4(csum=0)], {"vm2": 1})["vm2"][0])
        self.assertEqual((got[IP].src, got[UDP].dport, got[UDP].chksum), ("10.1.1.1", 53, 0))
        self.assertTrue(checksums_ok(bytes(got)))

    def test_ipv6_rewrites_keep_checksums(self):
        self.add_ports("vm1", "vm2")
        self.add_flows(
            "priority=10,in_port=vm1,tcp6,actions=set_field:fd00::1->ipv6_src,"
            "set_field:fd00::2->ipv6_dst,mod_tp_src:2000,dec_ttl,output:vm2",
            "priority=10,in_port=vm1,udp6,actions=set_field:fd00::3->ipv6_dst,"
            "mod_tp_dst:5353,output:vm2",
            "priority=10,in_port=vm1,icmp6,actions=set_field:fd00::4->ipv6_src,"
            "set_field:46->ip_dscp,output:vm2")
        sent = [tcp6(), udp6(), icmp6()]
        got = [Ether(f) for f in self.traffic(sent, {"vm2": 3})["vm2"]]
        for p in got:
            self.assertTrue(checksums_ok(bytes(p)), p.show2(dump=True))
        self.assertEqual((got[0][IPv6].src, got[0][IPv6].dst, got[0][IPv6].hlim,
                          got[0][TCP].sport), ("fd00::1", "fd00::2", 63, 2000))
        self.assertEqual((got[1][IPv6].dst, got[1][UDP].dport), ("fd00::3", 5353))
        self.assertEqual((got[2][IPv6].src, got[2][IPv6].tc), ("fd00::4", 46 << 2))

    def test_dec_ttl_at_one_drops_with_a_reason(self):
        self.add_ports("vm1", "vm2")
        self.add_flows("priority=10,in_port=vm1,ip,actions=dec_ttl,output:vm2",
                       "priority=10,in_port=vm1,ipv6,actions=dec_ttl,output:vm2")
        got = self.traffic([udp4(ttl=1), udp4(ttl=0), udp4(ttl=2, n=1), tcp6(hlim=1),
                            tcp6(hlim=5)], {"vm2": 2})
        self.assertEqual(Ether(got["vm2"][0])[IP].ttl, 1)
        self.assertTrue(checksums_ok(got["vm2"][0]))
        self.assertEqual(Ether(got["vm2"][1])[IPv6].hlim, 4)
        self.assertEqual(self.drops(), {"ttl_exceeded": 3})

    def test_output_before_a_rewrite_sends_the_original(self):
        self.add_ports("vm1", "vm2", "vm3")
        self.add_flows(
            "priority=10,in_port=vm1,udp,actions=output:vm2,mod_nw_dst:10.9.9.9,"
            "mod_tp_dst:99,output:vm3,mod_dl_dst:%s,push_vlan:0x8100,mod_vlan_vid:5,"
            "output:vm2" % MAC3)
        sent = [udp4(n=i) for i in range(5)]
        got = self.traffic(sent, {"vm2": 10, "vm3": 5})
        for i, s in enumerate(sent):
            original, last = got["vm2"][2 * i], Ether(got["vm2"][2 * i + 1])
            middle = Ether(got["vm3"][i])
            self.assertEqual(original, bytes(s))
            self.assertEqual((middle.dst, middle[IP].dst, middle[UDP].dport),
                             (MAC2, "10.9.9.9", 99))
            self.assertNotIn(Dot1Q, middle)
            self.assertEqual((last.dst, last[Dot1Q].vlan, last[IP].dst, last[UDP].dport),
                             (MAC3, 5, "10.9.9.9", 99))
            self.assertTrue(checksums_ok(bytes(middle)))
            self.assertTrue(checksums_ok(bytes(last)))

    def test_in_port_flood_normal_and_drop(self):
        self.add_ports("vm1", "vm2", "vm3")
        self.add_flows(
            "priority=10,in_port=vm1,dl_dst=%s,actions=mod_dl_src:%s,in_port" % (MAC_A, NEW_SRC),
            "priority=10,in_port=vm1,dl_dst=%s,actions=flood" % MAC_B,
            "priority=10,in_port=vm1,dl_dst=%s,actions=normal" % MAC_C,
            "priority=10,in_port=vm1,dl_dst=%s,actions=output:vm1" % MAC_D,
            "priority=10,in_port=vm1,dl_dst=%s,actions=note:01.02" % MAC_E)
        got = self.traffic([udp4(dst=MAC_A), udp4(dst=MAC_B), udp4(dst=MAC_C), udp4(dst=MAC_D),
                            udp4(dst=MAC_E)], {"vm2": 1, "vm3": 1}, back=1)
        back = Ether(got["vm1"][0])
        self.assertEqual((back.src, back.dst), (NEW_SRC, MAC_A))
        self.assertEqual(Ether(got["vm2"][0]).dst, MAC_B)
        self.assertEqual(Ether(got["vm3"][0]).dst, MAC_B)
        self.assertEqual(self.drops(), {"no_domain": 1, "loop": 1, "action_drop": 1})


class Malformed(PipelineCase):

    def test_truncated_frames_through_rewrites(self):
        """Headers cut short pass rewrite actions untouched; nothing crashes."""
        self.add_ports("vm1", "vm2")
        self.add_flows(
            "priority=30,in_port=vm1,tcp,actions=mod_tp_dst:1,mod_nw_src:1.2.3.4,"
            "set_field:9->nw_ttl,output:vm2",
            "priority=30,in_port=vm1,udp,actions=mod_tp_src:2,mod_nw_dst:5.6.7.8,output:vm2",
            "priority=20,in_port=vm1,ip,actions=mod_nw_dst:5.6.7.8,mod_nw_tos:8,output:vm2",
            "priority=20,in_port=vm1,ipv6,actions=set_field:fd00::1->ipv6_src,"
            "set_field:9->nw_ttl,output:vm2",
            "priority=20,in_port=vm1,arp,actions=set_field:1.1.1.1->arp_spa,"
            "set_field:2->arp_op,output:vm2",
            "priority=10,in_port=vm1,actions=mod_dl_src:%s,output:vm2" % NEW_SRC)
        full = [bytes(tcp4()), bytes(udp4()), bytes(tcp6()), bytes(udp6()),
                bytes(Ether(src=MAC1, dst=MAC2) / ARP(psrc="10.0.0.1", pdst="10.0.0.2")),
                bytes(udp4(vlan=(5, 0)))]
        bad = []
        for f in full:
            for cut in range(15, len(f), 3):
                bad.append(f[:cut])
        ihl = bytearray(bytes(udp4()))
        ihl[14] = 0x44  # IHL 4: shorter than an IPv4 header
        short_len = bytearray(bytes(tcp4()))
        short_len[16:18] = b"\x00\x10"  # total length shorter than the header
        bad += [bytes(ihl), bytes(short_len), bytes(Ether(src=MAC1, dst=MAC2, type=0x0800)),
                bytes.fromhex("020000000002020000000001")]
        good = [tcp4(n=7), udp4(n=8)]
        sent = [Raw(b) for b in bad] + good
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        tx = self.peer("vm1", send=sent)
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: self.sw.port("vm1")["rx_packets"] == len(sent), 15, "all frames in")
        wait_for(lambda: len(rx.frames()) >= 2 and Ether(rx.frames()[-1]).haslayer(UDP)
                 and Ether(rx.frames()[-1])[UDP].sport == 2, 15, "the good frames at vm2")
        self.assertTrue(self.sw.dp.alive(), "vsw-dataplane died")
        frames = rx.frames()
        # the good frames came last, rewritten with valid checksums
        t, u = Ether(frames[-2]), Ether(frames[-1])
        self.assertEqual((t[IP].src, t[TCP].dport, t[IP].ttl), ("1.2.3.4", 1, 9))
        self.assertEqual((u[IP].dst, u[UDP].sport), ("5.6.7.8", 2))
        self.assertTrue(checksums_ok(frames[-2]) and checksums_ok(frames[-1]))
        # every truncated frame that went through left as it came, or with only
        # its source MAC rewritten (the catch-all rule)
        for f in frames[:-2]:
            self.assertIn(f[:6] + (f[6:12] if f[6:12] != bytes.fromhex("02aa00000001")
                                   else bytes.fromhex("020000000001")) + f[12:], bad)
        p = self.sw.port("vm1")
        self.assertEqual(p["rx_packets"], len(sent))
        self.assertEqual(len(frames) + sum(p["drops"].values()), len(sent))


class DataplaneProtocol(VswTestCase):
    """flow-batch, table-list and table-mod on the dataplane's own socket.

    These talk to vsw-dataplane directly (no vsw-control), as vsw-control does."""

    start_switch = False

    def setUp(self):
        super().setUp()
        self.sw.start_dataplane()

    def call(self, **req):
        return dp_call(self.sw, req)

    def flows(self):
        return sorted(f["flow"] for f in self.call(cmd="flow-list")["flows"])

    def test_flow_batch_is_all_or_nothing(self):
        r = self.call(cmd="flow-batch", ops=[
            {"op": "add", "flow": "table=0,priority=5,in_port=1,actions=output:2"},
            {"op": "add", "flow": "table=1,priority=5,in_port=2,actions=output:1"},
            {"op": "add", "flow": "table=2,priority=5,in_port=3,actions=output:1"}])
        self.assertEqual(r, {"ok": True, "deleted": 0})
        before = self.flows()
        self.assertEqual(len(before), 3)
        r = self.call(cmd="flow-batch", ops=[
            {"op": "del", "flow": "table=1", "strict": False},
            {"op": "add", "flow": "table=3,priority=5,actions=output:2"},
            {"op": "add", "flow": "table=0,priority=5,in_port=1,actions=bogus"}])
        self.assertFalse(r["ok"])
        self.assertTrue(r["error"].startswith("flow-batch: op 2: "), r["error"])
        self.assertEqual(self.flows(), before)
        r = self.call(cmd="flow-batch", ops=[{"op": "frobnicate"}])
        self.assertEqual(r["error"], "flow-batch: op 0: unknown op 'frobnicate' (add, del or mod)")
        r = self.call(cmd="flow-batch", ops=[
            {"op": "del", "flow": "table=1", "strict": False},
            {"op": "del", "flow": "table=2,priority=5,in_port=3", "strict": True},
            {"op": "add", "flow": "table=3,priority=5,actions=output:2"}])
        self.assertEqual(r, {"ok": True, "deleted": 2})
        self.assertEqual(len(self.flows()), 2)
        self.assertFalse(self.call(cmd="flow-batch", ops="x")["ok"])
        self.assertEqual(self.call(cmd="flow-batch", ops=[]), {"ok": True, "deleted": 0})

    def test_table_list_and_table_mod(self):
        self.call(cmd="flow-add", flow="table=4,priority=5,in_port=1,actions=output:2")
        self.assertEqual(self.call(cmd="table-mod", table=7, miss="continue"), {"ok": True})
        tables = self.call(cmd="table-list")["tables"]
        self.assertEqual(tables, [
            {"table": 4, "active": 1, "lookups": 0, "matches": 0, "miss": "drop"},
            {"table": 7, "active": 0, "lookups": 0, "matches": 0, "miss": "continue"}])
        self.assertEqual(self.call(cmd="table-mod", table=7, miss="drop"), {"ok": True})
        self.assertEqual(len(self.call(cmd="table-list")["tables"]), 1)
        for bad in ({"table": 255, "miss": "drop"}, {"table": -1, "miss": "drop"},
                    {"table": "0", "miss": "drop"}, {"table": 0, "miss": "controller"},
                    {"table": 0}):
            r = self.call(cmd="table-mod", **bad)
            self.assertFalse(r["ok"], bad)
            self.assertTrue(r["error"].startswith("table-mod: "), r["error"])


if __name__ == "__main__":
    main()
