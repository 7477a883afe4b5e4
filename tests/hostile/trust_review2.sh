#!/bin/sh
# tests/hostile/trust_review2.sh — second outside review of `accord verify` (trust engine
# after round 1, 0bed552). Each attack must never end in "VALID"; positive controls show
# a check cannot pass by verify refusing everything.
#   HOLE-n   an attack that succeeded on the code reviewed (0bed552), now closed; the root cause is
#            named above each.
#   GUARD-n  an attack refused today: kept to catch regressions.
. "$(dirname "$0")/../lib.sh"
pass() { echo "PASS: hostile trust review 2: $*"; }
fail() { echo "FAIL: hostile trust review 2: $*"; }
. "$TESTS/tools/trust_checks.sh"
cd "$T"

FUTURE=$(date -u -d '+1 year' +%y%m%d%H%M%SZ)
# openssl_crl CA.crt CA-KEY.pem OUT.crl [SERIAL REVTIME REASON]...: a CRL by openssl ca.
openssl_crl() {
	ca=$1 cakey=$2 out=$3; shift 3
	d=$T/oca.$(basename "$out"); mkdir -p "$d"; : >"$d/index.txt"; echo 01 >"$d/crlnumber"
	while [ $# -ge 3 ]; do
		printf 'R\t%s\t%s,%s\t%s\tunknown\t/CN=x%s\n' "$FUTURE" "$2" "$3" "$1" "$1" >>"$d/index.txt"
		shift 3
	done
	printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\ncrlnumber=%s/crlnumber\ndefault_md=sha256\ndefault_crl_days=30\ncrl_extensions=ext\n[ext]\nauthorityKeyIdentifier=keyid\n' "$d" "$d" >"$d/ca.cnf"
	openssl ca -config "$d/ca.cnf" -gencrl -keyfile "$cakey" -cert "$ca" -out "$out" >/dev/null 2>&1
}
# ocsp_index OUT [R|V SERIAL [REVTIME[,REASON]]]...: an openssl ocsp -index database.
ocsp_index() {
	out=$1; shift; : >"$out"
	while [ $# -ge 2 ]; do
		if [ "$1" = R ]; then printf 'R\t%s\t%s\t%s\tunknown\t/CN=x%s\n' "$FUTURE" "$3" "$2" "$2" >>"$out"; shift 3
		else printf 'V\t%s\t\t%s\tunknown\t/CN=x%s\n' "$FUTURE" "$2" "$2" >>"$out"; shift 2; fi
	done
}
# ocsp_resp INDEX ISSUER.crt ISSUER-KEY OUT REQ-ARGS...: openssl ocsp request + response.
ocsp_resp() {
	idx=$1 iss=$2 key=$3 out=$4; shift 4
	openssl ocsp -issuer "$iss" "$@" -reqout "$out.req" -no_nonce >/dev/null 2>&1 &&
		openssl ocsp -index "$idx" -CA "$iss" -rsigner "$iss" -rkey "$key" -reqin "$out.req" -respout "$out" -ndays 1 >/dev/null 2>&1
}

# ---- set-up: a root CA, alice and bob under it, a TSA under it ----
q accord keys ca --name "R2 CA" --out ca --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name bob --out bob --passphrase-file pass
q accord tsa init --dir tsa --name "R2 TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass
openssl pkey -in ca.key -passin file:pass -out ca-plain.pem 2>/dev/null; chmod 600 ca-plain.pem
printf 'The agreement.\n' >doc.txt
expect "set-up: CA, alice, bob and TSA exist" [ -s ca.crt -a -s alice.crt -a -s bob.crt -a -s tsa/tsa.crt ]
q accord pack -o p.asice --party alice.crt doc.txt
cp p.asice bb.asice
q accord sign bb.asice --key alice.key --cert alice.crt --passphrase-file pass
AS=$(serial alice.crt)

# ---- HOLE-1: an OCSP response with more than 64 SingleResponses ----
# RFC 6960 lets one response answer for many certificates. The CA's own response (signed
# by the CA) lists 70 other serials first and alice, revoked (keyCompromise, 2001), as the
# 71st: accord never looks past the 64th entry and says VALID, "no revocation data", with
# no finding. Root cause: verify/revocation.c:by_ocsp walks at most 64 SingleResponses
# (`idx < 64`) and treats an unseen entry as "no statement" (fail open; cf. round 1's
# HOLE-5 for serials).
many=""; for i in $(seq 1 70); do many="$many V $(printf %04X "$i")"; done
# shellcheck disable=SC2086
ocsp_index idx-many.txt $many R "$AS" 010101000000Z,keyCompromise
reqs=""; for i in $(seq 1 70); do reqs="$reqs -serial 0x$(printf %04x "$i")"; done
# shellcheck disable=SC2086
ocsp_resp idx-many.txt ca.crt ca-plain.pem ocsp-71.der $reqs -serial "0x$AS"
# shellcheck disable=SC2086
ocsp_resp idx-many.txt ca.crt ca-plain.pem ocsp-10.der $(echo "$reqs" | cut -d' ' -f1-19) -serial "0x$AS"
expect "HOLE-1 setup: the CA-signed responses hold 71 and 10 entries, the last revokes alice" sh -c \
	"openssl ocsp -respin ocsp-71.der -resp_text -noverify 2>/dev/null | grep -c 'Cert Status' | grep -qx 71 &&
	 openssl ocsp -respin ocsp-10.der -resp_text -noverify 2>/dev/null | grep -c 'Cert Status' | grep -qx 10 &&
	 openssl ocsp -respin ocsp-71.der -CAfile ca.crt -issuer ca.crt -serial 0x$AS -no_nonce 2>&1 | grep -q ': revoked'"
valid "HOLE-1 control: alice without OCSP: VALID" accord verify bb.asice --trust ca.crt
not_valid "GUARD-1: an OCSP response of 10 entries revoking alice (the 10th) is honoured" "revoked" \
	accord verify bb.asice --trust ca.crt --ocsp ocsp-10.der
not_valid "HOLE-1: an OCSP response of 71 entries revoking alice (the 71st) is honoured" "revoked|INDETERMINATE" \
	accord verify bb.asice --trust ca.crt --ocsp ocsp-71.der

# ---- HOLE-2: an OCSP CertID hashed with an algorithm GnuTLS does not read ----
# RFC 6960 4.1.1 lets the requester choose CertID.hashAlgorithm; the responder echoes it.
# The CA's response revoking alice with a RIPEMD-160 or SHA-512/224 CertID is skipped in
# silence (no finding): VALID. With SHA-1/SHA-256/SHA-512/MD5 the same response revokes.
# Root cause: verify/revocation.c:by_ocsp `continue`s when gnutls_ocsp_resp_get_single
# fails (unknown hash OID) and when gnutls_ocsp_resp_check_crt/cert_id_matches cannot
# hash, so an entry it cannot match is "not about this certificate" instead of evidence
# that cannot be read (fail open; by_crl fails closed on an unreadable serial).
ocsp_index idx-one.txt R "$AS" 010101000000Z,keyCompromise
for d in sha512 ripemd160 sha512-224; do
	ocsp_resp idx-one.txt ca.crt ca-plain.pem "ocsp-$d.der" "-$d" -serial "0x$AS"
done
expect "HOLE-2 setup: CA-signed responses revoke alice with CertID hashes sha512, ripemd160, sha512-224" sh -c \
	"for d in sha512 ripemd160 sha512-224; do openssl ocsp -respin ocsp-\$d.der -resp_text -noverify 2>/dev/null | grep -q \"Hash Algorithm: \$d\" &&
	 openssl ocsp -respin ocsp-\$d.der -resp_text -noverify 2>/dev/null | grep -q 'Cert Status: revoked' &&
	 openssl ocsp -respin ocsp-\$d.der -CAfile ca.crt -noverify -no_nonce >/dev/null 2>&1 || exit 1; done"
not_valid "GUARD-2: the CA's OCSP revocation with a SHA-512 CertID is honoured" "revoked" \
	accord verify bb.asice --trust ca.crt --ocsp ocsp-sha512.der
not_valid "HOLE-2a: the CA's OCSP revocation with a RIPEMD-160 CertID is not ignored" "revoked|INDETERMINATE" \
	accord verify bb.asice --trust ca.crt --ocsp ocsp-ripemd160.der
not_valid "HOLE-2b: the CA's OCSP revocation with a SHA-512/224 CertID is not ignored" "revoked|INDETERMINATE" \
	accord verify bb.asice --trust ca.crt --ocsp ocsp-sha512-224.der

# ---- HOLE-3: a re-issued intermediate without cRLSign hides the intermediate's CRL ----
# The root issued the intermediate "R2 Issuing" twice with the same name and key: int.crt
# (keyCertSign, cRLSign) and int-nocrl.crt (keyCertSign only, e.g. a re-issue or a
# cross-certificate). dan (issued by that key) is revoked in the CRL the intermediate's
# key signed. Signed with int.crt in KeyInfo: revoked. The signer (or a thief of dan's
# key) puts int-nocrl.crt in KeyInfo instead: the path is built through it, the CRL "does
# not verify with the signature key of 'R2 Issuing'" (it does: only the certificate's key
# usage differs), is only a finding, and dan is VALID. Root cause: verify/revocation.c:
# by_crl/crl_verified: gnutls_x509_crl_verify judges the CRL against the path certificate
# (its CA flag and cRLSign key usage), and any failure means "not used" (a finding)
# instead of "the CRL issuer's key revoked it" or fail closed; the evidence cache
# (crl_ok keyed by the issuer's key only) also carries such a result over to another
# certificate with the same key in the same signature (e.g. a TSA path's).
openssl ecparam -name prime256v1 -genkey -noout -out int.pem 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out dan.pem 2>/dev/null
chmod 600 int.pem dan.pem
openssl req -new -key int.pem -subj "/CN=R2 Issuing" -out int.csr 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >int.ext
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >int-nocrl.ext
openssl x509 -req -in int.csr -CA ca.crt -CAkey ca-plain.pem -set_serial 601 -days 30 -extfile int.ext -out int.crt 2>/dev/null
openssl x509 -req -in int.csr -CA ca.crt -CAkey ca-plain.pem -set_serial 602 -days 30 -extfile int-nocrl.ext -out int-nocrl.crt 2>/dev/null
openssl req -new -key dan.pem -subj "/CN=dan" -out dan.csr 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >ee.ext
openssl x509 -req -in dan.csr -CA int.crt -CAkey int.pem -set_serial 603 -days 30 -extfile ee.ext -out dan.crt 2>/dev/null
cat dan.crt int.crt >dan-a.pem
cat dan.crt int-nocrl.crt >dan-b.pem
q accord pack -o d.asice --party dan.crt doc.txt
cp d.asice da.asice; q accord sign da.asice --key dan.pem --cert dan-a.pem --passphrase-file pass
cp d.asice db.asice; q accord sign db.asice --key dan.pem --cert dan-b.pem --passphrase-file pass
openssl_crl int.crt int.pem int.crl "$(serial dan.crt)" 010101000000Z keyCompromise
expect "HOLE-3 setup: both intermediates verify under the root, same name and key; the CRL verifies with that key and lists dan" sh -c \
	"openssl verify -CAfile ca.crt int.crt int-nocrl.crt >/dev/null 2>&1 &&
	 [ \"\$(openssl x509 -in int.crt -noout -pubkey)\" = \"\$(openssl x509 -in int-nocrl.crt -noout -pubkey)\" ] &&
	 openssl crl -in int.crl -CAfile int.crt -noout 2>&1 | grep -q 'verify OK' &&
	 openssl crl -in int.crl -noout -text | grep -q '025B'"
valid "HOLE-3 control: dan without a CRL, through int-nocrl.crt: VALID" accord verify db.asice --trust ca.crt
not_valid "GUARD-3: dan through int.crt with the intermediate's CRL: revoked" "revoked" \
	accord verify da.asice --trust ca.crt --crl int.crl
not_valid "HOLE-3: dan through the re-issued int-nocrl.crt with the same CRL: not VALID" "revoked|INDETERMINATE" \
	accord verify db.asice --trust ca.crt --crl int.crl

# ---- GUARD-4: the root's OCSP response revoking the intermediate ----
ocsp_index idx-int.txt R "$(serial int.crt)" 010101000000Z,keyCompromise
ocsp_resp idx-int.txt ca.crt ca-plain.pem ocsp-int.der -cert int.crt
not_valid "GUARD-4: an OCSP response from the root revoking the intermediate makes dan not valid" "revoked" \
	accord verify da.asice --trust ca.crt --ocsp ocsp-int.der
# The attacker embeds a CA-signed "good" response for dan: it cannot outweigh the CRL.
ocsp_index idx-dan-good.txt V "$(serial dan.crt)"
openssl pkey -in int.pem -out int-plain.pem 2>/dev/null; chmod 600 int-plain.pem
ocsp_resp idx-dan-good.txt int.crt int-plain.pem ocsp-dan-good.der -cert dan.crt
unzip -p da.asice META-INF/signatures0.xml >da.xml
$XEDIT da.xml da-good.xml ocsp-add ocsp-dan-good.der
cp da.asice da-good.asice
python3 "$TESTS/tools/zipedit.py" da.asice da-good.asice --set META-INF/signatures0.xml da-good.xml >/dev/null 2>&1
valid "GUARD-5 control: dan with an embedded 'good' OCSP response from the intermediate: VALID" \
	accord verify da-good.asice --trust ca.crt
not_valid "GUARD-5: an embedded 'good' OCSP response does not outweigh the intermediate's CRL" "revoked" \
	accord verify da-good.asice --trust ca.crt --crl int.crl

# ---- GUARD-6: a countersignature by a declared party is not that party's signature ----
q accord pack -o two.asice --party alice.crt --party bob.crt doc.txt
q accord sign two.asice --key alice.key --cert alice.crt --passphrase-file pass
SID=$(accord list two.asice 2>/dev/null | grep -o 'S-[0-9a-f]*' | head -1)
q accord countersign two.asice --signature "$SID" --key bob.key --cert bob.crt --passphrase-file pass
expect "GUARD-6 setup: bob countersigned alice's signature" sh -c \
	"unzip -p two.asice META-INF/signatures0.xml | grep -q CounterSignature"
not_valid "GUARD-6: bob's countersignature does not meet bob's declared party (quorum 2)" \
	"INCOMPLETE|1 of 2" accord verify two.asice --trust ca.crt
cp two.asice two-b.asice
q accord sign two-b.asice --key bob.key --cert bob.crt --passphrase-file pass
valid "GUARD-6 control: bob also signs the package: VALID" accord verify two-b.asice --trust ca.crt

# ---- GUARD-7: a TSA revoked by OCSP (no reason code) after genTime ----
cp p.asice bt.asice
q accord sign bt.asice --key alice.key --cert alice.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass
sleep 1
ocsp_index idx-tsa.txt R "$(serial tsa/tsa.crt)" "$(date -u +%y%m%d%H%M%SZ)"
ocsp_resp idx-tsa.txt ca.crt ca-plain.pem ocsp-tsa.der -cert tsa/tsa.crt
valid "GUARD-7 control: the timestamped signature: VALID" accord verify bt.asice --trust ca.crt
not_valid "GUARD-7: a TSA revoked by OCSP without a reason code after genTime proves nothing" \
	"revoked|INDETERMINATE" accord verify bt.asice --trust ca.crt --ocsp ocsp-tsa.der

# ---- HOLE-4: timestamps x shared same-name decoys: every token re-runs the path search ----
# A TSA under the intermediate (its token carries only the TSA certificate). The signature
# holds one CertificateValues with 63 self-made decoys named "R2 Issuing" (with the real
# intermediate's SKI) before the real intermediate, and the same valid SignatureTimeStamp
# 400 times: every token's TSA path tries all 63 decoy signatures again (~25 KB of decoys
# shared by all tokens). 400 tokens: ~5 s instead of ~0.5 s; a 16 MiB signature file holds
# ~12000 tokens (minutes). Root cause: verify/signature.c:check_timestamps runs a full
# trust.c:accord_path_validate -> build per token over the signature's shared helpers;
# MAX_LINK_CHECKS bounds one search, not their number, and failed links are not
# remembered (the evidence cache covers CRLs and OCSP only).
openssl ecparam -name prime256v1 -genkey -noout -out itsa.pem 2>/dev/null; chmod 600 itsa.pem
openssl req -new -key itsa.pem -subj "/CN=R2 Int TSA" -out itsa.csr 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >itsa.ext
openssl x509 -req -in itsa.csr -CA int.crt -CAkey int.pem -set_serial 777 -days 30 -extfile itsa.ext -out itsa.crt 2>/dev/null
printf '[tsa]\ndefault_tsa=t\n[t]\ndir=.\nserial=./itsa-serial\ncrypto_device=builtin\nsigner_cert=./itsa.crt\nsigner_key=./itsa.pem\nsigner_digest=sha256\ndefault_policy=1.3.6.1.4.1.99999.1\ndigests=sha256\naccuracy=secs:1\ness_cert_id_alg=sha256\n' >itsa.cnf
echo 01 >itsa-serial
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=%s\n' \
	"$(openssl x509 -in int.crt -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' ')" >decoy.ext
: >decoys.pem
for i in $(seq 1 63); do
	openssl ecparam -name prime256v1 -genkey -noout -out dk.pem 2>/dev/null
	openssl req -new -key dk.pem -subj "/CN=R2 Issuing" -out dk.csr 2>/dev/null
	openssl x509 -req -in dk.csr -signkey dk.pem -days 30 -extfile decoy.ext 2>/dev/null >>decoys.pem
done
cp d.asice dt.asice
q accord sign dt.asice --key dan.pem --cert dan-a.pem --passphrase-file pass
q accord timestamp request dt.asice --out dt.tsq
openssl ts -reply -config itsa.cnf -queryfile dt.tsq -out dt.tsr >/dev/null 2>&1
q accord timestamp attach dt.asice --reply dt.tsr
unzip -p dt.asice META-INF/signatures0.xml >dt.xml
# tsbomb M DECOYS(0|1) OUT: int.crt moved from KeyInfo to CertificateValues (after the
# decoys when DECOYS=1), the SignatureTimeStamp repeated M times (distinct Ids).
tsbomb() {
	python3 - "$1" "$2" <<'PY' >"$3.xml"
import base64, re, sys
m, decoys = int(sys.argv[1]), sys.argv[2] == "1"
x = open("dt.xml").read()
pem = (open("decoys.pem").read() if decoys else "") + open("int.crt").read()
ders = [base64.b64decode("".join(b.split())) for b in re.findall(r"-----BEGIN CERTIFICATE-----(.*?)-----END", pem, re.S)]
certs = re.findall(r"<ds:X509Certificate>.*?</ds:X509Certificate>", x, re.S)
x = x.replace(certs[1], "", 1)
cv = "<xades:CertificateValues>" + "".join("<xades:EncapsulatedX509Certificate>%s</xades:EncapsulatedX509Certificate>" % base64.b64encode(d).decode() for d in ders) + "</xades:CertificateValues>"
ts = re.search(r"<xades:SignatureTimeStamp .*?</xades:SignatureTimeStamp>", x).group(0)
many = "".join(re.sub(r'Id="([^"]*)"', lambda g: 'Id="%s-%d"' % (g.group(1), i), ts, count=1) for i in range(m))
sys.stdout.write(x.replace(ts, many + cv, 1))
PY
	python3 "$TESTS/tools/zipedit.py" dt.asice "$3" --set META-INF/signatures0.xml "$3.xml" >/dev/null 2>&1
}
tsbomb 1 1 tsb1.asice
tsbomb 400 0 tsb400c.asice
tsbomb 400 1 tsb400.asice
expect "HOLE-4 setup: 400 tokens and 64 helper certificates in the bomb" sh -c \
	"[ \"\$(grep -o '<xades:SignatureTimeStamp ' tsb400.asice.xml | wc -l)\" = 400 ] &&
	 [ \"\$(grep -o '<xades:EncapsulatedX509Certificate>' tsb400.asice.xml | wc -l)\" = 64 ]"
valid "HOLE-4 control: one token from the TSA under the intermediate, 63 decoys: VALID" \
	accord verify tsb1.asice --trust ca.crt
start=$(date +%s)
timeout 20 "$ACCORD_BIN" verify tsb400c.asice --trust ca.crt >tsb.out 2>&1; rc=$?
took=$(( $(date +%s) - start ))
expect "HOLE-4 control: 400 tokens without decoys: VALID in under 3 s (took ${took}s, exit $rc)" \
	[ "$rc" = 0 -a "$took" -lt 3 ]
start=$(date +%s)
timeout 20 "$ACCORD_BIN" verify tsb400.asice --trust ca.crt >tsb.out 2>&1; rc=$?
took=$(( $(date +%s) - start ))
expect "HOLE-4: 400 tokens over 63 shared same-name decoys (~600 KB) verify in under 3 s (took ${took}s, exit $rc)" \
	[ "$rc" != 124 -a "$took" -lt 3 ]

# ---- HOLE-5 (found by the samples harness): a delegated OCSP responder that had expired ----
# A responder certified by the CA for OCSPSigning, whose certificate expired before it
# produced the response (digidoc4j's esteid2018signerAiaOcspLT). accord accepted it through
# GnuTLS's own delegation path when checking "signed by the issuer", which did not look at
# the responder's validity. Root cause: verify/revocation.c:responder_check fell back to
# gnutls_ocsp_resp_verify_direct(resp, issuer) whatever the ResponderID named. Now the
# issuer is tried only when the ResponderID names it, and offered evidence that cannot be
# believed makes the certificate's status unusable (not "no revocation data").
mkdir -p oca-resp && : >oca-resp/index.txt && echo 1000 >oca-resp/serial
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=oca-resp/index.txt\nserial=oca-resp/serial\nnew_certs_dir=oca-resp\ndefault_md=sha256\npolicy=p\nx509_extensions=ext\n[p]\ncommonName=supplied\n[ext]\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\n' >oca-resp/ca.cnf
q openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout resp-old.pem -subj "/CN=R2 old responder" -out resp-old.csr
q openssl ca -batch -config oca-resp/ca.cnf -cert ca.crt -keyfile ca-plain.pem -in resp-old.csr -out resp-old.crt \
	-startdate 20200101000000Z -enddate 20210101000000Z
q openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout resp-new.pem -subj "/CN=R2 responder" -out resp-new.csr
q openssl ca -batch -config oca-resp/ca.cnf -cert ca.crt -keyfile ca-plain.pem -in resp-new.csr -out resp-new.crt -days 30
ocsp_index idx-alice-good.txt V "$AS"
for r in old new; do
	openssl ocsp -issuer ca.crt -cert alice.crt -reqout "req-$r.der" -no_nonce >/dev/null 2>&1
	openssl ocsp -index idx-alice-good.txt -CA ca.crt -rsigner "resp-$r.crt" -rkey "resp-$r.pem" \
		-reqin "req-$r.der" -respout "ocsp-$r.der" -ndays 1 >/dev/null 2>&1
done
expect "HOLE-5 setup: two 'good' responses for alice, by an expired and a current delegated responder" sh -c \
	"openssl ocsp -respin ocsp-old.der -resp_text -noverify 2>/dev/null | grep -q 'R2 old responder' &&
	 openssl ocsp -respin ocsp-new.der -resp_text -noverify 2>/dev/null | grep -q 'CN = R2 responder' &&
	 openssl x509 -in resp-old.crt -noout -enddate | grep -q 2021"
valid "HOLE-5 control: a current delegated responder's 'good' response: VALID" \
	accord verify bb.asice --trust ca.crt --ocsp ocsp-new.der
output_has "HOLE-5 control: the report names the delegated responder" "good by OCSP from 'R2 responder'" \
	accord verify bb.asice --trust ca.crt --ocsp ocsp-new.der
not_valid "HOLE-5: a response by a responder that had expired when it produced it is not believed" \
	"acceptable revocation|authori[sz]ed responder" \
	accord verify bb.asice --trust ca.crt --ocsp ocsp-old.der
