#!/bin/sh
# Throwaway certificates for tests of marac-server's TLS, valid one day,
# made with Debian's openssl into DIR (created when absent):
#   ca.pem ca.key              a test CA
#   server.pem server.key      CN=localhost, SAN DNS:localhost, IP:127.0.0.1
#   client.pem client.key      CN=idva-north-01, signed by the CA
#   stranger.pem stranger.key  CN=stranger, signed by the CA, in no
#                              principals file
#   rogue.pem rogue.key        CN=idva-north-01, self-signed (not the CA's)
# Keys are P-256 and unencrypted: never use these outside a test.
#
#   tests/server/make_test_certs.sh /tmp/marac-certs
set -eu
dir=${1:?usage: make_test_certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
          -out "$1.key" 2>/dev/null; }
signed() {  # NAME SUBJECT EXTENSIONS
  key "$1"
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
    -days 1 -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
key ca
openssl req -x509 -new -key ca.key -subj "/CN=marac-test-ca" -days 1 \
  -sha256 -out ca.pem
signed server "/CN=localhost" \
  "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
signed client "/CN=idva-north-01" "extendedKeyUsage=clientAuth"
signed stranger "/CN=stranger" "extendedKeyUsage=clientAuth"
key rogue
openssl req -x509 -new -key rogue.key -subj "/CN=idva-north-01" -days 1 \
  -sha256 -out rogue.pem
chmod 600 ./*.key
