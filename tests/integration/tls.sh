# tests/integration/tls.sh: throwaway certificates made with the openssl
# command, for the TLS tests; source after lib.sh.
#
#   tls_certs DIR       in DIR: ca.pem (the CA), server.pem/server.key
#                       (signed by it, for 192.0.2.51, .61 and .111),
#                       server2.pem/server2.key (another one, for a
#                       rotation), client.pem/client.key (CN=operator,
#                       signed by the CA), rogue.pem/rogue.key (CN=rogue,
#                       signed by another CA)
#   tls_fingerprint NODE ADDR:PORT
#                       the SHA-256 fingerprint of the certificate the
#                       server at ADDR:PORT shows, from NODE's namespace

_tls_ca() {	# DIR NAME CN
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -days 2 -subj "/CN=$3" -keyout "$1/$2.key" -out "$1/$2.pem" \
	    2>/dev/null
}

_tls_leaf() {	# DIR NAME CA CN EXT
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -subj "/CN=$4" -keyout "$1/$2.key" -out "$1/$2.csr" 2>/dev/null &&
	printf '%s\n' "$5" >"$1/$2.ext" &&
	openssl x509 -req -in "$1/$2.csr" -CA "$1/$3.pem" -CAkey "$1/$3.key" \
	    -CAcreateserial -days 2 -extfile "$1/$2.ext" -out "$1/$2.pem" \
	    2>/dev/null
}

tls_certs() {
	local d=$1 srv='subjectAltName=IP:192.0.2.51,IP:192.0.2.61,IP:192.0.2.111
extendedKeyUsage=serverAuth'
	mkdir -p "$d"
	_tls_ca "$d" ca "carpd test CA" &&
	_tls_ca "$d" otherca "another CA" &&
	_tls_leaf "$d" server ca "carpd server" "$srv" &&
	_tls_leaf "$d" server2 ca "carpd server rotated" "$srv" &&
	_tls_leaf "$d" client ca operator 'extendedKeyUsage=clientAuth' &&
	_tls_leaf "$d" rogue otherca rogue 'extendedKeyUsage=clientAuth' ||
	    fail "openssl could not make the test certificates"
	chmod 600 "$d"/*.key
}

tls_fingerprint() {
	lab_exec "$1" openssl s_client -connect "$2" </dev/null 2>/dev/null |
	    openssl x509 -noout -fingerprint -sha256 2>/dev/null
}
