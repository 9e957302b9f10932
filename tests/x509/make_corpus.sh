#!/usr/bin/env bash
# Generates the X.509 test corpus with the openssl CLI into DIR (created if needed): roots,
# intermediates and leaves for every verification case of tests/unit/test_x509_corpus.c, CRLs,
# and one certificate with every extension padlock parses. Validity windows are fixed dates
# (most certificates: 2020-01-01 to 2040-01-01) and the tests verify at 2030-01-01, so the
# verdicts do not depend on the day the suite runs. Keys are EC P-256 unless a case needs
# another type; RSA only where the case is about RSA.
set -euo pipefail
dir=${1:?usage: make_corpus.sh DIR}
# Start from nothing: the CA databases must not remember a previous run's revocations.
case $dir in
/ | "") exit 2 ;;
esac
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"

cat >req.cnf <<'CNF'
[req]
distinguished_name = dn
[dn]
CNF

# One CA database per issuer (db/<issuer>), so each issuer's CRL lists only its own
# revocations; random serials (-create_serial) keep serials distinct across issuers.
cat >ca.cnf <<'CNF'
[ca]
default_ca = ca_default
[ca_default]
dir = $ENV::CADB
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = yes
[policy_any]
commonName = optional
emailAddress = optional
organizationName = optional
[crl_ext]
authorityKeyIdentifier = keyid
CNF

cat >ext.cnf <<'CNF'
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[root_nc]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
nameConstraints = critical,permitted;DNS:example.org
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_noaki]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
[ca_pl0]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_client_eku]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_no_kcs]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_no_bc]
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[not_ca]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_crit]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1 = critical,ASN1:NULL
[ca_nc_dns]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical,permitted;DNS:example.com
[ca_nc_excl]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical,excluded;DNS:secret.example.com
[ca_nc_ip]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical,permitted;IP:192.0.2.0/255.255.255.0
[ca_nc_email]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical,permitted;email:example.com
[ca_nc_dn]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical,permitted;dirName:nc_dn
[nc_dn]
O = Good Org
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:api.example.com,DNS:www.example.com,IP:192.0.2.10,IP:2001:db8::10
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:client.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_self]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:self.example.com
subjectKeyIdentifier = hash
[leaf_cn_only]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_ku_bad]
basicConstraints = critical,CA:FALSE
keyUsage = critical,nonRepudiation
extendedKeyUsage = serverAuth
subjectAltName = DNS:api.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_crit]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:api.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1 = critical,ASN1:NULL
[leaf_noncrit]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:api.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.2 = ASN1:NULL
[leaf_full]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth,codeSigning
subjectAltName = @full_san
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = 2.23.140.1.2.1,1.3.6.1.4.1.55555.9
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com/,caIssuers;URI:http://ca.example.com/ca.crt
[full_san]
DNS.1 = api.example.com
DNS.2 = *.api.example.com
IP.1 = 192.0.2.10
IP.2 = 2001:db8::10
email.1 = admin@example.com
URI.1 = https://api.example.com/path
dirName.1 = full_dn
RID.1 = 1.3.6.1.4.1.55555.7
otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.com
[full_dn]
O = Example Org
CN = Directory Name
CNF

# san SECTION NAMES: a leaf section whose subjectAltName is NAMES.
san() {
    cat >>ext.cnf <<CNF
[$1]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
}
san leaf_wild 'DNS:*.example.com'
san leaf_partial 'DNS:f*.example.com'
san leaf_midwild 'DNS:foo.*.example.com'
san leaf_tldwild 'DNS:*.com'
san leaf_ipwild 'DNS:*.0.2.10,DNS:192.0.2.10'
san leaf_evil 'DNS:evil.com'
san leaf_secret 'DNS:db.secret.example.com'
san leaf_ip_in 'IP:192.0.2.10'
san leaf_ip_out 'IP:198.51.100.1'
san leaf_email_bad 'DNS:api.example.com,email:user@evil.com'
san leaf_email_ok 'DNS:api.example.com,email:user@example.com'
san leaf_api 'DNS:api.example.com'

