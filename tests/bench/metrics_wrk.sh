#!/bin/bash
# tests/bench/metrics_wrk.sh [VHIDS] [SECONDS]: /metrics under load.
#
# One lab node (its own network namespace, eth0 on the lab bridge) runs
# carpd with VHIDS (default 255) VHIDs on eth0, advbase 1, and
# http-listen 127.0.0.1:10112: the namespace's own loopback.  Once every
# VHID is MASTER, one /metrics response is saved to a file, and nginx
# (Debian's package, a private configuration, one worker per CPU, the same
# Content-Type and Cache-Control) serves those bytes as a static file on
# 127.0.0.1:10113 in the same namespace: the practical ceiling.  Then
#
#	wrk -t2 -c16 -d${SECONDS}s --latency
#
# runs against carpd, then against nginx.  While wrk loads carpd, the
# bridge is captured and the longest interval between two adverts of one
# VHID is reported (advbase 1, advskew 0: 1000 ms when on time).
#
# Then the same over TLS next to plain HTTP: carpd is given a throwaway
# certificate (the openssl command, ECDSA P-256) and reloaded (SIGHUP),
# and wrk runs against https://127.0.0.1:10112/metrics (impl=carpd-tls,
# TLS 1.3, connections kept alive as Prometheus keeps them); then once
# more with "Connection: close", a handshake per request, over plain HTTP
# (impl=carpd-close, before the reload) and over TLS (impl=carpd-tls-close);
# and nginx serves the same bytes over TLS with the same certificate on
# 127.0.0.1:10114 (impl=nginx-tls, kept alive).
#
# Prints RESULT lines: metrics_rps, metrics_p99_ms (impl=carpd, nginx,
# carpd-tls, carpd-close, carpd-tls-close), metrics_rps_vs_nginx,
# metrics_tls_vs_plain (kept alive, and with close), metrics_bytes,
# advert_max_gap_ms.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
N=${1:-255}
SECS=${2:-10}
CARPD=${CARPD:-$here/../../build/carpd}
PORT=10112
NGPORT=10113
NGTLSPORT=10114

lab_need wrk nginx curl python3 openssl
[ -x "$CARPD" ] || skip "no $CARPD (run make)"
echo "COMMAND $0 $*"

lab_init
lab_switch
lab_node a 198.18.0.1/16

conf=$LAB_DIR/carpd.conf
{
	echo "net.inet.carp.preempt=1"
	echo "agentx-socket off"
	echo "control-socket $LAB_DIR/ctl.sock"
	echo "http-listen 127.0.0.1:$PORT"
	# wrk's 16 connections come from one address: above the default
	# cap of 8 per source, half of them would be closed at once, again
	# and again, and the bench would measure the cap.
	echo "http-max-per-source 16"
	for i in $(seq 1 "$N"); do
		echo "ifconfig eth0 inet vhid $i pass pw$i" \
		    "alias 198.18.$((1 + (i - 1) / 250)).$((1 + (i - 1) % 250))/32"
	done
} >"$conf"
lab_bg a "$LAB_DIR/carpd.log" "$CARPD" -d -f "$conf"
CARPD_PID=$LAB_LASTPID

url=http://127.0.0.1:$PORT/metrics
nmaster() {
	lab_exec a curl -sf --max-time 5 "$url" |
	    grep -c '^carp_vhid_state{.*} 2$'
}
wait_for 30 eval '[ "$(nmaster)" = "$N" ]' ||
    fail "$(nmaster) of $N VHIDs MASTER after 30 s: $(tail -5 "$LAB_DIR/carpd.log")"
sleep 2
[ "$(nmaster)" = "$N" ] || fail "the VHIDs are not stable"

# The bytes nginx serves: one response of carpd's, as it is now.
mkdir -p "$LAB_DIR/www"
lab_exec a curl -sf --max-time 5 -D "$LAB_DIR/carpd.headers" \
    -o "$LAB_DIR/www/metrics" "$url" || fail "GET /metrics"
