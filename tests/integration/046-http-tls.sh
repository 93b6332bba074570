#!/bin/bash
# 046-http-tls: the HTTP endpoint over TLS (http-tls-cert, -key,
# -client-ca, -client-auth, http-action-auth), with real curl and openssl.
#   - reads over https with the CA, no client certificate needed
#     (VerifyClientCertIfGiven); plain HTTP, TLS 1.1 and a client
#     certificate from another CA are refused in the handshake, each
#     logged with the client's address and OpenSSL's reason, once every
#     10 s for each reason;
#   - actions with http-action-auth both: a token alone gets 403, a
#     certificate alone 401, both 200, and the audit line names the
#     client's address and certificate; on the control socket it names
#     the peer's uid and pid and carpctl's SUDO_USER;
#   - SIGHUP: a certificate rotated on disk is served; a broken one is
#     refused, the one in use stays, carpd runs on; a switch to
#     RequireAndVerifyClientCert and http-action-auth client-cert;
#   - a certificate or key that does not load: carpd -n and carpd itself
#     refuse to start, naming file:line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
. "$(dirname "$0")/tls.sh"
lab_need curl openssl python3

tls_conf() {	# CLIENT_AUTH ACTION_AUTH
	cat <<CONF
http-tls-cert $T/server.pem
http-tls-key $T/server.key
http-tls-client-ca $T/ca.pem
http-tls-client-auth $1
http-action-auth $2
CONF
}
lab_init
T=$LAB_DIR/tls
tls_certs "$T"
http_pair "$(tls_conf VerifyClientCertIfGiven both)"
A=${HTTP_ADDR[a]}:$HTTP_PORT
surl() { echo "https://$A$1"; }
scurl() { hcurl c --cacert "$T/ca.pem" "$@"; }
cert=(--cert "$T/client.pem" --key "$T/client.key")
tok=(-H "Authorization: Bearer $(cat "$(http_token a)")")
json=(-H 'Content-Type: application/json')
alog=$(carpd_log a)

# Reads: TLS with the CA, no client certificate.
out=$(scurl "$(surl /metrics)") || fail "GET /metrics over TLS failed"
grep -q '^carp_vhid_state{.*vhid="1".*} 2$' <<<"$out" ||
    fail "no MASTER state in /metrics over TLS"
scurl -o /dev/null -w '%{http_code} %{ssl_verify_result}\n' "$(surl /v1/status)" |
    grep -qx '200 0' || fail "GET /v1/status over TLS"
v=$(scurl -o /dev/null -w '%{scheme}' "$(surl /v1/status)")
[ "${v,,}" = https ] || fail "not https: $v"
echo "reads over TLS without a client certificate: 200"

# Refused in the handshake, each logged with the address and the reason.
hcurl c -o /dev/null "http://$A/metrics" 2>/dev/null &&
    fail "plain HTTP answered on the TLS port"
wait_for 2 grep -q "http: TLS handshake with 192.0.2.110 failed: http request" \
    "$alog" || fail "plain HTTP on the TLS port not logged"
echo "plain HTTP on the TLS port: refused and logged"
# The client allows TLS 1.1 (security level 0); the server refuses it.
lab_exec c openssl s_client -connect "$A" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' \
    -CAfile "$T/ca.pem" </dev/null >"$LAB_DIR/s_client.out" 2>&1 &&
    fail "TLS 1.1 accepted"
wait_for 2 grep -q "TLS handshake with 192.0.2.110 failed: unsupported protocol" \
    "$alog" || fail "TLS 1.1 refusal not logged"
echo "TLS 1.1: refused by the server and logged"
# Three times: one line (rate-limited per reason, every 10 s at most).
for i in 1 2 3; do
	scurl -o /dev/null --cert "$T/rogue.pem" --key "$T/rogue.key" \
	    "$(surl /metrics)" 2>/dev/null &&
	    fail "a certificate of another CA was accepted"
done
wait_for 2 grep -q "TLS handshake with 192.0.2.110 failed: certificate verify failed (1 such in the last 10 s)" \
    "$alog" || fail "the rogue certificate's refusal not logged"
sleep 0.5
[ "$(grep -c 'failed: certificate verify failed' "$alog")" = 1 ] ||
    fail "refusals of one reason not rate-limited"
echo "a client certificate of another CA: refused, logged once for three"

# Actions: http-action-auth both.
code=$(scurl -o "$LAB_DIR/resp.json" -w '%{http_code}' -X PUT "${tok[@]}" \
    "${json[@]}" --data '{"enabled": true, "reason": "t"}' "$(surl /v1/maintenance)")
[ "$code" = 403 ] && grep -q 'client certificate' "$LAB_DIR/resp.json" ||
    fail "token without a certificate: $code $(cat "$LAB_DIR/resp.json")"
grep -q 'http: 403 for actions from 192.0.2.110: no verified client certificate' \
    "$alog" || fail "the 403 is not logged"