# key NAME TYPE: NAME.key unless it exists.
key() {
    [ -f "$1.key" ] && return 0
    case $2 in
    ec256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
    ec384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1.key" ;;
    ec521) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out "$1.key" ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$1.key" ;;
    rsa1024) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$1.key" 2>/dev/null ;;
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null ;;
    esac
}

# csr KEY: KEY.csr, a request carrying KEY's public key (subjects are set when issuing).
csr() {
    [ -f "$1.csr" ] || openssl req -new -config req.cnf -key "$1.key" -subj "/CN=key $1" -out "$1.csr"
}

# cert NAME SUBJECT ISSUER EXT [option...]: issues NAME.pem signed by ISSUER.pem and its key
# (ISSUER "self": self-signed). Keys are shared by role to keep generation quick: k_root for
# self-signed certificates, k_ee for leaves (EXT leaf*), k_inter for other CAs; the three
# differ, so a signature checked with the wrong certificate's key fails. Options:
#   key=K (use K.key, EC P-256 created if missing)   start=/end= (validity, ASN.1 time)
#   md=DIGEST   pss (RSASSA-PSS signature)
cert() {
    local name=$1 subj=$2 issuer=$3 ext=$4
    shift 4
    local keyname=k_inter start=20200101000000Z end=20400101000000Z md=sha256 sigopt=()
    if [ "$issuer" = self ]; then
        keyname=k_root
    elif [ "${ext#leaf}" != "$ext" ]; then
        keyname=k_ee
    fi
    local opt
    for opt in "$@"; do
        case $opt in
        key=*) keyname=${opt#key=} ;;
        start=*) start=${opt#start=} ;;
        end=*) end=${opt#end=} ;;
        md=*) md=${opt#md=} ;;
        pss) sigopt=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest) ;;
        esac
    done
    key "$keyname" ec256
    csr "$keyname"
    local db signer=()
    if [ "$issuer" = self ]; then
        db=db/$name
        signer=(-selfsign -keyfile "$keyname.key")
    else
        db=db/$issuer
        signer=(-cert "$issuer.pem" -keyfile "$(cat "$issuer.keyname").key")
    fi
    mkdir -p "$db"
    touch "$db/index.txt"
    [ -f "$db/crlnumber" ] || echo 1000 >"$db/crlnumber"
    CADB=$db openssl ca -batch -notext -config ca.cnf -create_serial -preserveDN \
        -in "$keyname.csr" -subj "$subj" -out "$name.pem" "${signer[@]}" -startdate "$start" \
        -enddate "$end" -md "$md" "${sigopt[@]}" -extfile ext.cnf -extensions "$ext" 2>/dev/null
    echo "$keyname" >"$name.keyname"
}

# crl NAME ISSUER [days]: NAME.crl (PEM) and NAME.crl.der from ISSUER's database.
crl() {
    CADB=db/$2 openssl ca -batch -config ca.cnf -gencrl -crlexts crl_ext -crldays "${3:-36500}" \
        -cert "$2.pem" -keyfile "$(cat "$2.keyname").key" -out "$1.crl" 2>/dev/null
}

# revoke NAME ISSUER
revoke() {
    CADB=db/$2 openssl ca -batch -config ca.cnf -revoke "$1.pem" -crl_reason keyCompromise \
        -cert "$2.pem" -keyfile "$(cat "$2.keyname").key" 2>/dev/null
}

# The main hierarchy.
cert root "/CN=Padlock Test Root" self root
cert inter "/CN=Padlock Test Intermediate" root ca
cert leaf "/CN=api.example.com" inter leaf
cert other_root "/CN=Padlock Other Root" self root key=k_other_root
cert other_inter "/CN=Padlock Other Intermediate" other_root ca

# Host names, wildcards, IP addresses.
cert leaf_client "/CN=client.example.com" inter leaf_client
for s in wild partial midwild tldwild ipwild cn_only; do
    cert "leaf_$s" "/CN=$s.example.com" inter "leaf_$s"
done
cert leaf_cn "/CN=api.example.com" inter leaf_cn_only
cert leaf_self "/CN=self.example.com" self leaf_self key=k_ee

