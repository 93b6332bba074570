#!/bin/sh
# layout.sh: the dependency direction of docs/layout.md, from the sources.
#
#   carp/       includes nothing of agent/ or exporters/, nor libevent
#               or net-snmp
#   agent/      includes nothing of exporters/, but agent/carpd.c (main,
#               the composition root) includes exporters/http.h
#   exporters/  may include agent/ and carp/
#   carpctl     exporters/carpctl.c includes no project header, and the
#               binary (if built: $1, default build/carpctl) needs every
#               library it links (ldd -u lists none)
#
# Run from the top of the tree (make lint).  Exit 1 on any violation.
CARPCTL=${1:-build/carpctl}
bad=0

# file: every '#include "..."' and '#include <...>' target, one a line.
incs() {
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]\([^">]*\)[">].*/\1/p' "$1"
}

violation() {
	echo "layout: $1 includes $2: $3" >&2
	bad=1
}

for f in carp/*.[ch]; do
	[ -f "$f" ] || continue
	for i in $(incs "$f"); do
		case $i in
		agent/*|exporters/*)
			violation "$f" "$i" "carp/ depends on nothing of carpd" ;;
		event2/*|event.h|net-snmp/*)
			violation "$f" "$i" "carp/ has no event loop and no SNMP" ;;
		esac
	done
done

for f in agent/*.[ch]; do
	[ -f "$f" ] || continue
	for i in $(incs "$f"); do
		case $f:$i in
		agent/carpd.c:exporters/http.h)
			;;	# main starts the exporters (docs/layout.md)
		*:exporters/*)
			violation "$f" "$i" "agent/ must not depend on exporters/" ;;
		esac
	done
done

if [ -f exporters/carpctl.c ]; then
	for i in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' \
	    exporters/carpctl.c); do
		violation exporters/carpctl.c "$i" \
		    "carpctl is a client of the HTTP API, it links no carpd code"
	done
	if [ -f "$CARPCTL" ]; then
		unused=$(ldd -u "$CARPCTL" 2>/dev/null | sed -n 's/^[[:space:]]*\(\/.*\)/\1/p')
		if [ -n "$unused" ]; then
			echo "layout: $CARPCTL links what it does not use:" \
			    $unused >&2
			bad=1
		fi
	fi
fi

[ $bad -eq 0 ] && echo "layout: ok (docs/layout.md)"
exit $bad
