#!/usr/bin/env python3
"""An 802.1Q host for kernels without 802.1Q support: answers ARP and ICMP
echo for ADDR on VLAN VID of IFACE, with tagged frames, and ignores every
untagged frame and every other VLAN (as a kernel `IFACE.VID` device would).

usage: vlan_responder.py IFACE VID ADDR
It prints "ready" once it listens, and runs until killed.
"""

import sys

from scapy.all import ARP, AsyncSniffer, Dot1Q, Ether, ICMP, IP, get_if_hwaddr, sendp


def main():
    iface, vid, addr = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    mac = get_if_hwaddr(iface)

    def answer(f):
        if not f.haslayer(Dot1Q) or f[Dot1Q].vlan != vid or f.src == mac:
            return
        if f.haslayer(ARP) and f[ARP].op == 1 and f[ARP].pdst == addr:
            r = Ether(src=mac, dst=f.src) / Dot1Q(vlan=vid) / \
                ARP(op=2, hwsrc=mac, psrc=addr, hwdst=f[ARP].hwsrc, pdst=f[ARP].psrc)
        elif f.haslayer(ICMP) and f[ICMP].type == 8 and f[IP].dst == addr:
            r = Ether(src=mac, dst=f.src) / Dot1Q(vlan=vid) / \
                IP(src=addr, dst=f[IP].src) / \
                ICMP(type=0, id=f[ICMP].id, seq=f[ICMP].seq) / f[ICMP].payload
        else:
            return
        sendp(r, iface=iface, verbose=False)

    sniffer = AsyncSniffer(iface=iface, prn=answer, store=False,
                           started_callback=lambda: print("ready", flush=True))
    sniffer.start()
    sniffer.join()


if __name__ == "__main__":
    main()
