#!/bin/bash
# 060-privileges: after setup carpd keeps only CAP_NET_RAW and CAP_NET_ADMIN
# (effective, permitted and bounding sets), sets no_new_privs, and runs as
# the configured user; it still fails over (netlink address changes, raw
# sends), and its notify script runs without any capability.
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
cat >"$LAB_DIR/notify" <<EOF2
#!/bin/sh
grep -E '^(Uid|CapEff|CapPrm|CapBnd|NoNewPrivs):' /proc/self/status \
    >"$LAB_DIR/out/notify-\$\$.status"
EOF2
chmod 755 "$LAB_DIR/notify"
carpd_conf a <<CONF
net.inet.carp.preempt=1
user nobody
notify-script $LAB_DIR/notify
ifconfig eth0 inet vhid 1 advskew 0 pass test123 alias $VIP/24
CONF
carpd_conf b <<CONF
net.inet.carp.preempt=1
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

# The notify script ran, as nobody, with no capability at all.
wait_for 3 eval 'ls "$LAB_DIR"/out/notify-*.status >/dev/null 2>&1' ||
    fail "the notify script did not run"
f=$(ls "$LAB_DIR"/out/notify-*.status | head -1)
grep -q "^CapEff:.*0000000000000000" "$f" || fail "script CapEff: $(cat "$f")"
grep -q "^CapPrm:.*0000000000000000" "$f" || fail "script CapPrm"
grep -qE "^Uid:[[:space:]]+$(id -u nobody)" "$f" || fail "script uid"
carpd_stop a
pass
