#!/bin/sh
# tests/hostile/tsl_review.sh — outside review of trusted lists (ETSI TS 119 612; merge
# fc2c424: formats/tsl_read.c, verify/tsl.c, anchor scopes in verify/trust.c, list OCSP
# responders in verify/revocation.c). Each attack must never end in "VALID" nor take
# unbounded time; positive controls show a check cannot pass by verify refusing
# everything.
#   HOLE-n   an attack that succeeds on the code reviewed (fc2c424): left failing for the
#            lead to fix; the root cause is named above each.
#   GUARD-n  an attack refused today: kept to catch regressions.
# Lists are made with `accord tsl make`, edited as text (tests/tools/tsledit.py or inline
# python) and, where the edit stands for what the list's operator signed, re-signed with
# xmlsec1 by the list's own signer; edits that stand for an attacker are not re-signed.
. "$(dirname "$0")/../lib.sh"
pass() { echo "PASS: hostile tsl review: $*"; }
fail() { echo "FAIL: hostile tsl review: $*"; }
. "$TESTS/tools/trust_checks.sh"
cd "$T" || exit 1
V() { timeout 30 "$ACCORD_BIN" "$@"; }
# VT PKG LIST [ARGS]: verify through the list alone, signed by tls.crt
VT() { p=$1 l=$2; shift 2; V verify "$p" --no-trust-store --tsl "$l" --tsl-cert tls.crt "$@"; }
EDIT="python3 $TESTS/tools/tsledit.py"
if ! command -v xmlsec1 >/dev/null 2>&1; then skip "hostile tsl review: xmlsec1 is not installed"; exit 0; fi
if ! command -v cc >/dev/null 2>&1 || ! cc -shared -fPIC -o faketime.so "$TESTS/tools/faketime.c" -ldl 2>/dev/null; then
	skip "hostile tsl review: no C compiler for tests/tools/faketime.c"; exit 0
fi
# resign IN OUT: IN (an edited list) signed again by the list's own signer (xmlsec1).
resign() {
	$EDIT template "$1" "$1.tmpl" &&
		xmlsec1 --sign --privkey-pem tls-plain.pem,tls.crt --enabled-reference-uris empty,same-doc \
			--id-attr:Id "http://uri.etsi.org/02231/v2#:TrustServiceStatusList" --output "$2" "$1.tmpl" 2>/dev/null
}
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
NOW=$(date -u +%s)
KEYS=$((NOW - 10 * 86400))          # the organisation's keys, and every signature, 10 days ago
SIGNED=$((KEYS + 3600))
W=$((NOW - 5 * 86400))              # the withdrawals below: 5 days ago
WISO=$(iso $W)
G2020=2020-01-01T00:00:00Z
# ft EPOCH CMD...: CMD with its clock starting at EPOCH (tests/tools/faketime.c)
ft() { faketime_run "$@"; }

