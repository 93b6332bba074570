#!/bin/bash
# 070-deb: the Debian package, built, checked, installed on this machine,
# used and purged.
#   - "make deb" builds it; lintian reports no error and no warning that
#     debian/ does not explain (override with a comment);
#   - dpkg -i: the files where Debian wants them, /etc/carpd.conf a
#     conffile (root:carpd 0640, no VHID), the user carpd, the unit that
#     systemd-analyze verify accepts (its man pages included) and whose
#     exposure score stays below the 2.9 of the root unit it replaced;
#   - with no environment: snmptranslate resolves CARPD-MIB::carpdVhidState,
#     carpctl --version and carpd -n run (carpd -n also as the user carpd);
#   - in a namespace lab, the packaged carpd started as systemd would
#     (user carpd, ambient CAP_NET_RAW + CAP_NET_ADMIN, NOTIFY_SOCKET,
#     WATCHDOG_USEC, JOURNAL_STREAM): only the two capabilities, nothing
#     ambient or inheritable, not dumpable; READY=1, STATUS= and WATCHDOG=1
#     on the notify socket; "<N>" priority prefixes, no timestamp; MASTER;
#     a real snmpd with Debian's default configuration plus the packaged
#     snippet (one trap sink uncommented) answers a walk of carpd's table
#     and snmptrapd gets the carpdStateChange;
#   - dpkg --purge leaves nothing but the user carpd (Debian keeps system
#     users).
# Skipped if a carpd package is already installed (the test does not touch
# it), and in the sanitizer pass (the package is built without them).  On a
# host where systemd runs, a policy-rc.d keeps the postinst from starting
# the service for the length of the test.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
VIP=192.0.2.111
R=.1.3.6.1.4.1.8072.9999.9999.112
KEEP=0000000000003000	# CAP_NET_ADMIN (12) | CAP_NET_RAW (13)

[ -z "$SAN_LOG_DIR" ] || skip "the package has no sanitizers: plain pass only"
lab_need dpkg dpkg-buildpackage dh lintian snmpd snmptrapd snmpwalk \
    snmptranslate systemd-analyze setpriv make
if dpkg-query -W -f='${Status}' carpd 2>/dev/null | grep -q installed; then
	skip "a carpd package is installed here already; not touching it"
fi

lab_init
INSTALLED=
POLICY=
# shellcheck disable=SC2317 # called by the traps
deb_cleanup() {
	local rc=$?
	lab_cleanup
	if [ -n "$INSTALLED" ]; then
		INSTALLED=
		dpkg --purge carpd >/dev/null 2>&1
	fi
	if [ -n "$POLICY" ]; then
		POLICY=
		rm -f /usr/sbin/policy-rc.d
	fi
	return $rc
}
trap deb_cleanup EXIT
trap 'deb_cleanup; trap - EXIT; exit 130' INT
trap 'deb_cleanup; trap - EXIT; exit 143' TERM
chmod 755 "$LAB_DIR"
T=$LAB_DIR/pkg

# Build and lint.
make -C "$REPO" --no-print-directory deb DEB_OUT="$T" >"$LAB_DIR/build.log" 2>&1 ||
    { tail -n 30 "$LAB_DIR/build.log"; fail "make deb"; }
DEB=$(ls "$T"/carpd_*.deb 2>/dev/null | head -1)
[ -f "$DEB" ] || fail "make deb made no carpd_*.deb"
echo "built $(basename "$DEB")"
lintian --fail-on error,warning "$DEB" >"$LAB_DIR/lintian.log" 2>&1 ||
    { cat "$LAB_DIR/lintian.log"; fail "lintian"; }
grep -E '^[EW]: ' "$LAB_DIR/lintian.log" && fail "lintian errors or warnings"
echo "lintian: no error, no warning"

# Install.  Under a running systemd, the postinst would start carpd on
# this machine's real interfaces (idle, with no VHID, but still): a
# policy-rc.d, for the length of the test, keeps it from starting.
if [ -d /run/systemd/system ] && [ ! -e /usr/sbin/policy-rc.d ]; then
	POLICY=1
	printf '#!/bin/sh\n# 070-deb: no service starts while it runs\nexit 101\n' \
	    >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
fi
INSTALLED=1
DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >"$LAB_DIR/dpkg.log" 2>&1 ||
    { cat "$LAB_DIR/dpkg.log"; fail "dpkg -i"; }
