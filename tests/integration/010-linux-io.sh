#!/bin/sh
# 010-linux-io.sh: raw.c, netlink.c and arp.c against the real kernel.
#
# Two network namespaces (cio<pid>-a, cio<pid>-b) joined by a veth pair;
# nothing is created in the root namespace and no real interface is used.
# Addresses come from 192.0.2.0/24 and 2001:db8::/32 only.  The driver
# tests/integration/iotool.c is compiled into a temporary directory, with
# carp/ (raw.c checksums its prebuilt IPv4 headers with carp_cksum).
#
# Exit status: 0 pass, 1 fail, 77 skip (not root, no netns, no compiler).

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
A="cio$$-a"
B="cio$$-b"
T=
PIDS=
FAILS=0

skip() { echo "SKIP: $*"; exit 77; }
pass() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null 2>&1 || skip "needs iproute2"
command -v cc >/dev/null 2>&1 || skip "needs cc"
command -v tcpdump >/dev/null 2>&1 || skip "needs tcpdump"
[ -f /usr/include/libmnl/libmnl.h ] || skip "needs libmnl-dev"

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	[ -n "$T" ] && rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

T=$(mktemp -d) || exit 1
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$ROOT" -o "$T/iotool" \
    "$ROOT/tests/integration/iotool.c" "$ROOT/agent/raw.c" \
    "$ROOT/agent/netlink.c" "$ROOT/agent/arp.c" "$ROOT/agent/log.c" \
    "$ROOT/agent/xmalloc.c" "$ROOT"/carp/*.c -lmnl -lcrypto || { echo "FAIL: cannot build iotool"; exit 1; }
IOT="$T/iotool"

ip netns add "$A" 2>/dev/null || skip "cannot create network namespaces"
ip netns add "$B" || exit 1
ina() { ip netns exec "$A" "$@"; }
inb() { ip netns exec "$B" "$@"; }

# B skips DAD everywhere (its addresses are ready at once); A keeps DAD so
# that the no-DAD VIP check below means something.
inb sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n "$A" link add va type veth peer name vb netns "$B" || exit 1
ip -n "$A" link set lo up
ip -n "$B" link set lo up
ip -n "$A" addr add 192.0.2.1/24 dev va
ip -n "$A" addr add 2001:db8::1/64 dev va nodad
ip -n "$B" addr add 192.0.2.2/24 dev vb
ip -n "$B" addr add 2001:db8::2/64 dev vb nodad
ip -n "$A" link set va up
ip -n "$B" link set vb up

# wait_for SECONDS COMMAND...: poll until the command succeeds.
wait_for() {
	_n=$(($1 * 10))
	shift
	while [ $_n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}
has() { grep -q -- "$2" "$1"; }
ll_ready() {
	ip -n "$A" -6 addr show dev va scope link | grep -q 'inet6 fe80' &&
	    ! ip -n "$A" -6 addr show dev va scope link | grep -q tentative
}
wait_for 5 ll_ready || { echo "FAIL: va link-local never left DAD"; exit 1; }

IFB=$(inb cat /sys/class/net/vb/ifindex)
IFA=$(ina cat /sys/class/net/va/ifindex)
MACA=$(ina cat /sys/class/net/va/address)
LLA=$(ip -n "$A" -6 addr show dev va scope link | sed -n 's/.*inet6 \(fe80[^/]*\)\/.*/\1/p' | head -1)

# rx NAME FAMILY DST [SRC]: send from A, receive in B, check the line.
rx() {
	_name=$1 _fam=$2 _dst=$3 _src=${4:-}
	RX=
	: >"$T/rx"
	inb "$IOT" recv vb "$_fam" 5 >"$T/rx" 2>"$T/rx.err" &
	_p=$!
	PIDS="$PIDS $_p"
	wait_for 3 has "$T/rx" ready
	ina "$IOT" send va "$_dst" $_src >/dev/null ||
	    { fail "$_name: send"; wait "$_p"; return; }
	wait "$_p"
	RX=$(sed -n 's/^len=/len=/p' "$T/rx")
	[ -n "$RX" ] || { fail "$_name: nothing received"; return; }
	echo "     $_name: $RX"
}

# 1. Multicast and unicast adverts, IPv4 and IPv6.
rx "IPv4 multicast" inet 224.0.0.18
case "$RX" in
"len=36 src=192.0.2.1 dst=224.0.0.18 ttl=255 ifindex=$IFB byte0=0x21")
	pass "IPv4 to 224.0.0.18: 36 bytes, TTL 255, source, ifindex $IFB";;
