#!/bin/bash
# 063-forged: forged CARP traffic from a third host (scapy): wrong HMAC,
# wrong VHID, TTL below 255, short, long, bad checksum, version 3.  Each is
# counted under its reason, exactly, on both nodes; then a flood of 10,000
# bad packets a second for 5 s: all counted, logged at most at log-rate,
# CPU bounded, and no state change on either node.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
N=25		# packets of each kind
RATE=10000	# flood, packets a second
SECS=5
LOGRATE=5

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
log-rate $LOGRATE
ifconfig eth0 inet vhid 1 advskew $skew pass test123 alias $VIP/24
CONF
done
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "a did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "b is not BACKUP"

status() {	# NODE: /v1/status through the control socket
	curl -sS --max-time 5 --unix-socket "$LAB_DIR/ctl-$1.sock" \
	    http://localhost/v1/status
}
# drops NODE: "reason=count ..." for the node and "v:reason=count" for vhid 1
drops() {
	status "$1" | "$PY" -c '
import json, sys
s = json.load(sys.stdin)
out = ["%s=%d" % kv for kv in sorted(s["node"]["counters"]["dropped"].items())]
v = [x for x in s["vhids"] if x["vhid"] == 1][0]
out += ["v:%s=%d" % kv for kv in sorted(v["counters"]["dropped"].items())]
out.append("state=%s" % v["state"])
print(" ".join(out))'
}
get() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

forge() {	# KIND COUNT [RATE]: send from c
	lab_exec c "$PY" - "$@" <<'PY'
import hashlib, hmac, socket, struct, sys, time
kind, count = sys.argv[1], int(sys.argv[2])
rate = int(sys.argv[3]) if len(sys.argv) > 3 else 1000

def cksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum((b[i] << 8) + b[i + 1] for i in range(0, len(b), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def carp(vhid=1, pw=b"test123", addrs=(bytes([192, 0, 2, 111]),), ver=2,
         badsum=False, counter=1):
    msg = bytes([2, 1, vhid]) + b"".join(addrs) + struct.pack(">Q", counter)
    md = hmac.new(pw, msg, hashlib.sha1).digest()
    h = bytearray(bytes([ver << 4 | 1, vhid, 0, 7, 0, 1, 0, 0]) +
                  struct.pack(">Q", counter) + md)
    c = cksum(bytes(h)) ^ (1 if badsum else 0)
    h[6], h[7] = c >> 8, c & 0xff
    return bytes(h)

def ip4(payload, ttl=255):
    hdr = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0xe0,
        20 + len(payload), 0, 0x4000, ttl, 112, 0,
        bytes([192, 0, 2, 110]), bytes([224, 0, 0, 18])))
    c = cksum(bytes(hdr))
    hdr[10], hdr[11] = c >> 8, c & 0xff
    return bytes(hdr) + payload

p = {
    "badauth": lambda: ip4(carp(pw=b"wrong")),
    "badvhid": lambda: ip4(carp(vhid=9)),
    "badttl": lambda: ip4(carp(), ttl=254),
    "short": lambda: ip4(carp()[:20]),
    "long": lambda: ip4(carp() + b"\0" * 4),
    "badsum": lambda: ip4(carp(badsum=True)),
    "ver3": lambda: ip4(carp(ver=3)),
}[kind]()
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM)
dst = ("eth0", 0x0800, 0, 0, bytes.fromhex("01005e000012"))
t0 = time.monotonic()
for i in range(count):
    s.sendto(p, dst)
    if i % 100 == 99:
        lag = t0 + (i + 1) / rate - time.monotonic()
        if lag > 0:
            time.sleep(lag)
print("sent %d %s in %.2f s" % (count, kind, time.monotonic() - t0))
PY
}

cpu() { awk '{ print $14 + $15 }' "/proc/${CARPD_PID[$1]}/stat"; }

