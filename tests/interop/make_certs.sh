#!/usr/bin/env bash
# Generates the interop tests' certificates with the openssl CLI, into the directory given:
#   root.pem                   the trust anchor (ECDSA P-256), 10 years
#   inter.pem                  an intermediate CA under it
#   <kind>.pem, <kind>.key     server leaves under the intermediate for 127.0.0.1 and
#                              localhost, kind = p256 p384 rsa ed25519 (RSA-2048, signed with
#                              PSS in TLS 1.3); <kind>-chain.pem = leaf + intermediate
#   client.pem/.key, client-chain.pem   a client certificate (clientAuth) under the same CA
#   client-rsa.pem/.key, client-rsa-chain.pem  the same with an RSA-2048 key
#   client-p384.pem/.key, client-p384-chain.pem  and with a P-384 key
#   expired.pem/.key, expired-chain.pem a server leaf whose validity ended in 2020
#   rogue-root.pem, rogue.pem/.key      a leaf under a root nobody trusts
# Run again, it starts from scratch. Nothing here is secret: keys live in the test's tmpdir.
set -euo pipefail
dir=$1
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"

cat > ca.cnf <<'CNF'
[ req ]
distinguished_name = dn
[ dn ]
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ server ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ client ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ca ]
default_ca = expired_ca
[ expired_ca ]
database = index.txt
new_certs_dir = .
serial = serial.txt
default_md = sha256
policy = any
copy_extensions = none
[ any ]
commonName = supplied
CNF

key() { # key <file> <kind>
    case "$2" in
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1" ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$1" ;;
    esac 2>/dev/null
}

ca() { # ca <name> <issuer-name or "self">
    key "$1.key" p256
    if [ "$2" = self ]; then
        openssl req -new -x509 -config ca.cnf -extensions v3_ca -key "$1.key" -sha256 \
            -days 3650 -subj "/O=padlock interop/CN=$1" -out "$1.pem"
    else
        openssl req -new -config ca.cnf -key "$1.key" -subj "/O=padlock interop/CN=$1" \
            -out "$1.csr"
        openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
            -extfile ca.cnf -extensions v3_ca -sha256 -days 3650 -out "$1.pem" 2>/dev/null
    fi
}

leaf() { # leaf <name> <kind> <issuer> <extensions>
    key "$1.key" "$2"
    openssl req -new -config ca.cnf -key "$1.key" -subj "/CN=$1 $2" -out "$1.csr"
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial \
        -extfile ca.cnf -extensions "$4" -days 30 -out "$1.pem" 2>/dev/null
    cat "$1.pem" "$3.pem" > "$1-chain.pem"
}

ca root self
ca inter root
for kind in p256 p384 rsa ed25519; do
    leaf "$kind" "$kind" inter server
done
leaf client p256 inter client
leaf client-rsa rsa inter client
leaf client-p384 p384 inter client

# A leaf whose validity ended long ago, signed by the real intermediate: `openssl ca` sets
# explicit dates, which `openssl x509 -req` cannot.
: > index.txt
echo 1000 > serial.txt
key expired.key p256
openssl req -new -config ca.cnf -key expired.key -subj "/CN=expired" -out expired.csr
openssl ca -batch -config ca.cnf -extensions server -cert inter.pem -keyfile inter.key \
    -startdate 20200101000000Z -enddate 20200201000000Z -in expired.csr -out expired.pem \
    -notext 2>/dev/null
cat expired.pem inter.pem > expired-chain.pem

ca rogue-root self
leaf rogue p256 rogue-root server
