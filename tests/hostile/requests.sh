#!/bin/sh
# tests/hostile/requests.sh — hostile requests to the OCSP responder and the TSA (what
# anyone who can reach `ocsp serve` or `tsa serve` may send), made by make_requests.py:
# each must get its answer (malformedRequest, unauthorized, badDataFormat) and exit code,
# never a crash or a hang (exit >= 124).
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1
P="--passphrase-file $T/pass"
SETUP_PREFIX="hostile request: "
hcase() { # NAME EXIT WORDS CMD...
	n=$1; want=$2; words=$3; shift 3
	timeout 30 "$@" >"$T/.out" 2>&1; got=$?
	if [ "$got" -lt 124 ] && [ "$got" = "$want" ] && grep -Eqi -- "$words" "$T/.out"; then
		pass "hostile request: $n"
	else
		fail "hostile request: $n (exit $got, wanted $want and /$words/)"; sed 's/^/    /' "$T/.out" | head -8
	fi
}
setup "CA" accord keys ca --name "Request CA" --out ca $P
setup "alice" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice $P
setup "responder" accord ocsp init --dir oc --name "Request OCSP" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass $P
setup "TSA" accord tsa init --dir tsa --name "Request TSA" $P
setup "an openssl request" openssl ocsp -issuer ca.crt -cert alice.crt -no_nonce -reqout q.der
openssl ocsp -reqin q.der -req_text >q.txt 2>&1
field() { sed -n "s/^ *$1: //p" q.txt | head -1; }
setup "generating the hostile requests" python3 "$TESTS/hostile/make_requests.py" r \
	"$(field 'Issuer Name Hash')" "$(field 'Issuer Key Hash')" "$(field 'Serial Number')"

# Small commands for timeout(1) to run (it cannot run shell functions).
cmd() { name=$1; shift; printf '#!/bin/sh\ncd "%s" || exit 3\n%s\n' "$T" "$*" >"$T/$name"; chmod +x "$T/$name"; }
cmd respond '"$ACCORD_BIN" ocsp respond --dir oc --request "r/$1.der" --out "r/$1.resp" --force --passphrase-file pass'
cmd status_of 'openssl ocsp -respin "r/$1.resp" -resp_text 2>&1 | grep -E "Response Status|Responder Error|Cert Status" | head -2'
cmd post 'curl -s -m 10 -o "r/$1.http" -w "%{http_code}" --data-binary @"r/$1.der" -H "Content-Type: application/ocsp-request" "http://$ADDR/"'
cmd stamp '"$ACCORD_BIN" tsa stamp --dir tsa --request "r/$1.der" --out "r/$1.tsr" --force --passphrase-file pass'
respond="$T/respond" status_of="$T/status_of" post="$T/post" stamp="$T/stamp"
hcase "control: a well-formed request is answered" 0 "written" "$respond" ok-control
hcase "control: the answer says good" 0 "Cert Status: good" "$status_of" ok-control
hcase "32 CertIDs (the limit) are answered" 0 "written" "$respond" ok-32-certids
for c in truncated trailing-garbage ber-indefinite-length ber-long-form-length \
	version-v1-written-out version-2 empty-request-list 33-certids 100-certids \
	non-minimal-serial negative-serial serial-of-40-bytes name-hash-19-bytes-for-sha1 \
	hash-parameters-not-null critical-false-written-out unknown-critical-extension \
	two-nonces empty-request-extensions nonce-of-80-bytes empty deep-nesting; do
	hcase "OCSP $c gets malformedRequest" 1 "malformedRequest" "$respond" "$c"
done
hcase "OCSP malformedRequest is what the response says" 1 "malformedrequest" \
	sh -c 'openssl ocsp -respin r/truncated.resp -resp_text 2>&1; exit 1'
hcase "OCSP CertID hashed with MD5 gets unauthorized" 1 "unauthorized" "$respond" md5-certid
hcase "OCSP request over 16 KiB is refused" 1 "larger|limit|too large" "$respond" huge-request

# over HTTP: the same answers, and paths that are not requests
"$ACCORD_BIN" ocsp serve --dir oc --listen 127.0.0.1:0 $P 2>serve.log &
SRV=$!
trap 'kill "$SRV" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
i=0
while ! grep -q "listening on" serve.log && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ADDR=$(sed -n 's/^listening on //p' serve.log)
export ADDR
hcase "HTTP: a BER request gets 200 and malformedRequest" 0 "^200$" "$post" ber-indefinite-length
hcase "HTTP: that answer is malformedRequest" 1 "malformedrequest" \
	sh -c 'openssl ocsp -respin r/ber-indefinite-length.http -resp_text 2>&1; exit 1'
hcase "HTTP: a request over 16 KiB gets 413" 0 "^413$" "$post" huge-request
hcase "HTTP: GET of a path that is not base64 gets 400" 0 "^400$" \
	curl -s -m 10 -o /dev/null -w '%{http_code}' "http://$ADDR/not%20base64%21"
hcase "HTTP: GET of an empty path gets 400" 0 "^400$" curl -s -m 10 -o /dev/null -w '%{http_code}' "http://$ADDR/"
long=$(head -c 30000 /dev/zero | tr '\0' 'A')
hcase "HTTP: GET of a 30 KB path is refused" 0 "^4[0-9][0-9]$" curl -s -m 10 -o /dev/null -w '%{http_code}' "http://$ADDR/$long"
kill -TERM "$SRV" 2>/dev/null
wait "$SRV"

# the TSA: DER only
hcase "TSA control: a DER request is granted" 0 "written" "$stamp" ok-tsq
hcase "TSA nonce INTEGER with a redundant leading byte" 1 "nonce is not a minimal INTEGER" "$stamp" tsq-non-minimal-nonce
hcase "TSA certReq FALSE written out" 1 "certReq FALSE" "$stamp" tsq-certreq-false-written-out
hcase "TSA empty extensions field" 1 "extensions is present but empty" "$stamp" tsq-empty-extensions