# 1. Each kind, counted under its reason on both nodes.
declare -A before tr0
for n in a b; do before[$n]=$(drops $n); done
for k in badauth badvhid badttl short long badsum ver3; do
	forge $k $N >/dev/null || fail "forging $k"
done
sleep 0.5
for n in a b; do
	after=$(drops $n)
	for r in bad_auth bad_vhid bad_ttl bad_length bad_checksum bad_version; do
		want=$N
		[ $r = bad_length ] && want=$((2 * N))
		d=$(( $(get "$after" $r) - $(get "${before[$n]}" $r) ))
		[ "$d" = "$want" ] || fail "$n: $r counted $d, want $want"
	done
	for r in bad_auth bad_ttl; do
		d=$(( $(get "$after" v:$r) - $(get "${before[$n]}" v:$r) ))
		[ "$d" = $N ] || fail "$n: vhid 1 $r counted $d, want $N"
	done
	d=$(( $(get "$after" bad_interface) - $(get "${before[$n]}" bad_interface) ))
	[ "$d" = 0 ] || fail "$n: bad_interface counted $d"
done
grep -q "incorrect hash for VHID 1@eth0 from 192.0.2.110" "$(carpd_log a)" ||
    fail "a's log does not say why (bad auth)"
echo "each forged kind counted under its reason, $N each, on both nodes"

# 2. The flood: 10,000 wrong-HMAC packets a second for 5 s.
for n in a b; do before[$n]=$(drops $n); done
lines0=$(grep -c "incorrect hash" "$(carpd_log a)")
ntr() {	# NODE: vhid 1's transitions so far, from carpctl
	echo $(( $(vhid_transitions "$1" 1 INIT) + $(vhid_transitions "$1" 1 BACKUP) +
	    $(vhid_transitions "$1" 1 MASTER) ))
}
for n in a b; do tr0[$n]=$(ntr $n); done
c0a=$(cpu a); c0b=$(cpu b); t0=$(date +%s.%N)
forge badauth $((RATE * SECS)) $RATE >"$LAB_DIR/flood.txt" || fail "flood"
t1=$(date +%s.%N); c1a=$(cpu a); c1b=$(cpu b)
sleep 0.5
cat "$LAB_DIR/flood.txt"
hz=$(getconf CLK_TCK)
for n in a b; do
	after=$(drops $n)
	d=$(( $(get "$after" bad_auth) - $(get "${before[$n]}" bad_auth) ))
	[ "$d" = $((RATE * SECS)) ] || fail "$n: flood counted $d of $((RATE * SECS))"
	[ "$(get "$after" state)" = "$([ $n = a ] && echo MASTER || echo BACKUP)" ] ||
	    fail "$n changed state under the flood"
done
lines=$(( $(grep -c "incorrect hash" "$(carpd_log a)") - lines0 ))
el=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
maxlines=$(awk -v e="$el" -v r=$LOGRATE 'BEGIN { printf "%d", (e + 2) * r }')
[ "$lines" -le "$maxlines" ] || fail "$lines bad-auth lines in ${el}s (log-rate $LOGRATE)"
grep -q "bad-packet messages suppressed" "$(carpd_log a)" ||
    fail "no 'suppressed' summary"
for n in a b; do
	[ "$(ntr $n)" = "${tr0[$n]}" ] || fail "$n changed state during the flood"
done
pa=$(awk -v c=$((c1a - c0a)) -v hz="$hz" -v e="$el" 'BEGIN { printf "%.0f", c / hz / e * 100 }')
pb=$(awk -v c=$((c1b - c0b)) -v hz="$hz" -v e="$el" 'BEGIN { printf "%.0f", c / hz / e * 100 }')
echo "flood: $((RATE * SECS)) packets in ${el}s, all counted on both nodes;" \
    "$lines log lines (log-rate $LOGRATE); CPU a ${pa}%, b ${pb}% of a core"
[ "$pa" -le 60 ] && [ "$pb" -le 60 ] || fail "CPU under the flood: a ${pa}%, b ${pb}%"
pass
