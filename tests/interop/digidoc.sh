#!/bin/sh
# tests/interop/digidoc.sh — DigiDoc's verdict (libdigidocpp 4.5, ../shared/digidoc) on an
# accord package, the done-criterion of issue #10: two parallel B-LT signatures (RSA-3072
# and ECDSA P-256) timestamped by accord's TSA and given OCSP by accord's responder, both
# over HTTP, judged through the trusted list from `accord tsl make --qualified`; again
# after `extend --level LTA`. accord verifies the same packages through that list and
# through the CA alone. DigiDoc's checks are skipped, with the reason, where it is absent.
. "$(dirname "$0")/../lib.sh"
. "$TESTS/tools/digidoc.sh"
SRV=
trap 'for p in $SRV; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
P="--passphrase-file $T/pass"
CAP="--ca-key ca.key --ca-cert ca.crt --ca-passphrase-file $T/pass"

setup "the CA" accord keys ca --name "Interop CA" --org "Joint CSIRT" --country EE --out ca $P
setup "alice (RSA-3072)" accord keys issue $CAP --name alice --org "Ministry A" --country EE --algo rsa3072 --out alice $P
setup "bob (ECDSA P-256)" accord keys issue $CAP --name bob --org "Ministry B" --country EE --out bob $P
setup "the TSA" accord tsa init --dir tsa --name "Interop TSA" $CAP $P
setup "the OCSP responder" accord ocsp init --dir oc --name "Interop OCSP" $CAP $P
setup "the list's signer" accord keys generate --name "Interop TL signer" --org "Joint CSIRT" --country EE \
	--email tl@example.org --out tls $P
setup "the qualified trusted list" accord tsl make --out TL.xml --key tls.key --cert tls.crt $P \
	--ca ca.crt --tsa tsa/tsa.crt --ocsp oc/ocsp.crt --qualified --territory EE --operator "Joint CSIRT"
# accord's TSA and OCSP responder over HTTP on free ports; url_of LOG: the URL once it listens
"$ACCORD_BIN" tsa serve --dir tsa --listen 127.0.0.1:0 $P >/dev/null 2>tsa.log &
SRV="$!"
"$ACCORD_BIN" ocsp serve --dir oc --listen 127.0.0.1:0 $P >/dev/null 2>oc.log &
SRV="$SRV $!"
url_of() {
	i=0
	while [ $i -lt 100 ] && ! grep -q 'listening on' "$1" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	echo "http://$(sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' "$1" | head -1)/"
}
TSA_URL=$(url_of tsa.log)
OCSP_URL=$(url_of oc.log)
printf 'The agreement.\n' >agreement.txt
setup "the package" accord pack -o p.asice --kind agreement --party alice.crt --party bob.crt agreement.txt
ok "alice signs B-LT over HTTP (accord's TSA, then accord's OCSP responder)" \
	accord sign p.asice --key alice.key --cert alice.crt $P --tsa "$TSA_URL" --ocsp "$OCSP_URL" --trust ca.crt
ok "bob signs B-LT in parallel" \
	accord sign p.asice --key bob.key --cert bob.crt $P --tsa "$TSA_URL" --ocsp "$OCSP_URL" --trust ca.crt
for p in $SRV; do kill "$p" 2>/dev/null; done
SRV=
cp p.asice lta.asice
ok "extend --level LTA adds archive timestamps" accord extend lta.asice --level LTA --tsa-dir tsa --tsa-passphrase-file pass

for pkg in p.asice lta.asice; do
	output_has "accord verifies $pkg through the list alone: good by OCSP, VALID and COMPLETE" \
		"good by OCSP from 'Interop OCSP'.*VALID and COMPLETE" \
		sh -c "\"$ACCORD_BIN\" verify $pkg --no-trust-store --tsl TL.xml --tsl-cert tls.crt | tr '\n' ' '"
	output_has "accord verifies $pkg with --trust ca.crt: good by OCSP, VALID and COMPLETE" \
		"good by OCSP from 'Interop OCSP'.*VALID and COMPLETE" \
		sh -c "\"$ACCORD_BIN\" verify $pkg --no-trust-store --trust ca.crt | tr '\n' ' '"
done

if digidoc_find "$T/dd"; then
	for pkg in p.asice lta.asice; do
		"$DD/judge.sh" "$pkg" TL.xml tls.crt >"$pkg.judge" 2>&1
		rc=$?
		echo "    DigiDoc on $pkg: $(grep -E '^ +Signature [0-9]|^Container is|[Ee]xception|[Ee]rror|[Ww]arning' "$pkg.judge" | tr -s ' ' | tr '\n' ' ' | head -c 400)"
		# judge.sh says "valid" for a container without signatures too: both must be OK
		if [ $rc -eq 0 ] && [ "$(grep -c 'Validation: OK' "$pkg.judge")" = 2 ]; then pass "DigiDoc says \"Container is valid\" for $pkg (two B-LT signatures$([ $pkg = lta.asice ] && echo ', then LTA'))"
		else fail "DigiDoc's verdict on $pkg (judge.sh exit $rc)"; sed 's/^/    /' "$pkg.judge" | head -40; fi
	done
	expect "DigiDoc saw the OCSP responses and the archive timestamps" sh -c \
		"[ \$(grep -c 'OCSP Responder: Interop OCSP' p.asice.judge) = 2 ] && [ \$(grep -c 'time-stamp-archive' lta.asice.judge) = 2 ]"
else
	skip "DigiDoc's verdict: $DD_WHY"
fi
