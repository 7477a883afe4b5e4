#!/bin/sh
# tests/cli/ocsp.sh — the OCSP responder: a CA sets one up, issues and revokes, and the
# responder answers from the CA's records (good, revoked with reason, unknown) in file
# mode and over HTTP (POST and GET); openssl and ocsptool accept its responses, accord
# verify accepts openssl's; one client holding many slow connections starves neither the
# OCSP responder nor the TSA.
. "$(dirname "$0")/../lib.sh"
SRV=
TSRV=
trap 'for p in $SRV $TSRV; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
P="--passphrase-file $T/pass"
CAP="--ca-key ca.key --ca-cert ca.crt --ca-passphrase-file $T/pass"

for v in "" init respond serve; do
	output_has "accord ocsp $v --help" "usage: accord ocsp" accord ocsp $v --help
done

# the CA, its parties and its responder
setup "CA" accord keys ca --name "Closed CA" --out ca $P
setup "stranger CA" accord keys ca --name "Stranger CA" --out other $P
for who in alice bob carol; do
	setup "issue $who" accord keys issue $CAP --name "$who" --country FR --out "$who" $P
done
setup "stranger's party" accord keys issue --ca-key other.key --ca-cert other.crt \
	--ca-passphrase-file "$T/pass" --name mallory --out mallory $P
expect "keys issue records each certificate beside the CA key (ca.index)" \
	test "$(grep -c '^V	' ca.index)" = 3
ok "ocsp init under the CA" accord ocsp init --dir oc --name "Closed OCSP" $CAP $P
expect "responder folder has key, certificate, CA certificate and conf" \
	test -f oc/ocsp.key -a -f oc/ocsp.crt -a -f oc/ca.crt -a -f oc/ocsp.conf
expect "ocsp.key is private (0600)" test "$(stat -c %a oc/ocsp.key)" = 600
openssl x509 -in oc/ocsp.crt -noout -text >oc.txt 2>&1
expect "ocsp.crt has the OCSPSigning EKU" grep -q "OCSP Signing" oc.txt
expect "ocsp.crt has id-pkix-ocsp-nocheck" grep -q "OCSP No Check" oc.txt
expect "the responder's own certificate is recorded too" test "$(grep -c '^V	' ca.index)" = 4
refuses "ocsp init does not overwrite a responder" 3 "exists" accord ocsp init --dir oc --name Again $CAP $P
refuses "ocsp init wants a CA" 3 "ca-key" accord ocsp init --dir oc2 --name Lonely $P
refuses "ocsp init refuses ed25519 (SHA-256 signatures)" 3 "ed25519" \
	accord ocsp init --dir oc3 --name Ed --algo ed25519 $CAP $P

ok "keys revoke --reason keyCompromise" \
	accord keys revoke $CAP --out ca.crl --reason keyCompromise bob.crt
expect "the revocation is recorded with its reason" grep -q "^R	.*,keyCompromise	" ca.index
expect "keys revoke still writes the CRL" grep -q "BEGIN X509 CRL" ca.crl
refuses "an unknown --reason is refused" 3 "reason" accord keys revoke $CAP --out ca.crl --reason whim carol.crt

# file mode: openssl asks (SHA-1 CertIDs, a nonce), accord answers, openssl checks
openssl ocsp -issuer ca.crt -cert alice.crt -cert bob.crt -reqout q.der 2>/dev/null
ok "ocsp respond answers an openssl request" accord ocsp respond --dir oc --request q.der --out r.der $P
openssl ocsp -reqin q.der -respin r.der -CAfile ca.crt -resp_text >r.txt 2>&1
expect "openssl verifies accord's response (signature, responder, nonce)" grep -q "Response verify OK" r.txt
expect "openssl finds no nonce problem" test "$(grep -ci 'nonce' r.txt | tr -d ' ')" -ge 1 -a -z "$(grep -i 'nonce verify error\|no nonce' r.txt)"
expect "alice is good" grep -q "Cert Status: good" r.txt
expect "bob is revoked" grep -q "Cert Status: revoked" r.txt
expect "with reason keyCompromise" grep -q "Revocation Reason: keyCompromise" r.txt
expect "producedAt, thisUpdate and nextUpdate are set" \
	sh -c 'grep -q "Produced At:" r.txt && grep -q "This Update:" r.txt && grep -q "Next Update:" r.txt'
expect "responderID is byKey" grep -Eq "Responder Id: [0-9A-F]{40}$" r.txt
openssl ocsp -issuer ca.crt -serial 0x0123456789 -no_nonce -reqout qu.der 2>/dev/null
accord ocsp respond --dir oc --request qu.der --out ru.der $P >/dev/null 2>&1
output_has "a serial the CA never issued is unknown" "Cert Status: unknown" \
	openssl ocsp -respin ru.der -CAfile ca.crt -resp_text
