#!/usr/bin/env bash
# Makes the benchmark's certificates with the openssl CLI, fresh for each run (never checked in):
#   root.pem            ECDSA P-256 root, the clients' only trust anchor
#   intermediate        ECDSA P-256 CA under the root (pathlen 0)
#   ecdsa-chain.pem     ECDSA P-256 leaf + intermediate, ecdsa-key.pem its key
#   rsa-chain.pem       RSA-2048 leaf + the same intermediate, rsa-key.pem its key
#   other-root.pem      an unrelated root, for the handshakes that must fail
# Every leaf carries HOST as its only subjectAltName. All signatures are SHA-256.
# usage: gen-certs.sh OUT_DIR HOST
set -euo pipefail
out=$1
host=$2
mkdir -p "$out"
cd "$out"

serial() { echo "0x$(openssl rand -hex 12)"; }

cat > ext.cnf <<CNF
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:${host}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

p256() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

root() { # name CN
  p256 "$1-key.pem"
  openssl req -new -x509 -key "$1-key.pem" -subj "/CN=$2" -days 30 -sha256 \
    -set_serial "$(serial)" -config ext.cnf -extensions ca -out "$1.pem"
}

sign() { # csr ca section out
  openssl x509 -req -in "$1" -CA "$2.pem" -CAkey "$2-key.pem" -set_serial "$(serial)" \
    -days 30 -sha256 -extfile ext.cnf -extensions "$3" -out "$4" 2>/dev/null
}

root root "padlock bench root"
root other-root "padlock bench unrelated root"

p256 intermediate-key.pem
openssl req -new -key intermediate-key.pem -subj "/CN=padlock bench intermediate" \
  -config ext.cnf -out intermediate.csr
sign intermediate.csr root intermediate intermediate.pem

p256 ecdsa-key.pem
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa-key.pem
for leaf in ecdsa rsa; do
  openssl req -new -key "$leaf-key.pem" -subj "/CN=$host" -config ext.cnf -out "$leaf.csr"
  sign "$leaf.csr" intermediate leaf "$leaf.pem"
  cat "$leaf.pem" intermediate.pem > "$leaf-chain.pem"
  openssl verify -CAfile root.pem -untrusted intermediate.pem -verify_hostname "$host" \
    "$leaf.pem" > /dev/null
done
rm -f ./*.csr ext.cnf
