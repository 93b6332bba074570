#!/bin/bash
# 060-privileges: after setup carpd keeps only CAP_NET_RAW and CAP_NET_ADMIN
# (effective, permitted and bounding sets), sets no_new_privs, and runs as
# the configured user; it still fails over (netlink address changes, raw
# sends), and its notify script runs without any capability, as the user
# and as uid 0 (b names no user) alike.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
KEEP=0000000000003000	# CAP_NET_ADMIN (12) | CAP_NET_RAW (13)

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
chmod 755 "$LAB_DIR"
mkdir -m 1777 "$LAB_DIR/out"
for n in a b; do
	cat >"$LAB_DIR/notify-$n" <<EOF2
#!/bin/sh
grep -E '^(Uid|CapInh|CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status \
    >"$LAB_DIR/out/notify-$n-\$\$.status"
EOF2
	chmod 755 "$LAB_DIR/notify-$n"
done
carpd_conf a <<CONF
net.inet.carp.preempt=1
user nobody
notify-script $LAB_DIR/notify-a
ifconfig eth0 inet vhid 1 advskew 0 pass test123 alias $VIP/24
CONF
carpd_conf b <<CONF
net.inet.carp.preempt=1
notify-script $LAB_DIR/notify-b
ifconfig eth0 inet vhid 1 advskew 100 pass test123 alias $VIP/24
CONF
carpd_start a
carpd_start b

status() { grep "^$2:" "/proc/${CARPD_PID[$1]}/status" | awk '{ print $2 }'; }
wait_for 3 grep -q "privileges dropped" "$(carpd_log a)" ||
    fail "a did not log the privilege drop"
for n in a b; do
	for c in CapEff CapPrm CapBnd; do
		v=$(status $n $c)
		[ "$v" = "$KEEP" ] || fail "$n: $c $v, want $KEEP"
	done
	[ "$(status $n CapInh)" = 0000000000000000 ] || fail "$n: CapInh"
	[ "$(status $n NoNewPrivs)" = 1 ] || fail "$n: no_new_privs not set"
done
[ "$(status a Uid)" = "$(id -u nobody)" ] || fail "a does not run as nobody"
[ "$(status b Uid)" = 0 ] || fail "b (no user) should stay uid 0"
echo "capabilities: CapEff=CapPrm=CapBnd=$KEEP on both, a runs as nobody"

# Still a working CARP node: a takes over, adds the VIP, advertises.
carpd_wait a 1 MASTER 6 || fail "a (as nobody) did not become MASTER"
lab_has_addr a "$VIP" || fail "a could not add the VIP"
lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "b did not take over"
wait_for 2 eval '! lab_has_addr a "$VIP"' || fail "a could not remove the VIP"
lab_cable_plug a
carpd_wait a 1 MASTER 8 || fail "a did not preempt"

# The notify scripts ran, as nobody on a and as uid 0 on b, with no
# capability at all (b's bounding set keeps what carpd's has: carpd has no
# CAP_SETPCAP left to empty it, and no_new_privs keeps exec from using it).
for n in a b; do
	wait_for 3 eval 'ls "$LAB_DIR"/out/notify-$n-*.status >/dev/null 2>&1' ||
	    fail "the notify script of $n did not run"
	for f in "$LAB_DIR"/out/notify-$n-*.status; do
		for c in CapInh CapEff CapPrm CapAmb; do
			grep -q "^$c:.*0000000000000000" "$f" ||
			    fail "$n: script $c: $(cat "$f")"
		done
		grep -q "^NoNewPrivs:.*1" "$f" || fail "$n: script no_new_privs"
	done
	echo "$n's notify script: $(tr '\n' ' ' <"$f")"
done
grep -qE "^Uid:[[:space:]]+$(id -u nobody)" "$LAB_DIR"/out/notify-a-*.status ||
    fail "a's script uid"
grep -qE "^Uid:[[:space:]]+0[[:space:]]" "$LAB_DIR"/out/notify-b-*.status ||
    fail "b's script is not uid 0"
carpd_stop a
pass
