#!/usr/bin/env python3
"""replace-flows of 100k rules under traffic: every frame goes where the old
rule set or the new one sends it, never elsewhere, never nowhere."""

import os
import signal
import time

from vswtest import MAC1, MAC2, VswTestCase, main

N_RULES = 100000
RATE = 2000


def rule_file(path, out_port, filler_net):
    with open(path, "w") as f:
        f.write("priority=100,in_port=vm1,dl_dst=%s,actions=output:%s\n" % (MAC2, out_port))
        for i in range(N_RULES - 1):
            f.write("priority=10,ip,nw_dst=%d.%d.%d.%d,actions=drop\n"
                    % (filler_net, (i >> 16) & 255, (i >> 8) & 255, i & 255))
    return path


class ReplaceUnderTraffic(VswTestCase):

    def test_replace_100k_rules_while_traffic_runs(self):
        for p in ("vm1", "vm2", "vm3"):
            self.sw.vswctl("add-port", p, "vhost-user")
        old = rule_file(os.path.join(self.dir, "old.flows"), "vm2", 10)
        new = rule_file(os.path.join(self.dir, "new.flows"), "vm3", 11)
        self.sw.vswctl("add-flows", old)
        self.assertEqual(self.sw.json("show")["n_flows"], N_RULES)
        rx2, rx3 = self.peer("vm2"), self.peer("vm3")
        self.sw.wait_up("vm2", "vm3")
        tx = self.peer("vm1", gen={"rate": RATE, "src-mac": MAC1, "dst-mac": MAC2}, seconds=8)
        self.sw.wait_up("vm1")
        time.sleep(2)
        self.sw.vswctl("replace-flows", new)  # 100k deleted, 100k added, one publication
        code, sent = tx.wait(60)
        self.assertEqual(code, 0)
        time.sleep(0.5)
        got = []
        for rx in (rx2, rx3):
            rx.stop(signal.SIGTERM)
            got.append(rx.wait()[1]["rx_packets"])
        self.assertGreater(got[0], 0, "nothing went by the old rule set")
        self.assertGreater(got[1], 0, "nothing went by the new rule set")
        self.assertEqual(sum(got), sent["tx_packets"], "frames lost or duplicated")
        self.assertEqual(sum(self.sw.port("vm1")["drops"].values()), 0)
        self.assertEqual(self.sw.json("show")["n_flows"], N_RULES)
        hit = [f for f in self.sw.flows() if f["priority"] == 100][0]
        self.assertEqual(hit["actions"], "output:vm3")


if __name__ == "__main__":
    main()