output_has "no nonce asked, none given" "Response verify OK" \
	sh -c 'openssl ocsp -respin ru.der -CAfile ca.crt -resp_text 2>&1 | grep -v -i nonce'
openssl ocsp -sha256 -issuer ca.crt -cert carol.crt -reqout q256.der 2>/dev/null
accord ocsp respond --dir oc --request q256.der --out r256.der $P >/dev/null 2>&1
output_has "SHA-256 CertIDs are answered" "Hash Algorithm: sha256" \
	openssl ocsp -reqin q256.der -respin r256.der -CAfile ca.crt -resp_text
openssl ocsp -issuer other.crt -cert mallory.crt -reqout qx.der 2>/dev/null
refuses "a CertID of another CA gets unauthorized" 1 "unauthorized" \
	accord ocsp respond --dir oc --request qx.der --out rx.der $P
output_has "the unauthorized response is written" "Responder Error: unauthorized" \
	sh -c 'openssl ocsp -respin rx.der -resp_text 2>&1; true'
refuses "ocsp respond does not overwrite" 3 "exists" accord ocsp respond --dir oc --request q.der --out r.der $P
refuses "a wrong passphrase is named" 1 "passphrase" \
	env ACCORD_PASSPHRASE=wrong "$ACCORD_BIN" ocsp respond --dir oc --request q.der --out w.der
if command -v ocsptool >/dev/null 2>&1; then
	output_has "ocsptool --verify-response accepts accord's response" "Verifying OCSP Response: Success" \
		ocsptool --verify-response --load-signer ca.crt --infile r.der --inder
else
	skip "ocsptool (gnutls-bin is not installed)"
fi
ok "an RSA responder under the same CA" accord ocsp init --dir rsa --name "RSA OCSP" --algo rsa3072 $CAP $P
accord ocsp respond --dir rsa --request q.der --out rr.der $P >/dev/null 2>&1
output_has "openssl verifies the RSA responder's response" "Response verify OK" \
	openssl ocsp -reqin q.der -respin rr.der -CAfile ca.crt

# accord verify reads responses: accord's and openssl's (openssl ocsp -index reading the
# CA's records as they are: same format)
printf 'Article 1.\n' >a.txt
setup "pack for alice" accord pack -o pa.asice --party alice.crt a.txt
setup "pack for bob" accord pack -o pb.asice --party bob.crt a.txt
setup "alice signs" accord sign pa.asice --key alice.key --cert alice.crt $P
setup "bob signs" accord sign pb.asice --key bob.key --cert bob.crt $P
output_has "accord verify --ocsp with accord's response: good" "good by OCSP from 'Closed OCSP'" \
	accord verify pa.asice --trust ca.crt --ocsp r.der
openssl pkey -in oc/ocsp.key -passin "file:$T/pass" -out rkey.pem 2>/dev/null
openssl ocsp -issuer ca.crt -cert alice.crt -reqout qa.der 2>/dev/null
openssl ocsp -issuer ca.crt -cert bob.crt -reqout qb.der 2>/dev/null
openssl ocsp -index ca.index -CA ca.crt -rsigner oc/ocsp.crt -rkey rkey.pem -reqin qa.der \
	-respout oa.der -ndays 1 >/dev/null 2>&1
openssl ocsp -index ca.index -CA ca.crt -rsigner oc/ocsp.crt -rkey rkey.pem -reqin qb.der \
	-respout ob.der -ndays 1 >/dev/null 2>&1
output_has "openssl ocsp -index reads the CA's records (bob revoked)" "revoked" \
	openssl ocsp -issuer ca.crt -cert bob.crt -respin ob.der -CAfile ca.crt -no_nonce
output_has "accord verify with openssl's good response: VALID" "VALID and COMPLETE" \
	accord verify pa.asice --trust ca.crt --ocsp oa.der
refuses "accord verify with openssl's revoked response: revoked" 2 "revoked by OCSP" \
	accord verify pb.asice --trust ca.crt --ocsp ob.der

# HTTP: POST (openssl -url) and GET (RFC 6960 A.1)
if ! command -v curl >/dev/null 2>&1; then
	skip "ocsp serve (curl is not installed)"
	exit 0
