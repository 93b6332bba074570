#!/usr/bin/python3
"""VRRPv3 advert timing from a pcap: jitter per group, take-over per group.

Usage:
  vrrp_gaps.py list FILE.pcap
  vrrp_gaps.py jitter   --src IP --interval-ms MS [--until T] FILE.pcap
  vrrp_gaps.py takeover --old IP --new IP [--after T] FILE.pcap

jitter: the adverts sent by IP (IPv4, protocol 112, version 3) before
epoch T, grouped by VRID; every gap between two consecutive adverts of a
group is compared with the interval.  Prints one line of key=value:
  groups, adverts, gaps, p50/p99/p999/max of |gap - interval| (ms) over
  all gaps, worst_group_p99 (the largest per-group p99, ms), out_2ms (the
  gaps more than 2 ms off), groups_out_2ms (the groups with such a gap),
  short_group (the fewest adverts a group had: a group that stopped
  shows here).

list: one line per VRRPv3 advert, IPv4 and IPv6:
  TIME FAMILY SRC VRID PRIORITY INTERVAL_CS COUNT
(the other modes read IPv4 only).

takeover: per VRID, the first advert of NEW after the last advert of OLD
(both after epoch T): take-over = NEW's first - OLD's last, in ms.
Prints groups, taken (groups NEW advertised after OLD), min, p50, p99,
max (ms) and missing (groups NEW never took).

A small reader of its own (struct, not scapy): 25,500 adverts a second
for tens of seconds are too many for scapy's dissectors.
"""
import argparse
import ipaddress
import signal
import struct
import sys


def adverts(path, v6=False):
    """Yield (time, src, vrid, prio) for every IPv4 VRRPv3 advert, and with
    v6 (time, family, src, vrid, prio, interval, count) for IPv4 and IPv6."""
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            endian = "<"
        else:
            endian = ">"
            magic = struct.unpack(">I", hdr[:4])[0]
        div = 1e9 if magic == 0xA1B23C4D else 1e6
        linktype = struct.unpack(endian + "I", hdr[20:24])[0]
        rec = struct.Struct(endian + "IIII")
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            sec, frac, incl, _ = rec.unpack(h)
            data = f.read(incl)
            if len(data) < incl:	# a capture still being written
                return
            if linktype == 1:	# Ethernet
                off = 12
                et = int.from_bytes(data[off:off + 2], "big")
                if et == 0x8100:
                    off += 4
                    et = int.from_bytes(data[off:off + 2], "big")
                off += 2
            elif linktype == 113:	# Linux cooked
                et = int.from_bytes(data[14:16], "big")
                off = 16
            else:
                continue
            ip = data[off:]
            if v6 and et == 0x86DD and len(ip) >= 48 and ip[6] == 112:
                w = ip[40:]
                if w[0] == 0x31:
                    yield (sec + frac / div, 6,
                           str(ipaddress.ip_address(bytes(ip[8:24]))), w[1],
                           w[2], int.from_bytes(w[4:6], "big") & 0xFFF, w[3])
                continue
            if et != 0x0800 or len(data) < off + 28:
                continue
            if ip[9] != 112:
                continue
            ihl = (ip[0] & 15) * 4
            v = ip[ihl:]
            if len(v) < 8 or v[0] != 0x31:
                continue
            src = "%d.%d.%d.%d" % tuple(ip[12:16])
            if v6:
                yield (sec + frac / div, 4, src, v[1], v[2],
                       int.from_bytes(v[4:6], "big") & 0xFFF, v[3])
            else:
                yield sec + frac / div, src, v[1], v[2]


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    i = min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))
    return xs[i]


def jitter(a):
    iv = a.interval_ms / 1000.0
    per = {}
    for t, src, vrid, _ in adverts(a.file):
        if src != a.src or (a.until is not None and t > a.until):
            continue
        per.setdefault(vrid, []).append(t)
    devs, worst, out, gout = [], 0.0, 0, 0
    for vrid, ts in per.items():
        d = [abs((b - x) - iv) * 1000 for x, b in zip(ts, ts[1:])]
        devs += d
        if d:
            worst = max(worst, pct(d, 99))
        o = sum(1 for x in d if x > 2.0)
        out += o
        gout += 1 if o else 0
    print("groups=%d adverts=%d gaps=%d p50=%.3f p99=%.3f p999=%.3f max=%.3f "
          "worst_group_p99=%.3f out_2ms=%d groups_out_2ms=%d short_group=%d" % (
              len(per), sum(len(x) for x in per.values()), len(devs),
              pct(devs, 50), pct(devs, 99), pct(devs, 99.9),
              max(devs) if devs else float("nan"), worst, out, gout,
              min((len(x) for x in per.values()), default=0)))


def takeover(a):
    last, first = {}, {}
    for t, src, vrid, prio in adverts(a.file):
        if a.after is not None and t < a.after:
            if src == a.old:
                last[vrid] = t
            continue
        if src == a.old and prio != 0:
            last[vrid] = t
        elif src == a.new and vrid in last and vrid not in first and t > last[vrid]:
            first[vrid] = t
    lags = [(first[v] - last[v]) * 1000 for v in first]
    print("groups=%d taken=%d min=%.2f p50=%.2f p99=%.2f max=%.2f missing=%d" % (
        len(last), len(lags), min(lags, default=float("nan")), pct(lags, 50),
        pct(lags, 99), max(lags, default=float("nan")), len(last) - len(lags)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=("list", "jitter", "takeover"))
    p.add_argument("file")
    p.add_argument("--src")
    p.add_argument("--interval-ms", type=float, default=10.0)
    p.add_argument("--until", type=float)
    p.add_argument("--old")
    p.add_argument("--new")
    p.add_argument("--after", type=float)
    a = p.parse_args()
    if a.mode == "list":
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)	# a reader's early exit
        for x in adverts(a.file, v6=True):
            print("%.6f %d %s %d %d %d %d" % x)
    elif a.mode == "jitter":
        jitter(a)
    else:
        takeover(a)


if __name__ == "__main__":
    sys.exit(main())
