#!/usr/bin/python3
"""List CARP / VRRP adverts and gratuitous ARPs in a pcap.

Usage: pcap_adverts.py [--garp] [--vhid N] [--src IP] FILE.pcap

One line per packet, whitespace separated:

    TIME KIND SRC VHID ADVBASE SKEW

TIME    epoch seconds (capture time on the bridge)
KIND    carp | vrrp2 | vrrp3 | garp
SRC     IP source address (for garp: the announced IP)
VHID    CARP vhid / VRRP virtual router id (garp: "-")
ADVBASE CARP advbase (s; the advert interval is advbase + advskew/256),
        VRRPv2 advert_int (s), VRRPv3 max_adver_int/100 (s)
        (garp: the sender MAC)
SKEW    CARP advskew; for VRRP the priority (garp: "-")

CARP and VRRPv2 share IP protocol 112 and version nibble 2: a CARP header
is 36 bytes with authlen (byte 3) = 7, VRRPv2 is 8 + 4*count + 8 bytes.
Debian's scapy does the pcap reading and the IPv4/IPv6/ARP dissection.
"""
import argparse
import logging
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import ARP, IP, IPv6, PcapReader  # noqa: E402


def classify(payload):
    if len(payload) < 8:
        return None
    ver, typ = payload[0] >> 4, payload[0] & 0x0F
    if ver == 2 and typ == 1 and len(payload) >= 36 and payload[3] == 7:
        vhid, advskew, advbase = payload[1], payload[2], payload[5]
        return ("carp", vhid, float(advbase), advskew)
    if ver == 2 and typ == 1:
        return ("vrrp2", payload[1], float(payload[5]), payload[2])
    if ver == 3 and typ == 1:
        mai = ((payload[4] & 0x0F) << 8) | payload[5]
        return ("vrrp3", payload[1], mai / 100.0, payload[2])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--garp", action="store_true", help="also list GARPs")
    ap.add_argument("--vhid", type=int)
    ap.add_argument("--src")
    ap.add_argument("pcap")
    a = ap.parse_args()
    out = sys.stdout
    try:
        reader = PcapReader(a.pcap)
    except Exception as e:  # empty or truncated file
        print("pcap_adverts: %s: %s" % (a.pcap, e), file=sys.stderr)
        return 1
    for pkt in reader:
        t = float(pkt.time)
        if ARP in pkt:
            arp = pkt[ARP]
            if a.garp and arp.psrc == arp.pdst and arp.op in (1, 2):
                if a.src and arp.psrc != a.src:
                    continue
                out.write("%.6f garp %s - %s -\n" % (t, arp.psrc, arp.hwsrc))
            continue
        if IP in pkt and pkt[IP].proto == 112:
            src, payload = pkt[IP].src, bytes(pkt[IP].payload)
        elif IPv6 in pkt and pkt[IPv6].nh == 112:
            src, payload = pkt[IPv6].src, bytes(pkt[IPv6].payload)
        else:
            continue
        c = classify(payload)
        if c is None:
            continue
        kind, vhid, advbase, skew = c
        if a.vhid is not None and vhid != a.vhid:
            continue
        if a.src and src != a.src:
            continue
        out.write("%.6f %s %s %d %.6f %d\n" % (t, kind, src, vhid, advbase, skew))
    return 0


if __name__ == "__main__":
    sys.exit(main())