code=$(scurl -o "$LAB_DIR/resp.json" -w '%{http_code}' -X PUT "${cert[@]}" \
    "${json[@]}" --data '{"enabled": true, "reason": "t"}' "$(surl /v1/maintenance)")
[ "$code" = 401 ] || fail "certificate without a token: $code"
code=$(scurl -o "$LAB_DIR/resp.json" -w '%{http_code}' -X PUT "${cert[@]}" \
    "${tok[@]}" "${json[@]}" --data '{"enabled": true, "reason": "tls test"}' \
    "$(surl /v1/maintenance)")
[ "$code" = 200 ] || fail "certificate and token: $code $(cat "$LAB_DIR/resp.json")"
carpd_wait b 1 MASTER 3 || fail "maintenance on A did not move the VIP"
grep -q 'audit: origin=http action=maintenance reason="tls test" before=off after=on by="client=192.0.2.110 cert=/CN=operator"' \
    "$alog" || fail "no audit line naming the client and its certificate"
code=$(scurl -o /dev/null -w '%{http_code}' -X PUT "${cert[@]}" "${tok[@]}" \
    "${json[@]}" --data '{"enabled": false}' "$(surl /v1/maintenance)")
[ "$code" = 200 ] || fail "maintenance off: $code"
carpd_wait a 1 MASTER 5 || fail "A did not take the VIP back"
echo "actions: token alone 403, certificate alone 401, both 200"

# Who acted on the control socket: uid and pid (SO_PEERCRED), and the
# SUDO_USER carpctl passes on.
SUDO_USER=alice "$CARPCTL" -s "$(http_sock a)" demotion 5 -r "who" >/dev/null ||
    fail "carpctl demotion on the socket"
grep -qE 'audit: origin=socket action=demotion reason="who" before=0 after=5 by="uid=0 pid=[0-9]+ sudo_user=alice"$' \
    "$alog" || fail "the socket's audit line: $(grep 'reason="who"' "$alog")"
SUDO_USER='x y' "$CARPCTL" -s "$(http_sock a)" demotion 0 -r "who2" >/dev/null ||
    fail "carpctl demotion on the socket"
grep -qE 'action=demotion reason="who2" before=5 after=0 by="uid=0 pid=[0-9]+"$' \
    "$alog" || fail "a malformed SUDO_USER is passed on: $(grep 'reason="who2"' "$alog")"
echo "audit: client address and certificate over TCP, uid, pid and SUDO_USER on the socket"

# carpctl over https: --cacert, --cert, --key, or the environment.
U=(-u "https://$A" -t "$(http_token a)")
lab_exec c "$CARPCTL" "${U[@]}" --cacert "$T/ca.pem" status >"$LAB_DIR/out.txt" ||
    fail "carpctl status over https"
grep -q '^vhid 1 .*MASTER' "$LAB_DIR/out.txt" || grep -q 'MASTER' "$LAB_DIR/out.txt" ||
    fail "carpctl status: $(cat "$LAB_DIR/out.txt")"
lab_exec c "$CARPCTL" "${U[@]}" status >"$LAB_DIR/out.txt" 2>&1
rc=$?
[ "$rc" = 3 ] && grep -q 'certificate' "$LAB_DIR/out.txt" ||
    fail "carpctl without the CA: exit $rc, $(cat "$LAB_DIR/out.txt")"
lab_exec c "$CARPCTL" "${U[@]}" --cacert "$T/ca.pem" demotion 0 -r "no cert" \
    >"$LAB_DIR/out.txt" 2>&1
rc=$?
[ "$rc" = 1 ] && grep -q 'client certificate' "$LAB_DIR/out.txt" ||
    fail "carpctl action without a certificate: exit $rc, $(cat "$LAB_DIR/out.txt")"
lab_exec c env CARPCTL_CACERT="$T/ca.pem" CARPCTL_CERT="$T/client.pem" \
    CARPCTL_KEY="$T/client.key" "$CARPCTL" "${U[@]}" demotion 0 \
    -r "carpctl over tls" >"$LAB_DIR/out.txt" 2>&1 ||
    fail "carpctl action with the environment's certificate: $(cat "$LAB_DIR/out.txt")"
lab_exec c "$CARPCTL" "${U[@]}" --cacert "$T/ca.pem" --cert "$T/client.pem" \
    --key "$T/client.key" --json status >/dev/null || fail "carpctl --cert"
"$CARPCTL" -s "$(http_sock a)" --cacert "$T/ca.pem" status >/dev/null 2>&1
[ $? = 2 ] || fail "carpctl --cacert with the socket is not a usage error"
echo "carpctl over https: verified, refused without the CA (3), acts with a certificate"

# SIGHUP: a rotated certificate is served.
fp1=$(tls_fingerprint c "$A")
[ -n "$fp1" ] || fail "no certificate from openssl s_client"
cp "$T/server2.pem" "$T/server.pem"
cp "$T/server2.key" "$T/server.key"
kill -HUP "${CARPD_PID[a]}"
wait_for 3 grep -q "http: TLS certificate $T/server.pem loaded" "$alog" ||
    fail "no reload line"