# Validity.
cert leaf_expired "/CN=expired.example.com" inter leaf start=20200101000000Z end=20250101000000Z
cert leaf_future "/CN=future.example.com" inter leaf start=20350101000000Z end=20390101000000Z
cert inter_expired "/CN=Padlock Expired Intermediate" root ca end=20250101000000Z
cert leaf_ie "/CN=api.example.com" inter_expired leaf
cert root_expired "/CN=Padlock Expired Root" self root start=20100101000000Z end=20250101000000Z key=k_root_expired
cert inter_re "/CN=Padlock Intermediate Under Expired Root" root_expired ca
cert leaf_re "/CN=api.example.com" inter_re leaf

# CA and key usage rules.
cert inter_client "/CN=Padlock Client-Only Intermediate" root ca_client_eku
cert leaf_ic "/CN=api.example.com" inter_client leaf
cert not_ca "/CN=Padlock Not A CA" root not_ca
cert leaf_notca "/CN=api.example.com" not_ca leaf
cert inter_nobc "/CN=Padlock No BasicConstraints" root ca_no_bc
cert leaf_nobc "/CN=api.example.com" inter_nobc leaf
cert inter_pl0 "/CN=Padlock Pathlen 0 Intermediate" root ca_pl0
cert inter_sub "/CN=Padlock Sub Intermediate" inter_pl0 ca
cert leaf_pl "/CN=api.example.com" inter_sub leaf
cert leaf_pl0 "/CN=api.example.com" inter_pl0 leaf
cert inter_nokcs "/CN=Padlock No keyCertSign" root ca_no_kcs
cert leaf_nokcs "/CN=api.example.com" inter_nokcs leaf
cert leaf_ku "/CN=api.example.com" inter leaf_ku_bad
cert leaf_crit "/CN=api.example.com" inter leaf_crit
cert leaf_noncrit "/CN=api.example.com" inter leaf_noncrit
cert inter_crit "/CN=Padlock Critical Extension Intermediate" root ca_crit
cert leaf_icrit "/CN=api.example.com" inter_crit leaf

# Algorithms and keys.
cert leaf_sha1 "/CN=api.example.com" inter leaf md=sha1
cert root_sha1 "/CN=Padlock SHA-1 Root" self root md=sha1 key=k_root_sha1
cert leaf_rsha1 "/CN=api.example.com" root_sha1 leaf
key k_rsa1024 rsa1024
cert leaf_rsa1024 "/CN=api.example.com" inter leaf key=k_rsa1024
key k_rsa_root rsa2048
cert root_rsa "/CN=Padlock RSA Root" self root key=k_rsa_root
key k_rsa_ee rsa2048
cert leaf_rsa "/CN=api.example.com" root_rsa leaf key=k_rsa_ee
cert leaf_pss "/CN=api.example.com" root_rsa leaf pss
key k_ed_root ed25519
cert root_ed "/CN=Padlock Ed25519 Root" self root key=k_ed_root
key k_ed_ee ed25519
cert leaf_ed "/CN=api.example.com" root_ed leaf key=k_ed_ee
key k_p384 ec384
cert root_p384 "/CN=Padlock P-384 Root" self root md=sha384 key=k_p384
key k_p521 ec521
cert leaf_p521 "/CN=api.example.com" root_p384 leaf md=sha512 key=k_p521

# Cross-signing: one intermediate (subject and key) certified by an expired root A and by a
# valid root B.
cert cross_a "/CN=Padlock Cross Root A" self root start=20100101000000Z end=20250101000000Z key=k_cross_a
cert cross_b "/CN=Padlock Cross Root B" self root key=k_cross_b
cert x_by_a "/CN=Padlock Cross Intermediate" cross_a ca key=xkey
cert x_by_b "/CN=Padlock Cross Intermediate" cross_b ca key=xkey
cert leaf_x "/CN=api.example.com" x_by_b leaf
# Key rollover: two roots with one name; the intermediate names no key identifier.
cert rr1 "/CN=Padlock Rollover Root" self root key=k_rr1
cert rr2 "/CN=Padlock Rollover Root" self root key=k_rr2
cert inter_rr "/CN=Padlock Rollover Intermediate" rr2 ca_noaki
cert leaf_rr "/CN=api.example.com" inter_rr leaf
# A loop: A certified by B, B by A; B also certified by the root (the way out).
cert loop_b_seed "/CN=Padlock Loop B" self root key=loopb
cert a_by_b "/CN=Padlock Loop A" loop_b_seed ca key=loopa
cert b_by_a "/CN=Padlock Loop B" a_by_b ca key=loopb
cert b_by_root "/CN=Padlock Loop B" root ca key=loopb
cert leaf_loop "/CN=api.example.com" a_by_b leaf

