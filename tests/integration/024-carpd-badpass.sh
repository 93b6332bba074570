#!/bin/bash
# 024-carpd-badpass: a node with the wrong password.
# A (pass test123) and B (pass wrong123) cannot authenticate each other's
# adverts: both end up MASTER, as on FreeBSD, and each logs why
# ("carp: incorrect hash for VHID 1@eth0 from <peer> (wrong password or
# address list)", net.inet.carp.log=1, the default).  Then the rate limit:
# with log-rate 1 on A, a third namespace x floods A with forged adverts
# (wrong HMAC, 100/s for 3 s, scapy): A logs at most one such line per
# second (no three lines within a second) and counts the rest in
# "carp: N bad-packet messages suppressed" lines covering every packet.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
lab_need "$PY"
"$PY" -c 'import scapy' 2>/dev/null || skip "no scapy for $PY"
VIP=192.0.2.111
NBURST=300 RATE=100

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node x 192.0.2.200/24
carpd_conf a <<CONF
log-rate 1
ifconfig_eth0_alias0="inet vhid 1 advskew 0 pass test123 alias $VIP/24"
CONF
carpd_conf b <<CONF
ifconfig_eth0_alias0="inet vhid 1 advskew 100 pass wrong123 alias $VIP/24"
CONF

carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 MASTER 6 || fail "B did not become MASTER (it cannot hear A)"
sleep 1.5
[ "$(carpd_state a 1)" = MASTER ] && [ "$(carpd_state b 1)" = MASTER ] ||
    fail "not both MASTER: A $(carpd_state a 1), B $(carpd_state b 1)"
lab_has_addr a "$VIP" && lab_has_addr b "$VIP" || fail "not both hold the VIP"
msg="carp: incorrect hash for VHID 1@eth0 from %s (wrong password or address list)"
grep -qF "$(printf "$msg" 192.0.2.51)" "$(carpd_log a)" || fail "A's log lacks the incorrect-hash line"
grep -qF "$(printf "$msg" 192.0.2.61)" "$(carpd_log b)" || fail "B's log lacks the incorrect-hash line"
echo "both MASTER; each log names the other:"
grep -m1 -F "incorrect hash" "$(carpd_log a)" | sed 's/^/  A: /'
grep -m1 -F "incorrect hash" "$(carpd_log b)" | sed 's/^/  B: /'

# The burst: CARP v2 adverts for vhid 1 with a random HMAC.
cat >"$LAB_DIR/forge.py" <<'PY'
import logging, os, struct, sys, time
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, Raw, conf, checksum, get_if_hwaddr
conf.verb = 0
mac = get_if_hwaddr("eth0")	# a zero source MAC would be dropped by the bridge
n, rate = int(sys.argv[1]), float(sys.argv[2])
s = conf.L2socket(iface="eth0")
t0 = time.monotonic()
for i in range(n):
    hdr = struct.pack("!BBBBBBH", 0x21, 1, 0, 7, 0, 1, 0) + struct.pack("!Q", i) + os.urandom(20)
    ck = checksum(hdr)
    hdr = hdr[:6] + struct.pack("!H", ck) + hdr[8:]
    s.send(Ether(src=mac, dst="01:00:5e:00:00:12") /
           IP(src="192.0.2.200", dst="224.0.0.18", ttl=255, proto=112) / Raw(hdr))
    d = t0 + (i + 1) / rate - time.monotonic()
    if d > 0:
        time.sleep(d)
print("sent", n)
PY
before=$(wc -l <"$(carpd_log a)")
t_start=$(lab_now)
lab_exec x "$PY" "$LAB_DIR/forge.py" $NBURST $RATE >"$LAB_DIR/forge.log" 2>&1 ||
    fail "forger: $(cat "$LAB_DIR/forge.log")"
grep -q "sent $NBURST" "$LAB_DIR/forge.log" || fail "forger did not send"
# The last window's summary is written with the next drop (B's adverts).
sleep 2.5
tail -n +$((before + 1)) "$(carpd_log a)" >"$LAB_DIR/burst.log"
# The window the lines can come from: scapy's start (seconds under load)
# and the wait after the burst count, at one line a second (log-rate 1).
win=$(( ($(lab_ms "$t_start" "$(lab_now)") + 999) / 1000 ))
nlines=$(grep -c "incorrect hash" "$LAB_DIR/burst.log")
nforged=$(grep -c "incorrect hash for VHID 1@eth0 from 192.0.2.200 " "$LAB_DIR/burst.log")
nsupp=$(sed -nE 's/.*carp: ([0-9]+) bad-packet messages suppressed.*/\1/p' \
    "$LAB_DIR/burst.log" | awk '{ s += $1 } END { print s + 0 }')
nsumm=$(grep -c "bad-packet messages suppressed" "$LAB_DIR/burst.log")
echo "burst of $NBURST forged adverts in $((NBURST / RATE)) s: $nlines incorrect-hash lines" \
    "($nforged for 192.0.2.200), $nsumm summaries, $nsupp suppressed"
[ "$nforged" -ge 1 ] || fail "no line for the forged adverts"
[ "$nlines" -le $((win + 2)) ] || fail "$nlines lines in ${win} s: not rate limited"
[ "$nsumm" -ge 1 ] || fail "no 'suppressed' summary"
[ $((nsupp + nlines)) -ge $NBURST ] || fail "suppressed $nsupp + logged $nlines < $NBURST sent"
# log-rate 1: any three incorrect-hash lines span at least a second.
grep "incorrect hash" "$LAB_DIR/burst.log" | awk '{ split($1, t, ":");
	s = t[1] * 3600 + t[2] * 60 + t[3]; ts[NR] = s
	if (NR >= 3 && ts[NR] - ts[NR - 2] < 0.998) { print "3 lines in", ts[NR] - ts[NR - 2], "s"; bad = 1 } }
	END { exit bad }' || fail "more than one line per second"
pass
