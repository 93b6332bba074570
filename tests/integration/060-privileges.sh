#!/bin/bash
# 060-privileges: after setup carpd keeps only CAP_NET_RAW and CAP_NET_ADMIN
# (effective, permitted and bounding sets), sets no_new_privs, and runs as
# the configured user; it still fails over (netlink address changes, raw
# sends), and its notify script runs without any capability, as the user
# and as uid 0 (b names no user) alike.  It is not dumpable.  Started as
# root with "user nobody", a reads its root-owned token at start; a reload,
# as nobody, cannot read it again: the last good token is kept (warned) and
# TCP actions still work with it.  Started without root, as nobody holding
# CAP_NET_RAW and CAP_NET_ADMIN in the ambient set (what systemd's User=
# and AmbientCapabilities= give), c keeps just those two, nothing ambient
# or inheritable, and becomes MASTER of its own VHID.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
KEEP=0000000000003000	# CAP_NET_ADMIN (12) | CAP_NET_RAW (13)

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.71/24
chmod 755 "$LAB_DIR"
( umask 077; echo TokPriv060secret >"$LAB_DIR/a.token" )
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
http-listen 192.0.2.61:10112
http-token-file $LAB_DIR/a.token
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

# Not dumpable: the /proc files of a (uid nobody) belong to root.
[ "$(stat -c %u "/proc/${CARPD_PID[a]}/status")" = 0 ] || fail "a is dumpable"

# The token: read as root at start; after a reload as nobody, kept.
grep -q "actions over TCP enabled" "$(carpd_log a)" ||
    fail "a did not enable TCP actions with its root-owned token"
kill -HUP "${CARPD_PID[a]}"
wait_for 5 grep -q "configuration reloaded" "$(carpd_log a)" || fail "reload"
grep -q "keeping the token read before" "$(carpd_log a)" ||
    fail "no warning that the unreadable token was kept"
grep -q "actions over TCP disabled" "$(carpd_log a)" &&
    fail "the reload switched TCP actions off"
code=$(lab_exec b curl -sS -o /dev/null -w '%{http_code}' --max-time 5 \
    -H "Authorization: Bearer TokPriv060secret" -X PUT \
    -H 'Content-Type: application/json' \
    --data '{"enabled": false, "reason": "060"}' \
    http://192.0.2.61:10112/v1/maintenance)
[ "$code" = 200 ] || fail "TCP action after the reload: HTTP $code"
echo "token: root-owned, read at start, kept across a reload as nobody"

# Without root: nobody with the two capabilities, ambient.
install -d -o nobody -m 0700 "$LAB_DIR/c"
# A script anyone may change: warned.
install -m 0777 "$LAB_DIR/notify-b" "$LAB_DIR/notify-c"
carpd_conf c <<CONF
control-socket $LAB_DIR/c/ctl.sock
notify-script $LAB_DIR/notify-c
ifconfig eth0 inet vhid 2 advskew 0 pass test123 alias 192.0.2.112/24
CONF
chmod 0640 "$LAB_DIR/carpd-c.conf"
chgrp "$(id -g nobody)" "$LAB_DIR/carpd-c.conf"
CARPD_WRAP="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups \
    --inh-caps=-all,+net_raw,+net_admin --ambient-caps=+net_raw,+net_admin" \
    carpd_start c
for c in CapEff CapPrm; do
	v=$(status c $c)
	[ "$v" = "$KEEP" ] || fail "c: $c $v, want $KEEP"
done
[ "$(status c CapInh)" = 0000000000000000 ] || fail "c: CapInh"
[ "$(status c CapAmb)" = 0000000000000000 ] || fail "c: CapAmb"
[ "$(status c Uid)" = "$(id -u nobody)" ] || fail "c does not run as nobody"
[ "$(status c NoNewPrivs)" = 1 ] || fail "c: no_new_privs not set"
carpd_wait c 2 MASTER 6 || fail "c (started as nobody) did not become MASTER"
grep -q "notify-script $LAB_DIR/notify-c is writable by others" "$(carpd_log c)" ||
    fail "c did not warn about its world-writable notify script"
grep -q "is readable by others" "$(carpd_log c)" &&
    fail "c warned about its 0640 config"
grep -q "carpd-a.conf is readable by others (mode 0644)" "$(carpd_log a)" ||
    fail "a did not warn about its 0644 config"
lab_has_addr c 192.0.2.112 || fail "c could not add its VIP"
echo "c, started as nobody with ambient caps: CapEff=CapPrm=$KEEP, none ambient, MASTER"
carpd_stop c
carpd_stop a
pass