size=$(stat -c %s "$LAB_DIR/www/metrics")
ctype=$(sed -n 's/^Content-Type: *//Ip' "$LAB_DIR/carpd.headers" | tr -d '\r')
[ -n "$ctype" ] || fail "no Content-Type from carpd"
echo "RESULT impl=carpd metric=metrics_bytes value=$size vhids=$N"

# A throwaway certificate for 127.0.0.1, for carpd and nginx.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$LAB_DIR/key.pem" -out "$LAB_DIR/cert.pem" 2>/dev/null ||
    fail "openssl req"
chmod 600 "$LAB_DIR/key.pem"

workers=$(nproc)
mkdir -p "$LAB_DIR/nginx"
cat >"$LAB_DIR/nginx.conf" <<EOF
user root;
worker_processes $workers;
pid $LAB_DIR/nginx.pid;
error_log $LAB_DIR/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $LAB_DIR/nginx/body;
	proxy_temp_path $LAB_DIR/nginx/proxy;
	fastcgi_temp_path $LAB_DIR/nginx/fastcgi;
	uwsgi_temp_path $LAB_DIR/nginx/uwsgi;
	scgi_temp_path $LAB_DIR/nginx/scgi;
	sendfile on;
	tcp_nopush on;
	types { }
	default_type "$ctype";
	server {
		listen 127.0.0.1:$NGPORT;
		root $LAB_DIR/www;
		location = /metrics { add_header Cache-Control no-store; }
	}
	server {
		listen 127.0.0.1:$NGTLSPORT ssl;
		ssl_certificate $LAB_DIR/cert.pem;
		ssl_certificate_key $LAB_DIR/key.pem;
		ssl_protocols TLSv1.2 TLSv1.3;
		root $LAB_DIR/www;
		location = /metrics { add_header Cache-Control no-store; }
	}
}
EOF
lab_bg a "$LAB_DIR/nginx/stderr.log" nginx -c "$LAB_DIR/nginx.conf" \
    -g 'daemon off;'
ngurl=http://127.0.0.1:$NGPORT/metrics
wait_for 10 lab_exec a curl -sf --max-time 2 -o "$LAB_DIR/nginx.body" \
    "$ngurl" || fail "nginx did not start: $(cat "$LAB_DIR/nginx/"*.log)"
cmp -s "$LAB_DIR/nginx.body" "$LAB_DIR/www/metrics" ||
    fail "nginx serves other bytes"

# run_wrk IMPL URL [WRK ARGS]: wrk's report to $LAB_DIR/wrk-IMPL.txt,
# RESULT lines.
run_wrk() {
	local impl=$1 url=$2 out=$LAB_DIR/wrk-$1.txt
	shift 2
	echo "COMMAND wrk -t2 -c16 -d${SECS}s --latency $* $url" >&2
	lab_exec a wrk -t2 -c16 -d"${SECS}s" --latency "$@" "$url" >"$out" 2>&1 ||
	    fail "wrk against $impl: $(cat "$out")"
	cat "$out" >&2
	awk -v impl="$impl" '
	function ms(s) {
		if (s ~ /us$/) return s / 1000
		if (s ~ /ms$/) return s + 0
		if (s ~ /m$/) return s * 60000
		return s * 1000	# "s"
	}
	/^Requests\/sec:/ { rps = $2 }
	/^ +99%/ { p99 = ms($2) }
	/^ +50%/ { p50 = ms($2) }
	/Non-2xx/ { bad = $NF }
	/Socket errors/ { err = $0 }
	END {
		printf "RESULT impl=%s metric=metrics_rps value=%.0f\n", impl, rps
		printf "RESULT impl=%s metric=metrics_p50_ms value=%.3f\n", impl, p50
		printf "RESULT impl=%s metric=metrics_p99_ms value=%.3f\n", impl, p99
		if (bad != "" || err != "")
			printf "WARNING %s: %s %s\n", impl, bad " non-2xx", err
	}' "$out"
}