*)	fail "IPv4 multicast: got '$RX'";;
esac
ip -n "$A" addr add 192.0.2.11/24 dev va
rx "IPv4 multicast, source given" inet 224.0.0.18 192.0.2.11
case "$RX" in
"len=36 src=192.0.2.11 dst=224.0.0.18 ttl=255 ifindex=$IFB"*)
	pass "IPv4 source forced through IP_PKTINFO";;
*)	fail "IPv4 forced source: got '$RX'";;
esac
rx "IPv4 unicast" inet 192.0.2.2
case "$RX" in
"len=36 src=192.0.2.1 dst=192.0.2.2 ttl=255 ifindex=$IFB"*)
	pass "IPv4 unicast: TTL 255";;
*)	fail "IPv4 unicast: got '$RX'";;
esac
rx "IPv6 multicast" inet6 ff02::12
case "$RX" in
"len=36 src=$LLA dst=ff02::12 ttl=255 ifindex=$IFB byte0=0x21")
	pass "IPv6 to ff02::12: 36 bytes, hop limit 255, link-local source, ifindex $IFB";;
*)	fail "IPv6 multicast: got '$RX' (expected source $LLA)";;
esac
rx "IPv6 multicast, source given" inet6 ff02::12 2001:db8::1
case "$RX" in
"len=36 src=2001:db8::1 dst=ff02::12 ttl=255 ifindex=$IFB"*)
	pass "IPv6 source forced through IPV6_PKTINFO";;
*)	fail "IPv6 forced source: got '$RX'";;
esac
rx "IPv6 unicast" inet6 2001:db8::2
case "$RX" in
"len=36 src=2001:db8::1 dst=2001:db8::2 ttl=255 ifindex=$IFB"*)
	pass "IPv6 unicast: hop limit 255";;
*)	fail "IPv6 unicast: got '$RX'";;
esac

# Multicast loop is off: a receiver on the sending host sees nothing.
: >"$T/rx"
ina "$IOT" recv va inet 2 >"$T/rx" 2>/dev/null &
_p=$!
PIDS="$PIDS $_p"
wait_for 3 has "$T/rx" ready
ina "$IOT" send va 224.0.0.18 >/dev/null
if wait "$_p"; then
	fail "multicast loop: the sender received its own advert"
else
	pass "multicast loop off: no copy of our own advert"
fi

# 2. DSCP on the wire, as FreeBSD marks it: TOS 0xe0 (dscp 56 << 2) and
# IPv6 traffic class 0xe0 as well.
dscp() {
	: >"$T/td.err"
	inb timeout 5 tcpdump -i vb -nn -v -c 1 -l "$1" >"$T/td" 2>"$T/td.err" &
	_p=$!
	PIDS="$PIDS $_p"
	wait_for 3 has "$T/td.err" listening
	sleep 0.3
	ina "$IOT" send va "$2" >/dev/null
	wait "$_p"
}
dscp "ip proto 112" 224.0.0.18
if has "$T/td" "tos 0xe0" && has "$T/td" "ttl 255"; then
	pass "IPv4 TOS 0xe0, TTL 255 (tcpdump)"
else
	fail "IPv4 TOS: $(cat "$T/td")"
fi
dscp "ip6 proto 112" ff02::12
if has "$T/td" "class 0xe0" && has "$T/td" "hlim 255"; then
	pass "IPv6 traffic class 0xe0, hop limit 255 (tcpdump)"
else
	fail "IPv6 traffic class: $(cat "$T/td")"
fi

# 3. Addresses with a lifetime, refreshed, then expiring by themselves.
lft() { ip -n "$A" addr show dev va | grep -A1 "inet6\{0,1\} $1/" | sed -n 's/.*valid_lft \([0-9a-z]*\) .*/\1/p'; }
gone() { ! ip -n "$A" addr show dev va | grep -q "inet6\{0,1\} $1/"; }