# ---- set-up (10 days ago): a CA, alice, a TSA; alice signs a plain and a timestamped
# package. erin's certificate (by the CA) names an OCSP responder: it needs revocation
# data. xo: an outside OCSP responder nobody certified, trusted only through a list.
q ft "$KEYS" "$ACCORD_BIN" keys ca --name "TR CA" --out ca --passphrase-file pass
q ft "$KEYS" "$ACCORD_BIN" keys ca --name "TR Evil CA" --out evil --passphrase-file pass
q ft "$KEYS" "$ACCORD_BIN" keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass
q ft "$KEYS" "$ACCORD_BIN" keys issue --ca-key evil.key --ca-cert evil.crt --ca-passphrase-file pass --name mallory --out mallory --passphrase-file pass
q ft "$KEYS" "$ACCORD_BIN" tsa init --dir tsa --name "TR TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass
q accord keys generate --name "TR TL signer" --org Org --country EE --email tl@example.org --out tls --passphrase-file pass
q accord keys generate --name "TR Other signer" --org Org --country EE --email o@example.org --out other --passphrase-file pass
for k in ca tls other; do openssl pkey -in $k.key -passin file:pass -out $k-plain.pem 2>/dev/null; done
chmod 600 ./*-plain.pem
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout erin.pem -out erin.csr -subj "/CN=erin" >/dev/null 2>&1
openssl pkcs8 -topk8 -in erin.pem -v2 aes-256-cbc -passout file:pass -out erin.key 2>/dev/null
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nauthorityInfoAccess=OCSP;URI:http://ocsp.example.invalid\n' >erin.ext
ft "$KEYS" openssl x509 -req -in erin.csr -CA ca.crt -CAkey ca-plain.pem -CAcreateserial -days 365 -extfile erin.ext -out erin.crt >/dev/null 2>&1
ft "$KEYS" openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout xo.key -subj "/CN=TR Outside OCSP" -days 365 \
	-addext "extendedKeyUsage=critical,OCSPSigning" -addext "keyUsage=critical,digitalSignature" -out xo.crt >/dev/null 2>&1
printf 'The agreement.\n' >doc.txt
q accord pack -o p0.asice doc.txt
for s in a t e m; do cp p0.asice $s.asice; done
q ft "$SIGNED" "$ACCORD_BIN" sign a.asice --key alice.key --cert alice.crt --passphrase-file pass
q ft "$SIGNED" "$ACCORD_BIN" sign t.asice --key alice.key --cert alice.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass
q ft "$SIGNED" "$ACCORD_BIN" sign e.asice --key erin.key --cert erin.crt --passphrase-file pass
q ft "$SIGNED" "$ACCORD_BIN" sign m.asice --key mallory.key --cert mallory.crt --passphrase-file pass
# OCSP: xo says erin is good (a response produced now, with and without xo's certificate)
FUTURE=$(date -u -d '+1 year' +%y%m%d%H%M%SZ)
printf 'V\t%s\t\t%s\tunknown\t/CN=erin\n' "$FUTURE" "$(serial erin.crt)" >idx-good
openssl ocsp -issuer ca.crt -cert erin.crt -reqout erin.req -no_nonce >/dev/null 2>&1
openssl ocsp -index idx-good -rsigner xo.crt -rkey xo.key -CA ca.crt -reqin erin.req -respout xo-good.der -ndays 1 >/dev/null 2>&1
openssl ocsp -index idx-good -rsigner xo.crt -rkey xo.key -CA ca.crt -reqin erin.req -respout xo-nocert.der -resp_no_certs -ndays 1 >/dev/null 2>&1
# the lists: TL (CA, TSA, xo as OCSP; services 0, 1, 2)
q accord tsl make --out TL.xml --key tls.key --cert tls.crt --passphrase-file pass --ca ca.crt --tsa tsa/tsa.crt --ocsp xo.crt
expect "set-up: keys, packages, OCSP responses and the list exist" sh -c \
	'for f in ca.crt alice.crt erin.crt xo.crt tsa/tsa.crt a.asice t.asice e.asice m.asice xo-good.der xo-nocert.der TL.xml; do [ -s $f ] || exit 1; done;
	 openssl ocsp -respin xo-nocert.der -resp_text -noverify 2>/dev/null | grep -q "Cert Status: good" &&
	 ! openssl ocsp -respin xo-nocert.der -resp_text -noverify 2>/dev/null | grep -q "BEGIN CERT"'
valid "control: alice's plain signature through the list" VT a.asice TL.xml
valid "control: alice's timestamped signature through the list" VT t.asice TL.xml
not_valid "control: erin (names an OCSP responder) without a response: TRY_LATER" "TRY_LATER" VT e.asice TL.xml
valid "control: erin with xo's good response, xo trusted as the list's OCSP service" VT e.asice TL.xml --ocsp xo-good.der
valid "control: the same without xo's certificate in the response (named by ResponderID)" VT e.asice TL.xml --ocsp xo-nocert.der

# ==== 1. OCSP responders trusted through a list (verify/revocation.c) ====
$EDIT status TL.xml ow.xml 2 withdrawn "$WISO" granted $G2020 && resign ow.xml ow.signed
q accord tsl make --out oca.xml --key tls.key --cert tls.crt --passphrase-file pass --ca ca.crt --ca xo.crt --tsa tsa/tsa.crt
q accord tsl make --out otsa.xml --key tls.key --cert tls.crt --passphrase-file pass --ca ca.crt --tsa tsa/tsa.crt --tsa xo.crt
$EDIT status TL.xml ofut.xml 2 granted 2099-01-01T00:00:00Z && resign ofut.xml ofut.signed
expect "HOLE-1 setup: lists with xo's OCSP service withdrawn 5 days ago, xo as a CA, xo as a TSA, xo granted from 2099" \
	[ -s ow.signed -a -s oca.xml -a -s otsa.xml -a -s ofut.signed ]
# ---- HOLE-1: a list responder outside its scope, named by ResponderID ----
# xo's Certstatus/OCSP service was withdrawn 5 days ago (granted since 2020 before); its
# response (produced now) says erin is good, and erin is VALID: whether the response
# carries xo's certificate or not (-resp_no_certs, named by its ResponderID). The same
# holds when the list names xo only as a CA (CA/PKC) or a TSA service, or grants its
# OCSP service only from 2099: any list anchor with the OCSPSigning EKU, ever granted for
# anything, answers for any certificate. Root cause: verify/revocation.c:responder_check,
# the second loop ("A responder trusted directly ... that the response does not carry:
# named by its ResponderID") takes every t->anchors[i] with has_ocsp_eku() and never calls
# accord_anchor_serves(t, i, ACCORD_PURPOSE_OCSP, produced) (the first loop does, through
# trusted_responder), and it runs also when the first loop refused the carried
# certificate for being out of scope (so carrying it does not help). Fix: in that loop `continue` unless
# accord_anchor_serves(t, i, ACCORD_PURPOSE_OCSP, produced) (one helper for both loops).
not_valid "HOLE-1a: a response (carrying its certificate) from a responder whose OCSP service was withdrawn" "not.*authori|TRY_LATER|INDETERMINATE" \
	VT e.asice ow.signed --ocsp xo-good.der
not_valid "HOLE-1b: the same response without the certificate (named by ResponderID)" "not.*authori|TRY_LATER|INDETERMINATE" \
	VT e.asice ow.signed --ocsp xo-nocert.der
not_valid "HOLE-1c: a response from a certificate the list names only as a CA (CA/PKC)" "not.*authori|TRY_LATER|INDETERMINATE" \
	VT e.asice oca.xml --ocsp xo-nocert.der
not_valid "HOLE-1d: a response from a certificate the list names only as a TSA" "not.*authori|TRY_LATER|INDETERMINATE" \
	VT e.asice otsa.xml --ocsp xo-nocert.der
not_valid "HOLE-1e: a response carrying the certificate of a responder granted only from 2099" "not.*authori|TRY_LATER|INDETERMINATE" \
	VT e.asice ofut.signed --ocsp xo-good.der
# A list responder answers for certificates of any CA (local configuration), but its
# "good" never outweighs the CA's own CRL revoking the certificate.
q accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --out erin.crl erin.crt
not_valid "GUARD-1: xo's good (list-trusted) does not outweigh the CA's CRL revoking erin" "revoked" \
	VT e.asice TL.xml --ocsp xo-good.der --crl erin.crl

# ==== 2. status history and the time a service is judged at (verify/tsl.c) ====
# hist IN OUT N CUR_STATUS CUR_TIME [STATUS TIME]...: service N's current status and its
# ServiceHistory, history instances in the order given.
cat >hist.py <<'PY'
import re, sys
ST = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
src, dst, n, cur, since = sys.argv[1:6]
hist = sys.argv[6:]
x = open(src).read()
spans = [m.span() for m in re.finditer(r"<tsl:TSPService>.*?</tsl:TSPService>", x, re.S)]
a, b = spans[int(n)]
s = x[a:b]
s = re.sub(r"<tsl:ServiceStatus>[^<]*<", "<tsl:ServiceStatus>" + ST + cur + "<", s)
s = re.sub(r"<tsl:StatusStartingTime>[^<]*<", "<tsl:StatusStartingTime>" + since + "<", s, count=1)
info = re.search(r"<tsl:ServiceInformation>(.*?)<tsl:ServiceStatus>", s, re.S).group(1)
if hist:
    h = "".join("<tsl:ServiceHistoryInstance>" + info + "<tsl:ServiceStatus>" + ST + hist[i] +
                "</tsl:ServiceStatus><tsl:StatusStartingTime>" + hist[i + 1] +
                "</tsl:StatusStartingTime></tsl:ServiceHistoryInstance>" for i in range(0, len(hist), 2))
    s = s.replace("</tsl:ServiceInformation>", "</tsl:ServiceInformation><tsl:ServiceHistory>" + h + "</tsl:ServiceHistory>")
open(dst, "w").write(x[:a] + s + x[b:])
PY
HIST="python3 hist.py"
$HIST TL.xml wd.xml 0 withdrawn "$WISO" granted $G2020 && resign wd.xml wd.signed
$HIST TL.xml tie.xml 0 withdrawn "$WISO" granted "$WISO" && resign tie.xml tie.signed
$HIST TL.xml late.xml 0 withdrawn 2021-01-01T00:00:00Z granted "$WISO" && resign late.xml late.signed
$HIST TL.xml unsorted.xml 0 withdrawn "$WISO" granted 2022-01-01T00:00:00Z withdrawn 2021-01-01T00:00:00Z granted $G2020 &&
	resign unsorted.xml unsorted.signed
$HIST TL.xml tz.xml 0 granted 2020-01-01T01:00:00+01:00 && resign tz.xml tz.signed
$HIST TL.xml frac.xml 0 granted 2020-01-01T00:00:00.999999Z && resign frac.xml frac.signed
$HIST TL.xml y2038.xml 0 granted 2038-01-19T03:14:08Z && resign y2038.xml y2038.signed
$HIST TL.xml y2038w.xml 0 withdrawn 2038-01-19T03:14:08Z granted $G2020 && resign y2038w.xml y2038w.signed
$HIST TL.xml far.xml 0 withdrawn 9999-12-31T23:59:59Z granted $G2020 && resign far.xml far.signed
expect "set-up: eleven re-signed lists with edited status histories" sh -c \
	'for f in wd tie late unsorted tz frac y2038 y2038w far; do [ -s $f.signed ] || exit 1; done'
# The CA was withdrawn 5 days ago; alice signed 10 days ago (her claimed SigningTime).
not_valid "GUARD-2a: a CA withdrawn since: alice's claimed (earlier) SigningTime does not count, judged now" \
	"not trusted for signing at" VT a.asice wd.signed
valid "GUARD-2a control: a timestamp from before the withdrawal proves the signature existed" VT t.asice wd.signed
valid "GUARD-2a control: --at before the withdrawal (the verifier's choice) judges then" \
	VT a.asice wd.signed --at "$(iso $((NOW - 7 * 86400)))"
not_valid "GUARD-2b: an unsorted history (granted 2020, withdrawn 2021, granted 2022, withdrawn now) is sorted" \
	"not trusted for signing at" VT a.asice unsorted.signed
valid "GUARD-2b control: the same history trusts a signature timestamped inside the 2022 grant" VT t.asice unsorted.signed
# ---- HOLE-2: the current status does not prevail over the history ----
# The service's current status (ServiceInformation) is "withdrawn since W"; a history
# instance says "granted since W" (the same instant) or "granted since W" while the
# current withdrawal dates from 2021 (a history instance dated after the current
# status, which TS 119 612 5.6 forbids: the history holds the earlier statuses, newest
# first). accord sorts all statuses by StatusStartingTime only, keeping document order
# for ties (the current status first), so the history's grant comes last and holds
# "until the next one" = forever: alice, judged now, is VALID under a service whose
# current status is withdrawn. Root cause: verify/tsl.c:service_scope (the insertion sort
# and `until = k + 1 < n ? ... : 0`); the current status is not treated as the one that
# holds from its StatusStartingTime on. Fix: the current status always holds from its
# StatusStartingTime with no end; each history instance ends at the start of the next
# newer one and never after the current status starts (clip history periods to
# < statuses[0].since), or refuse a list whose history instances are not strictly older
# than the current status (and than each other).
not_valid "HOLE-2a: current status withdrawn since W, a history instance granted since the same W" \
	"not trusted for signing at|no trusted path" VT a.asice tie.signed
not_valid "HOLE-2b: current status withdrawn since 2021, a history instance granted since W (after it)" \
	"not trusted for signing at|no trusted path" VT a.asice late.signed
fails_with "GUARD-2c: a StatusStartingTime with a time zone (+01:00) is refused, not misread" "UTC|StatusStartingTime" \
	VT a.asice tz.signed
valid "GUARD-2c control: fractional seconds are read" VT a.asice frac.signed
not_valid "GUARD-2d: granted only from 2038-01-19T03:14:08Z (past 2^31 s) gives no trust today" \
	"not trusted for signing at" VT a.asice y2038.signed
valid "GUARD-2d control: withdrawn only from 2038-01-19T03:14:08Z still trusts today" VT a.asice y2038w.signed
valid "GUARD-2d control: withdrawn only from 9999-12-31 still trusts today" VT a.asice far.signed

# ==== 3. service types, anchors listed twice, anchor copies, --trust with --tsl ====
# CA in two services: TSA (granted) and CA/PKC (withdrawn 5 days ago).
q accord tsl make --out two.xml --key tls.key --cert tls.crt --passphrase-file pass --ca ca.crt --tsa ca.crt --tsa tsa/tsa.crt
$HIST two.xml two2.xml 0 withdrawn "$WISO" granted $G2020 && resign two2.xml two.signed
# a re-issued copy of the CA certificate: same name, same key, self-signed anew
openssl x509 -in ca.crt -signkey ca-plain.pem -set_serial 4242 -days 30 -out ca-copy.crt >/dev/null 2>&1
unzip -p a.asice META-INF/signatures0.xml >a.xml
$XEDIT a.xml a-copy.xml keyinfo-add ca-copy.crt && $ZIPEDIT a.asice a-copy.asice --set META-INF/signatures0.xml a-copy.xml >/dev/null 2>&1
q accord tsl make --out tsaca.xml --key tls.key --cert tls.crt --passphrase-file pass --ca ca.crt --ca tsa/tsa.crt
q accord tsl make --out leaf.xml --key tls.key --cert tls.crt --passphrase-file pass --tsa alice.crt --tsa tsa/tsa.crt
q accord tsl make --out tsaonly.xml --key tls.key --cert tls.crt --passphrase-file pass --tsa ca.crt --tsa tsa/tsa.crt
expect "set-up: lists with the CA twice, the TSA as a CA, alice's leaf as a TSA; alice's signature with a CA copy" sh -c \
	'[ -s two.signed -a -s tsaca.xml -a -s leaf.xml -a -s tsaonly.xml -a -s a-copy.asice ] &&
	 [ "$(openssl x509 -in ca.crt -noout -subject -pubkey)" = "$(openssl x509 -in ca-copy.crt -noout -subject -pubkey)" ] &&
	 ! cmp -s ca.crt ca-copy.crt'
valid "GUARD-3 control: the CA's copy in KeyInfo does not disturb the plain list" VT a-copy.asice TL.xml
not_valid "GUARD-3a: a CA listed as TSA (granted) and CA/PKC (withdrawn): not a signer's CA now" \
	"not trusted for signing" VT a.asice two.signed
not_valid "GUARD-3b: the same with a re-issued copy of the CA (same key and name) in KeyInfo" \
	"not trusted for signing|NO_CERTIFICATE_CHAIN" VT a-copy.asice two.signed
valid "GUARD-3b control: the CA given with --trust beside that list is trusted (--trust serves all)" \
	VT a.asice two.signed --trust ca.crt
not_valid "GUARD-3c: the TSA's certificate listed only as a CA (CA/PKC) does not vouch for its timestamps" \
	"timestamp|TSA" VT t.asice tsaca.xml
not_valid "GUARD-3d: alice's own certificate listed as a TSA service is not pinned as a signer" \
	"not trusted for signing|NO_CERTIFICATE_CHAIN" VT a.asice leaf.xml
not_valid "GUARD-3e: --trust anchors given first do not shift the list's scopes (CA listed as TSA)" \
	"not trusted for signing|NO_CERTIFICATE_CHAIN" VT a.asice tsaonly.xml --trust evil.crt --trust xo.crt
cp p0.asice tl.asice; q accord sign tl.asice --key tls.key --cert tls.crt --passphrase-file pass
not_valid "GUARD-3f: the list's signer is not an anchor for anything" "NO_CERTIFICATE_CHAIN" VT tl.asice TL.xml

# ==== 4. the list's signature: wrapping, KeyInfo, XML tricks (formats/tsl_read.c) ====
# Edits an attacker makes to the operator's signed list (not re-signed). EVIL: mallory's
# CA as a CA/PKC service.
EVIL=$(openssl x509 -in evil.crt -outform DER | base64 -w0)
cat >wrap.py <<'PY'
import re, sys
op, src, dst, evil = sys.argv[1:5]
x = open(src).read()
svc = re.search(r"<tsl:TSPService>.*?</tsl:TSPService>", x, re.S).group(0)
esvc = re.sub(r"<tsl:X509Certificate>[^<]*<", "<tsl:X509Certificate>" + evil + "<", svc)
rid = re.search(r'<tsl:TrustServiceStatusList[^>]* Id="([^"]*)"', x).group(1)
body = re.sub(r"^<\?xml[^>]*>\s*", "", x)
if op == "object-list":      # a second, unsigned list with the evil service in ds:Object
    second = re.sub(r"<ds:Signature.*</ds:Signature>", "", body, flags=re.S)
    second = second.replace(' Id="%s"' % rid, "", 1).replace("</tsl:TSPServices>", esvc + "</tsl:TSPServices>", 1)
    x = x.replace("</ds:KeyInfo>", "</ds:KeyInfo><ds:Object>" + second + "</ds:Object>", 1)
elif op == "object-id":      # an element in ds:Object carrying the root's Id too
    x = x.replace('<ds:Reference URI="">', '<ds:Reference URI="#%s">' % rid, 1)
    x = x.replace("</ds:KeyInfo>", '</ds:KeyInfo><ds:Object><tsl:TrustServiceStatusList Id="%s"/></ds:Object>' % rid, 1)
elif op == "foreign":        # the evil service inside a foreign element of the provider list
    x = x.replace("</tsl:TSPServices>", '<x:Ext xmlns:x="urn:x">' + esvc + "</x:Ext></tsl:TSPServices>", 1)
elif op == "comments":       # comments and CDATA splitting text the list is read from
    def split(m):
        t = m.group(2)
        return m.group(1) + t[:10] + "<!-- x -->" + t[10:40] + "<![CDATA[" + t[40:60] + "]]>" + t[60:] + m.group(3)
    x = re.sub(r"(<tsl:X509Certificate>)([^<]*)(</tsl:X509Certificate>)", split, x, count=1)
    x = re.sub(r"(<tsl:ServiceStatus>)([^<]*)(</tsl:ServiceStatus>)",
               lambda m: m.group(1) + m.group(2).replace("Svcstatus/", "Svcstatus/<!--granted-->") + m.group(3), x, count=1)
elif op == "unused-ns":      # namespace declarations exclusive C14N does not render
    x = x.replace("<tsl:ServiceDigitalIdentity>", '<tsl:ServiceDigitalIdentity xmlns="urn:evil" xmlns:e="urn:evil">', 1)
elif op == "keyinfo-both":   # KeyInfo: the signer's own certificate, then the expected one
    x = x.replace("</ds:X509Data>", "<ds:X509Certificate>" + evil + "</ds:X509Certificate></ds:X509Data>", 1)
open(dst, "w").write(x)
PY
TLS=$(openssl x509 -in tls.crt -outform DER | base64 -w0)
q accord tsl make --out otl.xml --key other.key --cert other.crt --passphrase-file pass --ca ca.crt --ca evil.crt
for op in object-list object-id foreign comments unused-ns; do python3 wrap.py $op TL.xml w-$op.xml "$EVIL"; done
python3 wrap.py comments wd.signed w-wd-comments.xml "$EVIL"
python3 wrap.py keyinfo-both otl.xml w-keyinfo.xml "$TLS"
expect "set-up: seven edited lists" sh -c 'for f in object-list object-id foreign comments unused-ns wd-comments keyinfo; do [ -s w-$f.xml ] || exit 1; done'
valid "GUARD-4 control: mallory is trusted when the operator lists the evil CA (signed by the other signer)" \
	V verify m.asice --no-trust-store --tsl otl.xml --tsl-cert other.crt
not_valid "GUARD-4a: a second, unsigned list with the evil CA inside ds:Object gives mallory no trust" \
	"NO_CERTIFICATE_CHAIN|refused|signature|list" VT m.asice w-object-list.xml
fails_with "GUARD-4b: URI=#Id with a ds:Object element carrying the root's Id too is refused" "several elements" \
	VT a.asice w-object-id.xml
fails_with "GUARD-4c: the evil service inside a foreign element of TSPServices is refused" "changed after it was signed" \
	VT m.asice w-foreign.xml
valid "GUARD-4d control: comments and CDATA added inside a certificate and a status are harmless (same reading)" \
	VT a.asice w-comments.xml
not_valid "GUARD-4d: a comment 'granted' spliced into a withdrawn status URI leaves it withdrawn" \
	"not trusted for signing" VT a.asice w-wd-comments.xml
valid "GUARD-4e control: unused namespace declarations (not rendered by exclusive C14N) read the same" \
	VT a.asice w-unused-ns.xml
fails_with "GUARD-4f: another signer's list whose KeyInfo adds --tsl-cert is refused" "does not verify" \
	VT m.asice w-keyinfo.xml
cat tls.crt other.crt >both.crt
refuses "GUARD-4g: a --tsl-cert file holding two certificates is a usage error" 3 "exactly one" \
	V verify a.asice --no-trust-store --tsl TL.xml --tsl-cert both.crt
refuses "GUARD-4g: two --tsl and one --tsl-cert is a usage error" 3 "one --tsl-cert for each" \
	V verify a.asice --no-trust-store --tsl TL.xml --tsl otl.xml --tsl-cert tls.crt
fails_with "GUARD-4h: pairs are taken in order (the lists' signers swapped: refused)" "not signed with the given" \
	V verify m.asice --no-trust-store --tsl TL.xml --tsl otl.xml --tsl-cert other.crt --tsl-cert tls.crt

# ==== 5. NextUpdate (verify/tsl.c:accord_tsl_add) ====
$EDIT next-update TL.xml old.xml 2021-01-01T00:00:00Z && resign old.xml old.signed
python3 -c "
import re
x = open('TL.xml').read()
x = re.sub(r'<tsl:NextUpdate>.*?</tsl:NextUpdate>', '<tsl:NextUpdate/>', x, flags=re.S)
open('closed.xml', 'w').write(x)" && resign closed.xml closed.signed
expect "set-up: a list whose NextUpdate passed in 2021, and a closed list (empty NextUpdate)" sh -c \
	'[ -s old.signed -a -s closed.signed ] && grep -q "<tsl:NextUpdate/>" closed.signed'
fails_with "GUARD-5: a list whose NextUpdate passed fails under --strict" "NextUpdate" VT a.asice old.signed --strict
# ---- HOLE-3: a closed list is used forever without a word ----
# TS 119 612 5.3.15: a list without NextUpdate/dateTime is closed (the scheme ceased; no
# newer list will come). accord reads next_update = 0 and skips the NextUpdate policy:
# no finding, and --strict says VALID, while a list merely past its NextUpdate warns and
# fails under --strict (GUARD-5). Root cause: verify/tsl.c:accord_tsl_add checks
# `l.next_update && l.next_update < now` (formats/tsl_read.c:read_scheme leaves 0 for a
# closed list). Fix: a closed list is a finding (a warning, like a passed NextUpdate:
# "the trusted list is closed"), so --strict fails on it.
not_valid "HOLE-3: a closed list (empty NextUpdate) under --strict is not VALID" "NextUpdate|closed" \
	VT a.asice closed.signed --strict

# ==== 6. size: many services x many certificates x many signatures (verify/trust.c) ====
# A list of 1026 services (the CA's service copied 1023 times; accord's bound is 4096, and 16 lists
# may be given) and mallory's package of 2 signatures (her CA is on no list), each
# carrying 63 self-signed copies of her CA (same name and key: each one verifies her
# certificate), 15 in KeyInfo and 48 in CertificateValues. Times are compared with
# controls measured here: the same package without the copies, and the copies with the
# one-service list.
$EDIT many TL.xml mid.xml 1023 && resign mid.xml mid.signed
openssl pkey -in evil.key -passin file:pass -out evil-plain.pem 2>/dev/null; chmod 600 evil-plain.pem
for i in $(seq 1 63); do openssl x509 -in evil.crt -signkey evil-plain.pem -set_serial $((5000 + i)) -days 30 -out copy$i.crt 2>/dev/null; done
cp m.asice m2.asice
q ft "$SIGNED" "$ACCORD_BIN" sign m2.asice --key mallory.key --cert mallory.crt --passphrase-file pass --force
python3 - <<'PY'
import base64, subprocess
certs = [base64.b64encode(subprocess.check_output(["openssl", "x509", "-in", "copy%d.crt" % i, "-outform", "DER"])).decode() for i in range(16, 64)]
open("cv.xml", "w").write("<xades:CertificateValues>" + "".join(
    "<xades:EncapsulatedX509Certificate>%s</xades:EncapsulatedX509Certificate>" % c for c in certs) + "</xades:CertificateValues>")
PY
sets=""
kc=$(for k in $(seq 1 15); do echo copy$k.crt; done)
# shellcheck disable=SC2086
for i in 0 1; do
	unzip -p m2.asice META-INF/signatures$i.xml >s$i.xml &&
		$XEDIT s$i.xml s$i-k.xml keyinfo-add $kc &&
		$XEDIT s$i-k.xml s$i-h.xml unsigned-add cv.xml && sets="$sets --set META-INF/signatures$i.xml s$i-h.xml"
done
# shellcheck disable=SC2086
$ZIPEDIT m2.asice m2h.asice $sets >/dev/null 2>&1
expect "set-up: a 1026-service list; 2 signatures, each with 63 copies of mallory's CA" sh -c \
	'[ -s mid.signed ] && [ "$(grep -o "<tsl:TSPService>" mid.signed | wc -l)" = 1026 ] && [ -s m2h.asice ] &&
	 [ "$(unzip -p m2h.asice META-INF/signatures1.xml | grep -o EncapsulatedX509Certificate | wc -l)" = 96 ]'
# ms CMD...: run CMD (its output to .out), print the milliseconds it took
ms() { a=$(date +%s%N); "$@" >"$T/.out" 2>&1; b=$(date +%s%N); echo $(((b - a) / 1000000)); }
c_list=$(ms VT m2.asice mid.signed)
c_help=$(ms VT m2h.asice TL.xml)
x=$(ms VT m2h.asice mid.signed)
grep -q "could not be confirmed" "$T/.out"; answered=$?
echo "    times (ms): 1026-service list, no copies: $c_list; copies, 1-service list: $c_help; copies with the 1026-service list: $x"
expect "GUARD-6: mallory's package with the copies and the big list gets an answer (INDETERMINATE), under the 30 s bound" \
	[ "$answered" = 0 ]
# ---- HOLE-4: the path search costs signatures x candidates x anchors ----
# Each node of the depth-first path search scans every anchor twice (accord_crt_equal and
# accord_crt_same_key_and_name on each, then gnutls_x509_crt_check_issuer on each); only
# the signature checks are bounded (MAX_LINK_CHECKS 256); the search is repeated without
# scopes for the report (out_of_scope); nothing is remembered between signatures. With a
# trusted list, anchors count in thousands, and a package whose signatures carry many
# candidates that verify (copies of the signer's CA) multiplies them: here ~10-20x the
# controls; 16 signatures with 4096 services took over 120 s (a hang for the user), and
# a deeper candidate graph (up to 256 linking candidates per search) makes each search
# four times worse. Root cause: verify/trust.c:build (the two anchor loops per node) and
# out_of_scope (the second search). Fix: index the anchors once per run (by subject DN
# and by DER hash / SPKI hash, so a node looks up only same-name anchors and issuers),
# bound the anchor comparisons of one search like the signature checks, and run
# out_of_scope only on the path already found (or only once per certificate).
expect "HOLE-4: the copies with the 1026-service list cost at most 4x (list control + copies control)" \
	[ "$x" -le $((4 * (c_list + c_help) + 200)) ]

# ==== notes (not tests) ====
# - tests/fuzz/fuzz_tsl.c covers formats/tsl_read.c and C14N only: verify/tsl.c
#   (check_signature, service_scope, add_anchor) is never fuzzed. 90 s of fuzz_tsl on
#   fc2c424: 434661 runs, no crash.
# - HOLE-1's fix alone leaves a withdrawn responder able to backdate producedAt into its
#   granted period: by_ocsp never asks a "good" response to be recent for a signature
#   judged now (thisUpdate/nextUpdate are not compared with the time judged; fresh_after
#   applies only to timestamped signatures).
# - A TSA whose service was withdrawn can still issue tokens whose genTime lies inside its
#   grant (the list's status is asked at the token's own genTime, as documented); only a
#   revocation of the TSA certificate for key compromise stops that.