# Depth: root -> d1 -> ... -> d9.
prev=root
for i in 1 2 3 4 5 6 7 8 9; do
    cert "d$i" "/CN=Padlock Depth $i" "$prev" ca key=dkey
    prev=d$i
done
cert leaf_d8 "/CN=api.example.com" d8 leaf
cert leaf_d9 "/CN=api.example.com" d9 leaf

# Name constraints.
cert inter_ncdns "/CN=Padlock NC DNS" root ca_nc_dns
cert leaf_nc_ok "/CN=api.example.com" inter_ncdns leaf_api
cert leaf_nc_evil "/CN=evil.com" inter_ncdns leaf_evil
cert inter_ncexcl "/CN=Padlock NC Excluded" root ca_nc_excl
cert leaf_nc_secret "/CN=db.secret.example.com" inter_ncexcl leaf_secret
cert leaf_nc_wild "/CN=wild.example.com" inter_ncexcl leaf_wild
cert inter_ncip "/CN=Padlock NC IP" root ca_nc_ip
cert leaf_nc_ip_in "/CN=ip-in" inter_ncip leaf_ip_in
cert leaf_nc_ip_out "/CN=ip-out" inter_ncip leaf_ip_out
cert inter_ncemail "/CN=Padlock NC Email" root ca_nc_email
cert leaf_nc_email_bad "/CN=api.example.com" inter_ncemail leaf_email_bad
cert leaf_nc_email_subj "/CN=api.example.com/emailAddress=user@evil.com" inter_ncemail leaf_api
cert leaf_nc_email_ok "/CN=api.example.com" inter_ncemail leaf_email_ok
cert inter_ncdn "/CN=Padlock NC DirName" root ca_nc_dn
cert leaf_nc_dn_ok "/O=Good Org/CN=api.example.com" inter_ncdn leaf_api
cert leaf_nc_dn_bad "/O=Evil Org/CN=api.example.com" inter_ncdn leaf_api
cert root_nc "/CN=Padlock Constrained Root" self root_nc key=k_root_nc
cert inter_rnc "/CN=Padlock Intermediate Under Constrained Root" root_nc ca
cert leaf_rnc "/CN=api.example.com" inter_rnc leaf_api

# Revocation.
cert inter_crl "/CN=Padlock CRL Intermediate" root ca
cert leaf_good "/CN=api.example.com" inter_crl leaf
cert leaf_revoked "/CN=api.example.com" inter_crl leaf
revoke leaf_revoked inter_crl
crl inter_crl inter_crl
crl inter_crl_stale inter_crl 1
cert inter_rev "/CN=Padlock Revoked Intermediate" root ca
cert leaf_ir "/CN=api.example.com" inter_rev leaf
revoke inter_rev root
crl root root
crl inter_rev inter_rev
# The intermediate's CRL with one bit of its signature flipped.
openssl crl -in inter_crl.crl -outform DER -out inter_crl_badsig.crl.der
size=$(stat -c %s inter_crl_badsig.crl.der)
last=$(tail -c 1 inter_crl_badsig.crl.der | od -An -tu1 | tr -d ' ')
printf "$(printf '\\%03o' $((last ^ 1)))" |
    dd of=inter_crl_badsig.crl.der bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
openssl crl -inform DER -in inter_crl_badsig.crl.der -out inter_crl_badsig.crl

# A certificate with every extension padlock parses.
cert leaf_full "/C=US/O=Example Org/OU=Web/CN=api.example.com" inter leaf_full