# Adverts while carpd is loaded: the longest interval per VHID.
lab_capture_start
t0=$(lab_now)
res_carpd=$(run_wrk carpd "$url") || exit 1
t1=$(lab_now)
lab_capture_stop
echo "$res_carpd"
kill -0 "$CARPD_PID" 2>/dev/null || fail "carpd died under load"
gap=$(lab_adverts "$LAB_CAP_FILE" --src 198.18.0.1 | awk -v t0="$t0" -v t1="$t1" '
	$2 == "carp" && $1 >= t0 && $1 <= t1 {
		if ($4 in last && $1 - last[$4] > max) max = $1 - last[$4]
		last[$4] = $1; n++
	}
	END { printf "%.0f %d\n", max * 1000, n }')
echo "RESULT impl=carpd metric=advert_max_gap_ms value=${gap% *} adverts=${gap#* }"

res_nginx=$(run_wrk nginx "$ngurl") || exit 1
echo "$res_nginx"

awk -v c="$(echo "$res_carpd" | awk '/metric=metrics_rps /{ sub(/.*value=/, ""); print }')" \
    -v n="$(echo "$res_nginx" | awk '/metric=metrics_rps /{ sub(/.*value=/, ""); print }')" \
    -v w="$workers" 'BEGIN {
	printf "RESULT impl=carpd metric=metrics_rps_vs_nginx value=%.2f nginx_workers=%d\n", (n > 0 ? c / n : 0), w
}'
rps() { awk '/metric=metrics_rps /{ sub(/.*value=/, ""); print }'; }

# The handshake per request, in clear.
res_close=$(run_wrk carpd-close "$url" -H 'Connection: close') || exit 1
echo "$res_close"

# TLS: carpd reloaded with the certificate nginx serves too.
printf 'http-tls-cert %s\nhttp-tls-key %s\n' "$LAB_DIR/cert.pem" \
    "$LAB_DIR/key.pem" >>"$conf"
kill -HUP "$CARPD_PID"
wait_for 10 grep -q 'http: TLS certificate .* loaded' "$LAB_DIR/carpd.log" ||
    fail "carpd did not load the certificate: $(tail -5 "$LAB_DIR/carpd.log")"
surl=https://127.0.0.1:$PORT/metrics
lab_exec a curl -sf --max-time 5 --cacert "$LAB_DIR/cert.pem" -o "$LAB_DIR/tls.body" \
    "$surl" || fail "GET /metrics over TLS"
ver=$(lab_exec a curl -s --max-time 5 --cacert "$LAB_DIR/cert.pem" -o /dev/null \
    -w '%{ssl_verify_result}' -v "$surl" 2>&1 | sed -n 's/.*SSL connection using \([^ ]*\).*/\1/p')
echo "TLS: ${ver:-?}" >&2
res_tls=$(run_wrk carpd-tls "$surl") || exit 1
echo "$res_tls"
res_tls_close=$(run_wrk carpd-tls-close "$surl" -H 'Connection: close') || exit 1
echo "$res_tls_close"
res_ngtls=$(run_wrk nginx-tls "https://127.0.0.1:$NGTLSPORT/metrics") || exit 1
echo "$res_ngtls"
kill -0 "$CARPD_PID" 2>/dev/null || fail "carpd died under load over TLS"
awk -v p="$(echo "$res_carpd" | rps)" -v t="$(echo "$res_tls" | rps)" \
    -v pc="$(echo "$res_close" | rps)" -v tc="$(echo "$res_tls_close" | rps)" \
    -v ver="${ver:-unknown}" 'BEGIN {
	printf "RESULT impl=carpd-tls metric=metrics_tls_vs_plain value=%.2f connections=kept tls=%s\n", (p > 0 ? t / p : 0), ver
	printf "RESULT impl=carpd-tls metric=metrics_tls_vs_plain value=%.2f connections=close tls=%s\n", (pc > 0 ? tc / pc : 0), ver
}'
awk -v c="$(echo "$res_tls" | rps)" -v n="$(echo "$res_ngtls" | rps)" 'BEGIN {
	printf "RESULT impl=carpd-tls metric=metrics_rps_vs_nginx value=%.2f tls=1\n", (n > 0 ? c / n : 0)
}'
pass "metrics_wrk $N VHIDs"