dpkg -L carpd >"$LAB_DIR/files"
for f in /usr/sbin/carpd /usr/sbin/carpctl /usr/share/man/man8/carpd.8.gz \
    /usr/share/man/man8/carpctl.8.gz /usr/share/man/man5/carpd.conf.5.gz \
    /usr/share/snmp/mibs/CARPD-MIB.txt /lib/systemd/system/carpd.service \
    /etc/carpd.conf /etc/snmp/snmpd.conf.d/carpd.conf; do
	[ -f "$f" ] || fail "$f not installed"
	grep -qx "$f" "$LAB_DIR/files" || fail "$f is not the package's"
done
conffiles=$(dpkg-query -W -f='${Conffiles}\n' carpd)
for f in /etc/carpd.conf /etc/snmp/snmpd.conf.d/carpd.conf; do
	echo "$conffiles" | grep -q " $f " || fail "$f is not a conffile"
done
id carpd >/dev/null 2>&1 || fail "no user carpd"
[ "$(stat -c '%U:%G %a' /etc/carpd.conf)" = "root:carpd 640" ] ||
    fail "/etc/carpd.conf is $(stat -c '%U:%G %a' /etc/carpd.conf)"
grep -Eq '^[[:space:]]*(ifconfig|ifconfig_)' /etc/carpd.conf &&
    fail "/etc/carpd.conf names a VHID"
S=/etc/snmp/snmpd.conf.d/carpd.conf
grep -q '^master agentx$' $S || fail "$S: no master agentx"
grep -q '^agentXPerms .* carpd$' $S || fail "$S: no agentXPerms for carpd"
grep -q "^view systemonly included $R\$" $S || fail "$S: no view of CARPD-MIB"
grep -q '^#trap2sink ' $S && grep -q '^#informsink ' $S &&
    grep -q '^#createUser ' $S || fail "$S: no commented sinks and SNMPv3 user"
echo "installed: $(wc -l <"$LAB_DIR/files") paths, conffiles, user carpd"

# Without any environment.
out=$(env -i /usr/bin/snmptranslate -On CARPD-MIB::carpdVhidState 2>&1)
[ "$out" = "$R.1.2.1.3" ] || fail "snmptranslate: $out"
VERSION=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$REPO/Makefile")
out=$(env -i /usr/sbin/carpctl --version 2>&1)
[ "$out" = "carpctl $VERSION" ] || fail "carpctl --version: $out"
env -i /usr/sbin/carpd -n >/dev/null 2>"$LAB_DIR/n.err" ||
    { cat "$LAB_DIR/n.err"; fail "carpd -n"; }
env -i setpriv --reuid=carpd --regid=carpd --init-groups \
    /usr/sbin/carpd -n -q -f /etc/carpd.conf >"$LAB_DIR/n.out" 2>&1 ||
    { cat "$LAB_DIR/n.out"; fail "carpd -n as the user carpd"; }
[ -s "$LAB_DIR/n.out" ] && fail "carpd -n -q printed: $(cat "$LAB_DIR/n.out")"
# What ExecReload runs first: a broken file fails, naming file:line.
printf 'ifconfig eth0 inet vhid 300 pass x alias 192.0.2.1/24\n' >"$LAB_DIR/bad.conf"
/usr/sbin/carpd -n -q -f "$LAB_DIR/bad.conf" >"$LAB_DIR/bad.out" 2>&1 &&
    fail "carpd -n -q accepted a VHID of 300"
grep -q "bad.conf:1:" "$LAB_DIR/bad.out" || fail "no file:line: $(cat "$LAB_DIR/bad.out")"
echo "no environment: snmptranslate -> $R.1.2.1.3, $(env -i /usr/sbin/carpctl --version), carpd -n"

U=/lib/systemd/system/carpd.service
systemd-analyze verify "$U" >"$LAB_DIR/verify.log" 2>&1 ||
    { cat "$LAB_DIR/verify.log"; fail "systemd-analyze verify"; }
[ -s "$LAB_DIR/verify.log" ] && { cat "$LAB_DIR/verify.log"; fail "verify warned"; }
score=$(systemd-analyze security --offline=true --no-pager "$U" 2>/dev/null |
    sed -nE 's/.*Overall exposure level for [^:]*: ([0-9.]+).*/\1/p')
[ -n "$score" ] || fail "no systemd-analyze security score"
awk -v s="$score" 'BEGIN { exit !(s < 2.9) }' ||
    fail "exposure $score, not below 2.9"