ina "$IOT" addradd va 192.0.2.50/24 3 || fail "nl_addr_add 192.0.2.50"
ina "$IOT" addradd va 2001:db8::50/64 3 || fail "nl_addr_add 2001:db8::50"
v4=$(lft 192.0.2.50) v6=$(lft 2001:db8::50)
case "$v4" in 3sec|2sec) pass "192.0.2.50 valid_lft $v4";;
*) fail "192.0.2.50 valid_lft '$v4'";; esac
case "$v6" in 3sec|2sec) pass "2001:db8::50 valid_lft $v6";;
*) fail "2001:db8::50 valid_lft '$v6'";; esac
if ip -n "$A" -6 addr show dev va | grep '2001:db8::50/' | grep -q tentative; then
	fail "2001:db8::50 is tentative"
else
	pass "2001:db8::50 added without DAD is not tentative"
fi
# A control: the same kernel puts an address added with DAD in tentative.
ip -n "$A" addr add 2001:db8::99/64 dev va
if ip -n "$A" -6 addr show dev va | grep '2001:db8::99/' | grep -q tentative; then
	pass "control: an address added with DAD is tentative"
else
	fail "control: 2001:db8::99 not tentative (DAD off in $A?)"
fi
ip -n "$A" addr del 2001:db8::99/64 dev va

# Refresh at t=2 (NLM_F_REPLACE): still there at t=4.
sleep 2
ina "$IOT" addradd va 192.0.2.50/24 3 || fail "refresh 192.0.2.50"
ina "$IOT" addradd va 2001:db8::50/64 3 || fail "refresh 2001:db8::50"
case "$(lft 192.0.2.50)" in 3sec|2sec) pass "refresh restarts the IPv4 lifetime";;
*) fail "IPv4 refresh: valid_lft '$(lft 192.0.2.50)'";; esac
case "$(lft 2001:db8::50)" in 3sec|2sec) pass "refresh restarts the IPv6 lifetime";;
*) fail "IPv6 refresh: valid_lft '$(lft 2001:db8::50)'";; esac
sleep 2
if gone 192.0.2.50 || gone 2001:db8::50; then
	fail "refreshed address expired early"
else
	pass "refreshed addresses still present 4 s after the first add"
fi
t0=$(date +%s)
if wait_for 6 gone 192.0.2.50 && wait_for 2 gone 2001:db8::50; then
	pass "both addresses expired by themselves ($(( $(date +%s) - t0 + 2 )) s after the refresh)"
else
	fail "addresses did not expire: $(ip -n "$A" addr show dev va)"
fi

# 4. Delete is idempotent; source choice skips VIPs; purge is exact.
ina "$IOT" addrdel va 192.0.2.50/24 && pass "nl_addr_del of a missing address succeeds" ||
    fail "nl_addr_del of a missing address"
ina "$IOT" addradd va 192.0.2.61/24 30
ina "$IOT" addradd va 2001:db8::61/64 30
ip -n "$A" addr add 192.0.2.60/24 dev va
S4=$(ina "$IOT" choose va inet ll 192.0.2.61/24 192.0.2.1/24)
[ "$S4" = 192.0.2.11 ] && pass "IPv4 advert source skips the VIPs: $S4" ||
    fail "IPv4 source choice: '$S4'"
S6=$(ina "$IOT" choose va inet6 ll 2001:db8::61/64)
[ "$S6" = "$LLA" ] && pass "IPv6 advert source is the link-local address" ||
    fail "IPv6 source choice: '$S6'"
S6=$(ina "$IOT" choose va inet6 global 2001:db8::61/64)
[ "$S6" = "2001:db8::1" ] && pass "IPv6 source for a unicast peer is global" ||
    fail "IPv6 global choice: '$S6'"
S6=$(ina "$IOT" choose va inet6 global 2001:db8::1/64 2001:db8::61/64)
[ "$S6" = "$LLA" ] && pass "IPv6 falls back to link-local when all globals are VIPs" ||
    fail "IPv6 global fallback: '$S6'"