fp2=$(tls_fingerprint c "$A")
[ -n "$fp2" ] && [ "$fp2" != "$fp1" ] ||
    fail "the rotated certificate is not served ($fp1, then $fp2)"
scurl -o /dev/null "$(surl /metrics)" || fail "GET after the rotation"
echo "SIGHUP: the rotated certificate is served"

# SIGHUP with a broken certificate: the one in use stays.
echo garbage >"$T/server.pem"
kill -HUP "${CARPD_PID[a]}"
wait_for 3 grep -q "http: reload: keeping the TLS certificate in use" "$alog" ||
    fail "the broken certificate was not reported"
grep -qE "carpd-a.conf:[0-9]+: http-tls-cert $T/server.pem: cannot load" "$alog" ||
    fail "the broken certificate's line does not name file:line"
kill -0 "${CARPD_PID[a]}" || fail "carpd died on a broken certificate"
[ "$(tls_fingerprint c "$A")" = "$fp2" ] || fail "the certificate in use changed"
scurl -o /dev/null "$(surl /metrics)" || fail "GET after a broken reload"
echo "SIGHUP with a broken certificate: kept the one in use"
cp "$T/server2.pem" "$T/server.pem"

# SIGHUP to RequireAndVerifyClientCert and client-cert: no certificate,
# no connection; a certificate alone authorizes actions.
http_conf a 0 "$(tls_conf RequireAndVerifyClientCert client-cert)"
kill -HUP "${CARPD_PID[a]}"
wait_for 3 eval '[ "$(grep -c "http: TLS certificate .* loaded" "$alog")" = 2 ]' ||
    fail "second reload"
scurl -o /dev/null "$(surl /metrics)" 2>/dev/null &&
    fail "RequireAndVerifyClientCert let a client without a certificate in"
scurl -o /dev/null "${cert[@]}" "$(surl /metrics)" ||
    fail "RequireAndVerifyClientCert refused the client's certificate"
code=$(scurl -o "$LAB_DIR/resp.json" -w '%{http_code}' -X PUT "${cert[@]}" \
    "${json[@]}" --data '{"value": 0, "reason": "cert only"}' "$(surl /v1/demotion)")
[ "$code" = 200 ] || fail "client-cert action: $code $(cat "$LAB_DIR/resp.json")"
wait_for 2 grep -q "TLS handshake with 192.0.2.110 failed: peer did not return a certificate" \
    "$alog" || fail "a missing client certificate is not logged"
echo "RequireAndVerifyClientCert: no certificate refused and logged, certificate alone acts"

# B by SIGHUP: TLS off (plain HTTP answers), then on with a certificate
# that does not load (nothing answers in clear any more), then fixed.
B=${HTTP_ADDR[b]}:$HTTP_PORT
blog=$(carpd_log b)
http_conf b 100 ""
kill -HUP "${CARPD_PID[b]}"
wait_for 3 eval 'hcurl c -o /dev/null "http://$B/metrics" 2>/dev/null' ||
    fail "B does not answer plain HTTP after TLS was turned off"
http_conf b 100 "http-tls-cert $T/nonexistent.pem
http-tls-key $T/server.key"
kill -HUP "${CARPD_PID[b]}"
wait_for 3 grep -q "http: no TLS certificate: not listening on TCP" "$blog" ||
    fail "B: no line for the missing certificate"
sleep 0.5
hcurl c -o /dev/null "http://$B/metrics" 2>/dev/null &&
    fail "B answers in clear though TLS is asked for"
kill -0 "${CARPD_PID[b]}" || fail "B died"
http_conf b 100 "$(tls_conf VerifyClientCertIfGiven token)"
kill -HUP "${CARPD_PID[b]}"
wait_for 3 eval 'scurl -o /dev/null "https://$B/metrics" 2>/dev/null' ||
    fail "B does not answer over TLS once the certificate loads"
echo "SIGHUP: TLS off, then a certificate that does not load (TCP closed, not clear), then TLS"

# A key that does not load: carpd -n and carpd refuse, naming file:line.
f=$LAB_DIR/carpd-a.conf
sed -i "s|^http-tls-key .*|http-tls-key $T/nonexistent.key|" "$f"
line=$(grep -n '^http-tls-key' "$f" | cut -d: -f1)
out=$("$CARPD" -n -f "$f" 2>&1) && fail "carpd -n accepted a missing key"
grep -q "$f:$line: http-tls-key $T/nonexistent.key: cannot load" <<<"$out" ||
    fail "carpd -n: $out"
carpd_stop a
out=$(lab_exec a "$CARPD" -d -f "$f" 2>&1) && fail "carpd started without its key"
grep -q "$f:$line: http-tls-key" <<<"$out" || fail "carpd: $out"
echo "a missing key: carpd -n and carpd refuse ($f:$line)"
pass