for k in 'Type=notify' 'User=carpd' 'WatchdogSec=' 'LimitCORE=0' \
    'AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN' 'PrivateDevices=yes' \
    'ProtectProc=invisible' 'PrivateMounts=yes' \
    'ExecReload=/usr/sbin/carpd -n' 'After=.*snmpd.service'; do
	grep -q "^$k" "$U" || fail "$U: no $k"
done
grep -q '^ProtectKernelTunables=yes' "$U" &&
    fail "$U: ProtectKernelTunables would stop the interface sysctls"
echo "unit: verify clean, exposure $score"

# The lab: carpd as systemd starts it, snmpd as Debian configures it.
lab_switch
lab_node a 192.0.2.61/24
install -d -o carpd -g carpd -m 0750 "$LAB_DIR/run"
C=$LAB_DIR/carpd.conf
cat >"$C" <<CONF
net.inet.carp.preempt=1
ifconfig eth0 inet vhid 1 advskew 0 pass test123 alias $VIP/24
control-socket $LAB_DIR/run/carpd.sock
agentx-socket unix:$LAB_DIR/agentx/master
agentx-ping-interval 1
CONF
chown root:carpd "$C"
chmod 0640 "$C"

# snmptrapd, then snmpd: Debian 12's snmpd.conf (its lines, less the
# system ones) and the packaged snippet with its trap sink uncommented.
cat >"$LAB_DIR/snmptrapd.conf" <<EOF
disableAuthorization yes
doNotRetainNotificationLogs yes
format2 TRAP %b %#v\n
[snmp] persistentDir $LAB_DIR/persist-trapd
EOF
lab_bg a "$LAB_DIR/snmptrapd.out" snmptrapd -f -C -c "$LAB_DIR/snmptrapd.conf" \
    -Lf "$LAB_DIR/traps.log" -On -p "$LAB_DIR/snmptrapd.pid" udp:127.0.0.1:162
wait_for 5 grep -qs "NET-SNMP version" "$LAB_DIR/traps.log" ||
    fail "snmptrapd did not start"
cat >"$LAB_DIR/snmpd.conf" <<EOF
agentaddress  127.0.0.1,[::1]
view   systemonly  included   .1.3.6.1.2.1.1
view   systemonly  included   .1.3.6.1.2.1.25.1
rocommunity  public default -V systemonly
rocommunity6 public default -V systemonly
[snmp] persistentDir $LAB_DIR/persist-snmpd
EOF
sed 's/^#trap2sink .*/trap2sink 127.0.0.1 public/' $S >>"$LAB_DIR/snmpd.conf"
# -x: the AgentX socket in the lab, not /var/agentx of this machine.
lab_bg a "$LAB_DIR/snmpd.out" snmpd -f -C -c "$LAB_DIR/snmpd.conf" \
    -Lf "$LAB_DIR/snmpd.log" -p "$LAB_DIR/snmpd.pid" \
    -x "unix:$LAB_DIR/agentx/master"
wait_for 5 test -S "$LAB_DIR/agentx/master" ||
    { cat "$LAB_DIR/snmpd.log"; fail "snmpd did not start"; }
[ "$(stat -c '%G %a' "$LAB_DIR/agentx/master")" = "carpd 660" ] ||
    fail "AgentX socket: $(stat -c '%U:%G %a' "$LAB_DIR/agentx/master")"

# The service manager's notify socket.
NS=$LAB_DIR/notify.sock
lab_bg a "$LAB_DIR/notify.log" python3 -u -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
print("listening", flush=True)
while True:
    print(s.recv(4096).decode().replace("\n", " | "), flush=True)
' "$NS"
wait_for 5 grep -q listening "$LAB_DIR/notify.log" || fail "notify socket"

L=$LAB_DIR/carpd.log
: >"$L"
JS=$(stat -c '%d:%i' "$L")
lab_bg a "$L" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin NOTIFY_SOCKET="$NS" \
    WATCHDOG_USEC=1000000 JOURNAL_STREAM="$JS" \
    setpriv --reuid=carpd --regid=carpd --init-groups \
    --inh-caps=-all,+net_raw,+net_admin \
    --ambient-caps=+net_raw,+net_admin \
    --bounding-set=-all,+net_raw,+net_admin \
    /usr/sbin/carpd -d -f "$C"
PID=$LAB_LASTPID
wait_for 5 grep -q "started" "$L" || { cat "$L"; fail "carpd did not start"; }
st() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$PID/status"; }
[ "$(st Uid)" = "$(id -u carpd)" ] || fail "carpd runs as uid $(st Uid)"
for c in CapEff CapPrm; do
	[ "$(st $c)" = $KEEP ] || fail "$c $(st $c), want $KEEP"
