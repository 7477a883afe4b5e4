#!/bin/sh
# tests/cli/tsa.sh — the timestamp authority: a notary sets up a TSA under a CA, answers
# openssl's requests from files and over HTTP, and openssl accepts every token; serials
# never repeat, bad requests get rejections, the server stops on SIGTERM.
. "$(dirname "$0")/../lib.sh"
SRV=
trap 'if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null; fi; rm -rf "$T"' EXIT INT TERM

P="--passphrase-file $T/pass"
printf 'the treaty text\n' >"$T/doc.txt"
printf 'a forged treaty\n' >"$T/forged.txt"

# --help everywhere
for v in "" init stamp serve verify; do
	output_has "accord tsa $v --help" "usage: accord tsa" accord tsa $v --help
done

# set-up under a small CA
accord keys ca --name "Notary CA" --out "$T/ca" $P >/dev/null 2>&1
ok "tsa init under a CA" accord tsa init --dir "$T/tsa" --name "Notary TSA" \
	--ca-key "$T/ca.key" --ca-cert "$T/ca.crt" --ca-passphrase-file "$T/pass" $P
expect "tsa folder has key, certificate, chain, conf and serial" \
	test -f "$T/tsa/tsa.key" -a -f "$T/tsa/tsa.crt" -a -f "$T/tsa/chain.pem" -a -f "$T/tsa/tsa.conf" -a -f "$T/tsa/serial"
expect "tsa.key is private (0600)" test "$(stat -c %a "$T/tsa/tsa.key")" = 600
expect "tsa.key is encrypted" grep -q "ENCRYPTED PRIVATE KEY" "$T/tsa/tsa.key"
output_has "tsa.crt has the critical timeStamping EKU" "Extended Key Usage: critical" \
	openssl x509 -in "$T/tsa/tsa.crt" -noout -text
output_has "tsa.crt EKU is Time Stamping" "Time Stamping" openssl x509 -in "$T/tsa/tsa.crt" -noout -text
refuses "tsa init does not overwrite a TSA" 3 "exists" \
	accord tsa init --dir "$T/tsa" --name "Again" $P

# file mode: openssl asks, accord answers, openssl checks
openssl ts -query -data "$T/doc.txt" -sha256 -cert -out "$T/q.tsq" 2>/dev/null
ok "tsa stamp answers an openssl request" \
	accord tsa stamp --dir "$T/tsa" --request "$T/q.tsq" --out "$T/r.tsr" $P
output_has "openssl ts -verify accepts the token" "Verification: OK" \
	openssl ts -verify -data "$T/doc.txt" -in "$T/r.tsr" -CAfile "$T/ca.crt" -untrusted "$T/tsa/tsa.crt"
output_has "openssl ts -verify checks the request too (nonce, imprint)" "Verification: OK" \
	openssl ts -verify -queryfile "$T/q.tsq" -in "$T/r.tsr" -CAfile "$T/ca.crt" -untrusted "$T/tsa/tsa.crt"
openssl ts -reply -in "$T/r.tsr" -text >"$T/r.txt" 2>/dev/null
expect "reply is granted" grep -q "Status: Granted" "$T/r.txt"
expect "token has the default policy" grep -q "Policy OID: 1.3.6.1.4.1.32473.1.1" "$T/r.txt"
expect "token states accuracy 1 s" grep -q "Accuracy: 0x01 seconds" "$T/r.txt"
expect "token has a 128-bit serial" grep -Eq "Serial number: 0x[0-9A-F]{32}$" "$T/r.txt"
output_has "accord tsa verify accepts it" "^valid: .*Notary TSA" \
	accord tsa verify --reply "$T/r.tsr" --data "$T/doc.txt" --trust "$T/ca.crt"
refuses "other data is a HASH_FAILURE" 1 "HASH_FAILURE" \
	accord tsa verify --reply "$T/r.tsr" --data "$T/forged.txt" --trust "$T/ca.crt"
accord keys ca --name "Stranger CA" --out "$T/stranger" $P >/dev/null 2>&1
refuses "a TSA outside the trust anchors is NO_CERTIFICATE_CHAIN_FOUND" 1 "NO_CERTIFICATE_CHAIN_FOUND" \
	accord tsa verify --reply "$T/r.tsr" --data "$T/doc.txt" --trust "$T/stranger.crt"
refuses "tsa stamp does not overwrite a reply" 3 "exists" \
	accord tsa stamp --dir "$T/tsa" --request "$T/q.tsq" --out "$T/r.tsr" $P
ok "tsa stamp --force overwrites" \
	accord tsa stamp --dir "$T/tsa" --request "$T/q.tsq" --out "$T/r.tsr" --force $P

# bad requests: a rejection reply, never a crash
head -c 300 /dev/urandom >"$T/garbage.tsq"
refuses "a garbage request is refused" 1 "badDataFormat" \
	accord tsa stamp --dir "$T/tsa" --request "$T/garbage.tsq" --out "$T/g.tsr" $P
output_has "the garbage request got a rejection reply" "Status: Rejected" \
	openssl ts -reply -in "$T/g.tsr" -text
openssl ts -query -data "$T/doc.txt" -sha1 -out "$T/q1.tsq" 2>/dev/null
refuses "a SHA-1 request is refused with badAlg" 1 "badAlg" \
	accord tsa stamp --dir "$T/tsa" --request "$T/q1.tsq" --out "$T/r1.tsr" $P
output_has "the SHA-1 rejection names the algorithm" "unrecognized or unsupported algorithm" \
	openssl ts -reply -in "$T/r1.tsr" -text
refuses "a wrong passphrase is named" 1 "passphrase" \
	env ACCORD_PASSPHRASE=wrong "$ACCORD_BIN" tsa stamp --dir "$T/tsa" --request "$T/q.tsq" --out "$T/x.tsr"

