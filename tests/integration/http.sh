# tests/integration/http.sh: helpers for the HTTP tests; source after
# lib.sh and carpd.sh.
#
#   http_pair [EXTRA]   nodes a (192.0.2.61, advskew 0) and b (192.0.2.51,
#                       advskew 100) sharing vhid 1 (VIP 192.0.2.111), each
#                       with a control socket, http-listen on its address
#                       port 10112 and a 0600 token file; c is the client
#                       (192.0.2.110).  EXTRA lines go in both configs.
#                       The lab is made unless lab_init ran already.
#   http_sock NODE      the node's control socket
#   http_token NODE     the node's token file
#   hcurl NODE ARGS     curl run in the client namespace
#   sockcurl NODE ARGS  curl through the node's control socket
CARPCTL=${CARPCTL:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/carpctl}
HTTP_PORT=10112
VIP=192.0.2.111
declare -A HTTP_ADDR=([a]=192.0.2.61 [b]=192.0.2.51)

http_sock() { echo "$LAB_DIR/$1.sock"; }
http_token() { echo "$LAB_DIR/$1.token"; }

http_conf() {	# NODE SKEW EXTRA
	carpd_conf "$1" <<CONF
net.inet.carp.preempt=1
control-socket $(http_sock "$1")
http-listen ${HTTP_ADDR[$1]}:$HTTP_PORT
http-token-file $(http_token "$1")
state-file $LAB_DIR/$1.state
ifconfig_eth0_alias0="inet vhid 1 advskew $2 pass test123 alias $VIP/24"
$3
CONF
}

http_pair() {
	[ -n "$LAB_INITED" ] || lab_init
	lab_switch
	lab_node a 192.0.2.61/24
	lab_node b 192.0.2.51/24
	lab_node c 192.0.2.110/24
	local n
	for n in a b; do
		( umask 077; printf 'tok-%s-%05d%05d%05d\n' $n $RANDOM $RANDOM $RANDOM \
		    >"$(http_token $n)" )
	done
	http_conf a 0 "$1"
	http_conf b 100 "$1"
	carpd_start a
	carpd_start b
	carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
	carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
}

hcurl() { local n=$1; shift; lab_exec c curl -sS --max-time 5 "$@"; }
sockcurl() {
	local n=$1; shift
	curl -sS --max-time 5 --unix-socket "$(http_sock "$n")" "$@"
}
# The URL of a node's endpoint.
hurl() { echo "http://${HTTP_ADDR[$1]}:$HTTP_PORT$2"; }

# Epoch milliseconds of the last log line of NODE matching PATTERN (the
# log's HH:MM:SS.mmm prefix, today).
log_ms() {
	local t
	t=$(grep -E "$2" "$(carpd_log "$1")" | tail -1 | cut -d' ' -f1)
	[ -n "$t" ] && date -d "$t" +%s%3N
}
now_ms() { date +%s%3N; }
# An action over TCP with NODE's token: METHOD PATH BODY; prints the
# status code, the body goes to $LAB_DIR/resp.json.
act() {
	hcurl c -o "$LAB_DIR/resp.json" -w '%{http_code}' -X "$2" \
	    -H "Authorization: Bearer $(cat "$(http_token "$1")")" \
	    -H 'Content-Type: application/json' --data "$4" "$(hurl "$1" "$3")"
}
