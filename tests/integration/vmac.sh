# tests/integration/vmac.sh: helpers for the virtual-MAC tests; source it
# after lib.sh.
#
#   vmac_of VHID                 00:00:5e:00:01:VHID
#   vmac_ignore_garp NODE VIP    NODE drops gratuitous ARP for VIP (as many
#                                PLCs and HMIs do), counting the drops
#   vmac_ignore_na NODE          NODE drops unsolicited NAs (to ff02::1)
#   vmac_drops NODE              packets those rules dropped so far
#   port_capture_start NODE TAG [FILTER]
#                                capture what NODE sends into the switch
#                                (its switch port, direction in)
#   port_capture_stop TAG        stop it
#   port_frames TAG [FILTER]     frames in it matching FILTER
#   fdb_ports MAC                the switch ports (node names) that have
#                                learned MAC, space-separated
#   neigh_mac NODE ADDR          NODE's neighbour entry for ADDR (MAC)

vmac_of() { printf '00:00:5e:00:01:%02x' "$1"; }

vmac_ignore_garp() {
	lab_exec "$1" nft -f - <<NFT || fail "nft on $1"
table arp vmactest {
	chain in {
		type filter hook input priority 0;
		arp saddr ip $2 arp daddr ip $2 counter drop
	}
}
NFT
}

vmac_ignore_na() {
	lab_exec "$1" nft -f - <<NFT || fail "nft on $1"
table ip6 vmactest6 {
	chain in {
		type filter hook input priority 0;
		ip6 daddr ff02::1 icmpv6 type nd-neighbor-advert counter drop
	}
}
NFT
}

vmac_drops() {
	lab_exec "$1" nft list ruleset 2>/dev/null |
	    sed -nE 's/.*counter packets ([0-9]+) .*drop.*/\1/p' |
	    awk '{ s += $1 } END { print s + 0 }'
}

declare -A PORTCAP_PID=()
port_capture_start() {
	local n=$1 tag=$2 filter=${3:-}
	local f=$LAB_DIR/port-$tag.pcap
	ip netns exec "$LAB_SW" tcpdump -i "${LAB_SWPORT[$n]}" -Q in -U \
	    --immediate-mode -n -e -s 128 -w "$f" $filter \
	    >"$LAB_DIR/port-$tag.log" 2>&1 </dev/null &
	PORTCAP_PID[$tag]=$!
	wait_for 5 grep -q 'listening on' "$LAB_DIR/port-$tag.log" ||
	    fail "tcpdump on ${LAB_SWPORT[$n]}: $(cat "$LAB_DIR/port-$tag.log")"
}

port_capture_stop() {
	local p=${PORTCAP_PID[$1]}
	[ -n "$p" ] || return 0
	kill -INT "$p" 2>/dev/null
	_lab_wait_gone 5 "$p" || kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	PORTCAP_PID[$1]=
}

# node_capture N TAG [FILTER]: capture on node N's eth0 (both ways; it
# may be without carrier, unlike a pulled cable's switch port), read and
# stopped like port_capture_start's.
node_capture() {
	local n=$1 tag=$2 filter=${3:-}
	local f=$LAB_DIR/port-$tag.pcap
	lab_exec "$n" tcpdump -i eth0 -U --immediate-mode -n -e -s 128 \
	    -w "$f" $filter >"$LAB_DIR/port-$tag.log" 2>&1 </dev/null &
	PORTCAP_PID[$tag]=$!
	wait_for 5 grep -q 'listening on' "$LAB_DIR/port-$tag.log" ||
	    fail "tcpdump on $n's eth0: $(cat "$LAB_DIR/port-$tag.log")"
}

# unanswered TAG SRC: in a node_capture, the echo
# requests that reached the node after its first advert from source SRC
# and got no echo reply (the last 100 ms of the capture left out): prints
# "UNANSWERED TOTAL SEQ...".  Once
# that advert has moved the switch's entry for the vMAC to this port,
# every request for the VIP arrives here: the node must have the address.
unanswered() {
	tcpdump -tt -n -r "$LAB_DIR/port-$1.pcap" 2>/dev/null |
	    awk -v src="$2" '
	    { t = $1 }
	    !adv && / > (224\.0\.0\.18|ff02::12)[.:]/ && $3 == src { adv = t }
	    adv && /echo request/ { for (i = 1; i < NF; i++)
		    if ($i == "seq") { rq[$(i + 1) + 0] = t } }
	    adv && /echo reply/ { for (i = 1; i < NF; i++)
		    if ($i == "seq") { rp[$(i + 1) + 0] = 1 } }
	    END { n = 0; m = 0
		    for (s in rq) if (rq[s] < t - 0.1) {
			    m++
			    if (!(s in rp)) { n++; l = l " " s } }
		    printf "%d %d%s\n", n, m, l }'
}

port_frames() {
	tcpdump -n -r "$LAB_DIR/port-$1.pcap" ${2:+$2} 2>/dev/null | wc -l
}

fdb_ports() {
	local mac=$1 n out=
	for n in "${!LAB_SWPORT[@]}"; do
		ip -n "$LAB_SW" -br link show "${LAB_SWPORT[$n]}" >/dev/null 2>&1 ||
		    continue
		bridge -n "$LAB_SW" fdb show br br0 brport "${LAB_SWPORT[$n]}" \
		    2>/dev/null | grep -qi "^$mac " && out="$out $n"
	done
	echo "${out# }"
}

neigh_mac() {
	lab_exec "$1" ip neigh show "$2" 2>/dev/null |
	    sed -nE 's/.* lladdr ([0-9a-f:]+).*/\1/p'
}