# a self-signed RSA TSA, checked by openssl with its own certificate as the anchor
ok "tsa init self-signed RSA" accord tsa init --dir "$T/rsa" --name "RSA TSA" --algo rsa3072 $P
openssl ts -query -data "$T/doc.txt" -sha512 -cert -out "$T/q5.tsq" 2>/dev/null
accord tsa stamp --dir "$T/rsa" --request "$T/q5.tsq" --out "$T/r5.tsr" $P >/dev/null 2>&1
output_has "openssl accepts the RSA token (SHA-512 imprint)" "Verification: OK" \
	openssl ts -verify -data "$T/doc.txt" -in "$T/r5.tsr" -CAfile "$T/rsa/tsa.crt"

# a TSA folder holding a party certificate (no timeStamping EKU) is refused
accord keys generate --name "Just A Party" --out "$T/party" $P >/dev/null 2>&1
mkdir -p "$T/bad" && cp "$T/tsa/tsa.conf" "$T/tsa/serial" "$T/bad/" && cp -p "$T/party.key" "$T/bad/tsa.key" && cp "$T/party.crt" "$T/bad/tsa.crt"
refuses "a TSA without the timeStamping EKU refuses to stamp" 3 "timeStamping" \
	accord tsa stamp --dir "$T/bad" --request "$T/q.tsq" --out "$T/b.tsr" $P

# HTTP: serve on a free port, ask with curl, check with openssl
start_server() {
	: >"$T/serve.log"
	"$ACCORD_BIN" tsa serve --dir "$T/tsa" --listen 127.0.0.1:0 $P 2>"$T/serve.log" &
	SRV=$!
	i=0
	while ! grep -q "listening on" "$T/serve.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	ADDR=$(sed -n 's/^listening on //p' "$T/serve.log" | head -1)
}
stop_server() {
	kill -TERM "$SRV" 2>/dev/null
	wait "$SRV"
	STOP_RC=$?
	SRV=
}
post() { # request-file reply-file -> prints the HTTP status and content type
	curl -s -o "$2" -w '%{http_code} %{content_type}' --data-binary @"$1" \
		-H 'Content-Type: application/timestamp-query' "http://$ADDR/"
}
serial_of() { openssl ts -reply -in "$1" -text 2>/dev/null | sed -n 's/^Serial number: //p'; }

if ! command -v curl >/dev/null 2>&1; then
	skip "tsa serve (curl is not installed)"
	exit 0
fi
start_server
expect "tsa serve prints 'listening on ADDR:PORT'" test -n "$ADDR"
expect "POST gets 200 application/timestamp-reply" \
	test "$(post "$T/q.tsq" "$T/h.tsr")" = "200 application/timestamp-reply"
output_has "openssl accepts the token served over HTTP" "Verification: OK" \
	openssl ts -verify -queryfile "$T/q.tsq" -in "$T/h.tsr" -CAfile "$T/ca.crt" -untrusted "$T/tsa/tsa.crt"
expect "GET is refused with 405" \
	test "$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/")" = 405
expect "another Content-Type is refused with 415" \
	test "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$T/q.tsq" -H 'Content-Type: text/plain' "http://$ADDR/")" = 415
head -c 200000 /dev/zero >"$T/big.tsq"
expect "a body over the size limit is refused with 413" \
	test "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$T/big.tsq" -H 'Content-Type: application/timestamp-query' "http://$ADDR/")" = 413
post "$T/garbage.tsq" "$T/hg.tsr" >/dev/null
output_has "a garbage request over HTTP gets a rejection" "Status: Rejected" \
	openssl ts -reply -in "$T/hg.tsr" -text

# concurrent requests: every one answered, every serial distinct
for i in 1 2 3 4 5 6 7 8; do
	openssl ts -query -data "$T/doc.txt" -sha256 -cert -out "$T/c$i.tsq" 2>/dev/null
done
for i in 1 2 3 4 5 6 7 8; do post "$T/c$i.tsq" "$T/c$i.tsr" >"$T/c$i.code" & done
wait_ok=1
for i in 1 2 3 4 5 6 7 8; do
	while [ ! -s "$T/c$i.code" ]; do sleep 0.1; done
done
sleep 0.2
for i in 1 2 3 4 5 6 7 8; do
	openssl ts -verify -queryfile "$T/c$i.tsq" -in "$T/c$i.tsr" -CAfile "$T/ca.crt" \
		-untrusted "$T/tsa/tsa.crt" >/dev/null 2>&1 || wait_ok=0
	serial_of "$T/c$i.tsr"
done >"$T/serials1"
expect "8 concurrent requests all verified" test $wait_ok = 1
expect "8 concurrent requests got 8 distinct serials" \
	test "$(sort -u "$T/serials1" | grep -c .)" = 8
stop_server
expect "tsa serve stops cleanly on SIGTERM (exit $STOP_RC)" test "$STOP_RC" = 0
expect "tsa serve says it stopped" grep -q "stopped" "$T/serve.log"

# after a restart, serials continue: none seen before comes again
start_server
for i in 1 2 3; do post "$T/c$i.tsq" "$T/d$i.tsr" >/dev/null; serial_of "$T/d$i.tsr"; done >"$T/serials2"
stop_server
serial_of "$T/r.tsr" >>"$T/serials1"
serial_of "$T/h.tsr" >>"$T/serials1"
expect "after a restart 3 more tokens" test "$(grep -c . "$T/serials2")" = 3
expect "serials do not repeat across a restart" \
	test "$(cat "$T/serials1" "$T/serials2" | sort | uniq -d | grep -c .)" = 0
