# tests/integration/ucarp.sh: ucarp helpers for the carpd interop tests;
# source it after lib.sh (ucarp runs like in 005-lab-ucarp.sh).
#
#   ucarp_start NODE SRCIP ADVSKEW PASS [EXTRA...]   vhid 1, advbase 1,
#       VIP $VIP/24 via up/down scripts, -z (downscript on exit); log in
#       $(ucarp_log NODE), pid in UCARP_PID[NODE]
#   ucarp_state NODE     MASTER / BACKUP from its last "Switching to state"
lab_need ucarp
declare -A UCARP_PID

ucarp_log() { echo "$LAB_DIR/ucarp-$1.log"; }

ucarp_start() {
	local n=$1 src=$2 skew=$3 pass=$4; shift 4
	if [ ! -x "$LAB_DIR/up" ]; then
		printf '#!/bin/sh\nip addr add "$2"/24 dev "$1"\n' >"$LAB_DIR/up"
		printf '#!/bin/sh\nip addr del "$2"/24 dev "$1" 2>/dev/null\nexit 0\n' \
		    >"$LAB_DIR/down"
		chmod +x "$LAB_DIR/up" "$LAB_DIR/down"
	fi
	lab_bg "$n" "$(ucarp_log "$n")" ucarp -i eth0 -s "$src" -v 1 \
	    -p "$pass" -a "$VIP" -b 1 -k "$skew" -u "$LAB_DIR/up" \
	    -d "$LAB_DIR/down" -z -f none "$@"
	UCARP_PID[$n]=$LAB_LASTPID
}

ucarp_state() {
	local s
	s=$(grep -o 'Switching to state: [A-Z]*' "$(ucarp_log "$1")" | tail -1)
	echo "${s#Switching to state: }"
}

ucarp_wait() {	# NODE STATE TIMEOUT
	wait_for "$3" eval '[ "$(ucarp_state '"$1"')" = '"$2"' ]'
}
