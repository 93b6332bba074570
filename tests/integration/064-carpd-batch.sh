#!/bin/bash
# 064-carpd-batch: a master of many VHIDs advertises them together.
#   32 VHIDs, 198.18.3.1 ... 198.18.3.32, A advskew 0 (master of all),
#   B advskew 100 (backup of all), advbase 1.
# Once A holds every address, strace counts A's and B's system calls for 5 s:
# the 32 adverts of a second leave in one sendmmsg (none by sendmsg), the
# lease renewals in one netlink datagram a second, and both
# daemons wake a few times a second, not once per packet.  A capture on the
# bridge checks the adverts themselves: each second's 32 within 10 ms of
# each other, and every VHID's interval 1 s +-20 ms.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
lab_need strace tcpdump
N=32 SECS=5

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
for n in a b; do
	s=0; [ $n = b ] && s=100
	{
		echo "net.inet.carp.preempt=1"
		for i in $(seq 1 $N); do
			echo "ifconfig eth0 inet vhid $i advskew $s pass pw$i alias 198.18.3.$i/32"
		done
	} | carpd_conf $n
done
nvips() { lab_exec "$1" ip -4 -o addr show | grep -c ' 198\.18\.3\.'; }

carpd_start a
sleep 0.5
carpd_start b
wait_for 15 eval '[ "$(nvips a)" = $N ]' || fail "A holds $(nvips a) of $N"
sleep 2
[ "$(nvips b)" = 0 ] || fail "B holds $(nvips b) addresses as backup"

# count NODE: strace -c of its carpd for SECS seconds, into $LAB_DIR/st-NODE.
count() {
	timeout -s INT "$SECS" strace -f -c -p "${CARPD_PID[$1]}" \
	    -e trace=sendmsg,sendmmsg,sendto,epoll_wait \
	    -o "$LAB_DIR/st-$1" >/dev/null 2>&1
	[ -s "$LAB_DIR/st-$1" ] || fail "strace of $1 gave nothing"
}
# calls NODE SYSCALL: how many, from that summary (0 if absent).
calls() {
	awk -v s="$2" '$NF == s { n = $4 } END { print n + 0 }' "$LAB_DIR/st-$1"
}

lab_capture_start
count a & pa=$!
count b & pb=$!
wait $pa $pb
lab_capture_stop
cat "$LAB_DIR/st-a" "$LAB_DIR/st-b" >&2

a_sendmsg=$(calls a sendmsg) a_sendmmsg=$(calls a sendmmsg)
a_sendto=$(calls a sendto) a_epoll_wait=$(calls a epoll_wait)
b_epoll_wait=$(calls b epoll_wait)
echo "A in ${SECS}s: sendmmsg $a_sendmmsg sendmsg $a_sendmsg sendto $a_sendto epoll_wait $a_epoll_wait; B: epoll_wait $b_epoll_wait"
# One sendmmsg a second (strace's start and stop may cut one either way);
# sending each advert alone would be $N * $SECS sendmsg.
[ "$a_sendmmsg" -ge $((SECS - 2)) ] && [ "$a_sendmmsg" -le $((SECS + 2)) ] ||
    fail "A made $a_sendmmsg sendmmsg calls in ${SECS}s, want about $SECS"
[ "$a_sendmsg" -le 1 ] || fail "A sent $a_sendmsg adverts one by one"
# Renewals with every advert, all of a batch in one datagram, plus the
# address re-read every 10 s; one datagram per renewal would be $N * $SECS.
[ "$a_sendto" -le $((SECS + 3)) ] || fail "A made $a_sendto netlink sends"
# Wake-ups: a few a second, not one per advert ($N a second).
[ "$a_epoll_wait" -le $((4 * SECS)) ] || fail "A woke $a_epoll_wait times"
[ "$b_epoll_wait" -le $((8 * SECS)) ] || fail "B woke $b_epoll_wait times"

# The adverts on the wire: A's, per VHID.
lab_adverts "$LAB_CAP_FILE" --src 192.0.2.61 >"$LAB_DIR/adverts.txt"
[ "$(wc -l <"$LAB_DIR/adverts.txt")" -ge $((N * (SECS - 1))) ] ||
    fail "only $(wc -l <"$LAB_DIR/adverts.txt") adverts of A captured"
awk -v n=$N '
$2 != "carp" { next }
{
	t = $1; v = $4
	if (v in last) {
		gap = t - last[v]
		if (gap < 0.980 || gap > 1.020) {
			printf "vhid %s: interval %.4f s\n", v, gap; bad++
		}
	}
	last[v] = t
	# Bursts: adverts less than 0.5 s apart belong to one second.
	if (nb == 0 || t - bstart[nb] > 0.5) { nb++; bstart[nb] = t }
	bend[nb] = t; bn[nb]++
}
END {
	for (i = 1; i <= nb; i++) {
		if (bend[i] - bstart[i] > 0.010) {
			printf "burst %d: %d adverts over %.4f s\n", i, bn[i],
			    bend[i] - bstart[i]; bad++
		}
	}
	printf "%d bursts checked\n", nb
	exit bad > 0
}' "$LAB_DIR/adverts.txt" >&2 || fail "adverts not together or off their interval"
pass