R=$(ina "$IOT" purge va 192.0.2.61/24 2001:db8::61/64 192.0.2.60/25 198.51.100.1/24)
if [ "$R" = "removed=2" ] && gone 192.0.2.61 && gone 2001:db8::61 &&
    ! gone 192.0.2.60 && ! gone 192.0.2.1 && ! gone 2001:db8::1; then
	pass "purge removed only the exact VIP matches"
else
	fail "purge: $R; $(ip -n "$A" addr show dev va)"
fi

# 5. Link state through the monitor: pull the peer's cable and plug it.
: >"$T/mon"
ina "$IOT" monitor va 8 >"$T/mon" 2>"$T/mon.err" &
MP=$!
PIDS="$PIDS $MP"
wait_for 3 has "$T/mon" "ready up=1" || fail "monitor start: $(cat "$T/mon" "$T/mon.err")"
ip -n "$B" link set vb down
wait_for 3 has "$T/mon" "ifindex=$IFA name=va up=0" &&
    pass "monitor: va up=0 when the peer goes down" ||
    fail "monitor: no up=0: $(cat "$T/mon")"
Q=$(ina "$IOT" link va)
[ "$Q" = "up=0" ] && pass "nl_link_query: up=0 without carrier" ||
    fail "nl_link_query: '$Q'"
ip -n "$B" link set vb up
wait_for 3 has "$T/mon" "ifindex=$IFA name=va up=1" &&
    pass "monitor: va up=1 when the peer comes back" ||
    fail "monitor: no up=1: $(cat "$T/mon")"
Q=$(ina "$IOT" link va)
[ "$Q" = "up=1" ] && pass "nl_link_query: up=1" || fail "nl_link_query: '$Q'"
ina "$IOT" addradd va 192.0.2.70/24 0
wait_for 3 has "$T/mon" "addr new ifindex=$IFA 192.0.2.70/24" &&
    pass "monitor: address added" || fail "monitor: no address event"
ina "$IOT" addrdel va 192.0.2.70/24
wait_for 3 has "$T/mon" "addr del ifindex=$IFA 192.0.2.70/24" &&
    pass "monitor: address deleted" || fail "monitor: no address delete event"
kill "$MP" 2>/dev/null
wait "$MP" 2>/dev/null
wait_for 3 ll_ready

# 6. Takeover announcements seen from B.
capture() {
	: >"$T/td.err"
	inb timeout 5 tcpdump -i vb -nn -e -v -c 1 -l "$1" >"$T/td" 2>"$T/td.err" &
	_p=$!
	PIDS="$PIDS $_p"
	wait_for 3 has "$T/td.err" listening
	sleep 0.3
	shift
	ina "$IOT" "$@" || fail "iotool $*"
	wait "$_p"
}
capture "arp[6:2] = 1 and arp[14:4] = arp[24:4]" garp va 192.0.2.1
if has "$T/td" "$MACA > ff:ff:ff:ff:ff:ff" &&
    has "$T/td" "Request who-has 192.0.2.1 tell 192.0.2.1"; then
	pass "gratuitous ARP: broadcast request, sender = target = VIP, MAC $MACA"
else
	fail "GARP: $(cat "$T/td" "$T/td.err")"
fi
capture "icmp6 and ip6[40] = 136" na va 2001:db8::1
if has "$T/td" "$LLA > ff02::1" && has "$T/td" "hlim 255" &&
    has "$T/td" "tgt is 2001:db8::1, Flags \[override\]" &&
    has "$T/td" "link-address option (2), length 8 (1): $MACA" &&
    has "$T/td" "sum ok"; then
	pass "unsolicited NA: ff02::1, hop limit 255, Override, target option $MACA"
else
	fail "NA: $(cat "$T/td" "$T/td.err")"
fi
ina sysctl -qw net.ipv6.conf.va.forwarding=1
capture "icmp6 and ip6[40] = 136" na va 2001:db8::1
if has "$T/td" "Flags \[router, override\]"; then
	pass "NA carries the Router flag when va forwards"
else
	fail "NA router flag: $(cat "$T/td")"
fi

if [ $FAILS -ne 0 ]; then
	echo "010-linux-io: $FAILS check(s) failed"
	exit 1
fi
echo "010-linux-io: all checks passed"
exit 0
