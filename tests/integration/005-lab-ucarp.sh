#!/bin/bash
# 005-lab-ucarp: prove the lab against a real CARP implementation (ucarp).
# Two nodes run ucarp (vhid 1, advbase 1, advskew 0 + preempt on A, advskew
# 100 on B), a client pings the VIP.  Checks: A wins the election; pulling
# A's cable moves the VIP to B; plugging it back returns it to A (preempt).
. "$(dirname "$0")/lib.sh"
lab_need ucarp
VIP=192.0.2.111

lab_init
lab_switch
lab_node a 192.0.2.1/24
lab_node b 192.0.2.2/24
lab_node c 192.0.2.10/24

cat >"$LAB_DIR/up" <<'EOF'
#!/bin/sh
# ucarp runs: up <interface> <vaddr>
ip addr add "$2"/24 dev "$1"
EOF
cat >"$LAB_DIR/down" <<'EOF'
#!/bin/sh
ip addr del "$2"/24 dev "$1" 2>/dev/null
exit 0
EOF
chmod +x "$LAB_DIR/up" "$LAB_DIR/down"

ucarp_start() {	# NODE SRCIP ADVSKEW [EXTRA...]
	local n=$1 src=$2 skew=$3; shift 3
	lab_bg "$n" "$LAB_DIR/ucarp-$n.log" ucarp -i eth0 -s "$src" -v 1 \
	    -p test123 -a "$VIP" -b 1 -k "$skew" -u "$LAB_DIR/up" \
	    -d "$LAB_DIR/down" -z -f none "$@"
}

lab_capture_start
ucarp_start a 192.0.2.1 0 -P
ucarp_start b 192.0.2.2 100
lab_ping_start c "$VIP"

# Election: both start as BACKUP; A's master-down (3 s) beats B's (3.39 s).
wait_for 10 lab_has_addr a "$VIP" || fail "A never took the VIP"
sleep 1.5
lab_has_addr b "$VIP" && fail "VIP on both A and B after the election"
lab_ping_flowing 3 ||
    fail "client gets no replies from the VIP on A"
echo "election: A is master"

# Cable pull: A loses carrier, B must take over within ~3.4 s + slack.
t_pull=$(lab_now)
lab_cable_pull a
wait_for 10 lab_has_addr b "$VIP" || fail "B did not take the VIP after the pull"
t_b=$(lab_now)
echo "pull: B took the VIP after $(lab_ms "$t_pull" "$t_b") ms"
lab_ping_flowing 5 ||
    fail "client gets no replies from the VIP on B"
# ucarp on A sees !IFF_RUNNING and drops to BACKUP (runs the downscript).
wait_for 5 eval '! lab_has_addr a "$VIP"' || fail "A kept the VIP without carrier"

# Plug back: A (advskew 0, preempt) must take the VIP back, B release it.
t_plug=$(lab_now)
lab_cable_plug a
wait_for 25 lab_has_addr a "$VIP" || fail "A did not take the VIP back"
wait_for 5 eval '! lab_has_addr b "$VIP"' || fail "B kept the VIP after preemption"
t_back=$(lab_now)
echo "plug: A master again after $(lab_ms "$t_plug" "$t_back") ms"
lab_ping_flowing 5 ||
    fail "client gets no replies from the VIP after preemption"

lab_ping_stop
lab_capture_stop
# The capture must show CARP adverts from both nodes, vhid 1, advbase 1.
lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt" || fail "pcap_adverts.py"
grep -q ' carp 192.0.2.1 1 1.000000 0$' "$LAB_DIR/adverts.txt" ||
    fail "no CARP advert from A in the capture"
grep -q ' carp 192.0.2.2 1 1.000000 100$' "$LAB_DIR/adverts.txt" ||
    fail "no CARP advert from B in the capture"
echo "capture: $(wc -l <"$LAB_DIR/adverts.txt") adverts," \
    "longest ping gap $(lab_ping_gap "$LAB_PING_LOG") ms"
pass "005-lab-ucarp"