done
[ "$(st CapInh)" = 0000000000000000 ] || fail "CapInh $(st CapInh)"
[ "$(st CapAmb)" = 0000000000000000 ] || fail "CapAmb $(st CapAmb)"
[ "$(st NoNewPrivs)" = 1 ] || fail "no_new_privs not set"
# Not dumpable: its /proc files belong to root, not to its uid.
[ "$(stat -c %u "/proc/$PID/status")" = 0 ] || fail "carpd is dumpable"
echo "carpd as carpd (uid $(st Uid)): CapEff=CapPrm=$KEEP, no ambient, not dumpable"

wait_for 8 grep -q ' -> MASTER ' "$L" || { cat "$L"; fail "no MASTER"; }
grep -q '^READY=1 | STATUS=0 MASTER, 1 BACKUP' "$LAB_DIR/notify.log" ||
    { cat "$LAB_DIR/notify.log"; fail "no READY=1 once out of INIT"; }
wait_for 3 grep -q '^STATUS=1 MASTER, 0 BACKUP' "$LAB_DIR/notify.log" ||
    { cat "$LAB_DIR/notify.log"; fail "no STATUS=1 MASTER, 0 BACKUP"; }
wait_for 3 grep -q 'WATCHDOG=1' "$LAB_DIR/notify.log" || fail "no WATCHDOG=1"
grep -Eq '^<5>carpd .* started$' "$L" || { cat "$L"; fail "no <5> start line"; }
grep -Eq '^<6>carp: 1@eth0: BACKUP -> MASTER ' "$L" || fail "no <6> transition"
grep -Evq '^<[0-7]>' "$L" && { cat "$L"; fail "a line without <N>"; }
echo "journal: <N> prefixes, no timestamps; notify: READY=1 out of INIT, STATUS=1 MASTER, 0 BACKUP, WATCHDOG=1"

# SNMP with the packaged MIBs only (no -M, no -m, no environment).
sq() { lab_exec a env -i PATH=/usr/bin:/bin "$@"; }
wait_for 10 eval 'sq snmpwalk -v2c -c public -t 1 -r 1 127.0.0.1 \
    CARPD-MIB::carpdVhidTable >"$LAB_DIR/walk.txt" 2>&1 &&
    grep -Eq "carpdVhidState\.[0-9]+\.1 = INTEGER: master\(3\)" "$LAB_DIR/walk.txt"' ||
    { cat "$LAB_DIR/walk.txt" "$LAB_DIR/snmpd.log"; fail "no walk of carpdVhidTable"; }
wait_for 5 eval 'grep -q "\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: $R\.0\.1," "$LAB_DIR/traps.log"' ||
    { cat "$LAB_DIR/traps.log"; fail "no carpdStateChange trap"; }
grep "OID: $R\.0\.1," "$LAB_DIR/traps.log" | grep -q "$R\.1\.2\.1\.3\.[0-9]*\.1 = INTEGER: 3" ||
    fail "no carpdStateChange to master"
echo "snmp: walk of carpdVhidTable ($(wc -l <"$LAB_DIR/walk.txt") lines), carpdStateChange to master"

kill "$PID"
_lab_wait_gone 5 "$PID" || fail "carpd did not exit"
grep -q 'STOPPING=1' "$LAB_DIR/notify.log" || fail "no STOPPING=1"

# Purge: nothing left but the user.
INSTALLED=
DEBIAN_FRONTEND=noninteractive dpkg --purge carpd >"$LAB_DIR/purge.log" 2>&1 ||
    { cat "$LAB_DIR/purge.log"; fail "dpkg --purge"; }
left=
while read -r f; do
	[ -d "$f" ] && continue
	[ -e "$f" ] && left="$left $f"
done <"$LAB_DIR/files"
for f in /etc/carpd.conf* /etc/snmp/snmpd.conf.d/carpd.conf* /var/lib/carpd \
    /run/carpd /etc/systemd/system/*/carpd.service \
    /var/lib/systemd/deb-systemd-helper-enabled/*carpd* \
    /var/lib/systemd/deb-systemd-helper-masked/*carpd*; do
	[ -e "$f" ] && left="$left $f"
done
dpkg-query -W carpd >/dev/null 2>&1 && left="$left (dpkg still knows carpd)"
[ -z "$left" ] || fail "left after purge:$left"
echo "purge: nothing left but the user carpd"
pass