fi
start() { # LOG VERB... -> PID in $!, ADDR from the log
	log=$1; shift
	: >"$log"
	"$ACCORD_BIN" "$@" --listen 127.0.0.1:0 $P 2>"$log" &
}
wait_addr() {
	i=0
	while ! grep -q "listening on" "$1" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	sed -n 's/^listening on //p' "$1" | head -1
}
start serve.log ocsp serve --dir oc
SRV=$!
ADDR=$(wait_addr serve.log)
expect "ocsp serve prints 'listening on ADDR:PORT'" test -n "$ADDR"
openssl ocsp -issuer ca.crt -cert alice.crt -cert bob.crt -url "http://$ADDR/" -CAfile ca.crt >post.txt 2>&1
expect "openssl ocsp -url (POST) verifies the response" grep -q "Response verify OK" post.txt
expect "over HTTP alice is good" grep -q "alice.crt: good" post.txt
expect "over HTTP bob is revoked" grep -q "bob.crt: revoked" post.txt
b64=$(base64 -w0 q.der | python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read().strip(), safe=""))')
expect "GET /BASE64 gets 200 application/ocsp-response" \
	test "$(curl -s -o get.der -w '%{http_code} %{content_type}' "http://$ADDR/$b64")" = "200 application/ocsp-response"
output_has "the GET response verifies, nonce included" "Response verify OK" \
	openssl ocsp -reqin q.der -respin get.der -CAfile ca.crt
if command -v ocsptool >/dev/null 2>&1; then
	output_has "ocsptool --ask over HTTP verifies" "Verifying OCSP Response: Success" \
		ocsptool --ask="http://$ADDR/" --load-issuer ca.crt --load-cert alice.crt --load-trust ca.crt
fi
expect "PUT is refused with 405" test "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "http://$ADDR/")" = 405
expect "another Content-Type is refused with 415" \
	test "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @q.der -H 'Content-Type: text/plain' "http://$ADDR/")" = 415
head -c 100000 /dev/zero >big.der
expect "a body over 16 KiB is refused with 413" \
	test "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @big.der -H 'Content-Type: application/ocsp-request' "http://$ADDR/")" = 413
head -c 300 /dev/urandom >garbage.der
curl -s -o gr.der --data-binary @garbage.der -H 'Content-Type: application/ocsp-request' "http://$ADDR/"
output_has "a garbage request over HTTP gets malformedRequest" "Responder Error: malformedrequest" \
	sh -c 'openssl ocsp -respin gr.der -resp_text 2>&1; true'

# abuse: one client (127.0.0.2) holds 300 half-sent requests to each server while
# another (127.0.0.1) is served; the servers keep 8 per client and drop idle ones after 5 s
setup "a TSA for the abuse test" accord tsa init --dir tsa --name "Abuse TSA" $CAP $P
start tserve.log tsa serve --dir tsa
TSRV=$!
TADDR=$(wait_addr tserve.log)
openssl ts -query -data a.txt -sha256 -cert -out t.tsq 2>/dev/null
python3 "$TESTS/tools/slow_clients.py" "${ADDR%:*}" "${ADDR#*:}" 300 7 >slow_ocsp.txt 2>&1 &
s1=$!
python3 "$TESTS/tools/slow_clients.py" "${TADDR%:*}" "${TADDR#*:}" 300 7 >slow_tsa.txt 2>&1 &
s2=$!
sleep 1.5
served_ocsp=0 served_tsa=0
for i in 1 2 3 4 5; do
	code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' --data-binary @q.der -H 'Content-Type: application/ocsp-request' "http://$ADDR/")
	[ "$code" = 200 ] && served_ocsp=$((served_ocsp + 1))
	code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' --data-binary @t.tsq -H 'Content-Type: application/timestamp-query' "http://$TADDR/")
	[ "$code" = 200 ] && served_tsa=$((served_tsa + 1))
done
wait $s1 $s2
expect "ocsp serve answers another client while one holds 300 slow connections" test $served_ocsp = 5
expect "tsa serve answers another client while one holds 300 slow connections" test $served_tsa = 5
held() { sed -n "s/^held \([0-9]*\) after $2s\$/\1/p" "$1"; }
expect "ocsp serve keeps at most 8 connections of one client (held $(held slow_ocsp.txt 1))" \
	test -n "$(held slow_ocsp.txt 1)" -a "$(held slow_ocsp.txt 1)" -le 8
expect "tsa serve keeps at most 8 connections of one client (held $(held slow_tsa.txt 1))" \
	test -n "$(held slow_tsa.txt 1)" -a "$(held slow_tsa.txt 1)" -le 8
expect "ocsp serve drops unfinished requests after its timeout" test "$(held slow_ocsp.txt 7)" = 0
expect "tsa serve drops unfinished requests after its timeout" test "$(held slow_tsa.txt 7)" = 0

for p in $SRV $TSRV; do kill -TERM "$p" 2>/dev/null; done
wait $SRV
rc=$?
wait $TSRV
SRV= TSRV=
expect "ocsp serve stops cleanly on SIGTERM (exit $rc)" test "$rc" = 0
