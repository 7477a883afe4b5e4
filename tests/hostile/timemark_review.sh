#!/bin/sh
# tests/hostile/timemark_review.sh — outside attack review of BDOC 2.1 time-marks (47678bb:
# verify/revocation.c accord_ocsp_time_mark, formats/ocsp_nonce.c, the policy identifier in
# formats/xades_parse.c, the wiring in verify/signature.c) and of the ResponderID byKey
# key hash now accepted by responder_id_is. Each attack must leave an expired signer
# without proof of existence (never "VALID"); positive controls show each check can pass.
# The OCSP responses are built by hand (DER, tests/tools/timemark_review.py) so that
# producedAt, the ResponderID, the SingleResponses and the nonce bytes are the attacker's.
#   HOLE-n   an attack that succeeded on the code reviewed (47678bb), the root cause named
#            above each; all four are closed in verify/revocation.c (entry_for: a revoked
#            entry wins; delegation_ok: a delegated responder's certificate signature is
#            judged by the crypto policy and it must not be revoked; trusted_responder: the
#            anchor's own dates) and kept as regressions.
#   GUARD-n  an attack refused today: kept to catch regressions.
. "$(dirname "$0")/../lib.sh"
pass() { echo "PASS: hostile time-mark review: $*"; }
fail() { echo "FAIL: hostile time-mark review: $*"; }
. "$TESTS/tools/trust_checks.sh"
cd "$T"
cc -shared -fPIC -o faketime.so "$TESTS/tools/faketime.c" -ldl 2>/dev/null
TM=1.3.6.1.4.1.10015.1000.3.2.1
LATER=$(( $(date +%s) + 40 * 86400 ))   # alice's certificate (2 days) has expired
V() { faketime_run "$LATER" timeout 30 "$ACCORD_BIN" "$@"; }
NOPOE='OUT_OF_BOUNDS_NO_POE|expired'

# ---- set-up: a CA, a second CA with the SAME name and another key, an unrelated CA;
# alice (2 days) and bob; two signatures by alice (xmlsec1), under the BDOC policy and not.
q accord keys ca --name "TM CA" --out ca --passphrase-file pass
q accord keys ca --name "TM CA" --out fakeca --passphrase-file pass
q accord keys ca --name "TM Other CA" --out other --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass --days 2
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name bob --out bob --passphrase-file pass
for k in alice ca other fakeca; do openssl pkey -in $k.key -passin file:pass -out $k-plain.pem 2>/dev/null; done
chmod 600 ./*-plain.pem
printf 'The incident report.\n' >doc.txt
q accord pack -o p0.asice doc.txt
XPOLICY=$TM xsign "$T/alice-plain.pem" "$T/alice.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p0.asice" "$T/tm.asice" S-tm
unzip -p tm.asice META-INF/signatures0.xml >tm.xml
xsign "$T/alice-plain.pem" "$T/alice.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p0.asice" "$T/np.asice" S-np
unzip -p np.asice META-INF/signatures0.xml >np.xml
# Policy identifiers that only look like the BDOC one.
XPOLICY=$TM.5 xsign "$T/alice-plain.pem" "$T/alice.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p0.asice" "$T/pl.asice" S-pl
XPOLICY=${TM%.1} xsign "$T/alice-plain.pem" "$T/alice.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p0.asice" "$T/ps.asice" S-ps
unzip -p pl.asice META-INF/signatures0.xml >pl.xml
unzip -p ps.asice META-INF/signatures0.xml >ps.xml
cp "$TESTS/tools/timemark_review.py" gen.py
python3 gen.py >gen.err 2>&1 && python3 gen.py pl.xml ps.xml >>gen.err 2>&1
mk() { # CASE [XML]: tm-CASE.asice, the package with m-CASE.xml as its only signature
	$ZIPEDIT "$T/p0.asice" "$T/tm-$1.asice" --add META-INF/signatures0.xml "${2:-m-$1.xml}"
}
for c in $(ls m-*.xml | sed 's/^m-//; s/\.xml$//'); do mk "$c"; done
expect "set-up: keys, three policies, the hand-built responses and their packages" \
	[ -s tm.xml -a -s np.xml -a -s pl.xml -a -s ps.xml -a -s tm-good.asice -a -s tm-cost.asice \
	  -a -s tm-pl.asice -a -s crl-deleg.pem ]
sed 's/^/    /' gen.err | head -5

# ---- controls: the hand-built responses are read as the real ones would be ----------
output_has "control: an issuer-signed mark (ResponderID byKey, RFC 6960 key hash) proves when" \
	'certificate checked at: .*\(time-mark\)' V verify tm-good.asice --trust ca.crt
valid "control: ... and the expired signer's package is VALID" V verify tm-good.asice --trust ca.crt
valid "control: a mark by a delegated responder (OCSPSigning, issued by the CA) is VALID" \
	V verify tm-deleg.asice --trust ca.crt
valid "control: ... named by its key hash too" V verify tm-deleg-bykey.asice --trust ca.crt
valid "control: ... and with a CRL of the CA that revokes nothing" \
	V verify tm-deleg.asice --trust ca.crt --crl crl-none.pem
not_valid "control: the unmarked signature of the expired signer is unproven" "$NOPOE" \
	V verify tm.asice --trust ca.crt

# ==== 1. the nonce (formats/ocsp_nonce.c) ====
not_valid "GUARD-1: a nonce DigestInfo followed by a garbage byte is no time-mark" "$NOPOE" \
	V verify tm-trailing.asice --trust ca.crt
not_valid "GUARD-2: an OCTET STRING-wrapped DigestInfo followed by garbage is no time-mark" "$NOPOE" \
	V verify tm-wrapped-trailing.asice --trust ca.crt
not_valid "GUARD-3: a BER (long-form lengths) DigestInfo is no time-mark" "$NOPOE" \
	V verify tm-ber.asice --trust ca.crt
not_valid "GUARD-4: a SHA-256 DigestInfo with a 20-byte (truncated) digest is no time-mark" "$NOPOE" \
	V verify tm-truncated.asice --trust ca.crt
not_valid "GUARD-5: a SHA-1 OID over a SHA-256 digest is no time-mark" "$NOPOE" \
	V verify tm-sha1-oid-sha256-digest.asice --trust ca.crt
not_valid "GUARD-6: an unknown digest OID (1.2.3.4.5) is no time-mark" "$NOPOE" \
	V verify tm-unknown-alg.asice --trust ca.crt
not_valid "GUARD-7: a digest AlgorithmIdentifier with parameters other than NULL is no time-mark" "$NOPOE" \
	V verify tm-bad-params.asice --trust ca.crt
not_valid "GUARD-8: an MD5 nonce is refused by the crypto policy" "$NOPOE" \
	V verify tm-md5.asice --trust ca.crt
not_valid "GUARD-9: a SHA-512 nonce over another signature's value is no time-mark" "$NOPOE" \
	V verify tm-sha512-of-other.asice --trust ca.crt
not_valid "GUARD-10: the genuine nonce as a second nonce extension (the first over another value) is not read" \
	"$NOPOE" V verify tm-second-nonce.asice --trust ca.crt
not_valid "GUARD-11: a good response for the signer whose nonce is her other signature's value" "$NOPOE" \
	V verify tm-other-sig-nonce.asice --trust ca.crt
not_valid "GUARD-12: a good response without a nonce is no time-mark" "$NOPOE" \
	V verify tm-no-nonce.asice --trust ca.crt

# ==== 2. the SingleResponses ====
not_valid "GUARD-13: good for bob and revoked for alice in one response" 'REVOKED|OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm-bob-good-alice-revoked.asice --trust ca.crt
not_valid "GUARD-14: revoked then good for alice in one response" 'REVOKED|OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm-revoked-then-good.asice --trust ca.crt
# HOLE-1: a response that says both good and revoked (keyCompromise, before producedAt)
# for the signer. accord_ocsp_time_mark takes any good entry as the mark, and by_ocsp
# (the signer's revocation at producedAt) reads only the FIRST entry that matches the
# signer ("found" stops the loop), so the revoked entry after it is never seen. An
# authorised "revoked" must win over "good" wherever it stands (fail closed): both loops
# should read every matching entry and let revoked decide.
not_valid "HOLE-1: good then revoked (before producedAt) for alice in one response" \
	'REVOKED|OUT_OF_BOUNDS_NO_POE|expired' V verify tm-good-then-revoked.asice --trust ca.crt
# HOLE-1 (also without a time-mark; by_ocsp is older than 47678bb): the signature under no
# policy, judged now, with that response given.
not_valid "HOLE-1b: good then revoked (before now) for alice, no time-mark, judged now" 'REVOKED' \
	timeout 30 "$ACCORD_BIN" verify np.asice --trust ca.crt --ocsp r-good-then-revoked.der
not_valid "GUARD-15: a response saying unknown is no time-mark" 'unknown|OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm-unknown-status.asice --trust ca.crt
not_valid "GUARD-16: a good entry whose nextUpdate had passed at producedAt (a stale, cached answer)" \
	'REVOCATION_OUT_OF_BOUNDS|not current|OUT_OF_BOUNDS_NO_POE|expired' V verify tm-stale-good.asice --trust ca.crt
not_valid "GUARD-17: a CertID whose issuer key hash is another key's (same issuer name)" "$NOPOE" \
	V verify tm-other-key-certid.asice --trust ca.crt

# ==== 3. producedAt against the signer's certificate ====
not_valid "GUARD-18: a mark produced before the signer's notBefore" 'NOT_YET_VALID|not yet valid' \
	V verify tm-before-notbefore.asice --trust ca.crt
not_valid "GUARD-19: a mark produced after the signer's certificate expired" "$NOPOE" \
	V verify tm-after-expiry.asice --trust ca.crt
not_valid "GUARD-20: a mark on a signer the CA revoked (keyCompromise) before producedAt" 'REVOKED' \
	V verify tm-good.asice --trust ca.crt --crl crl-alice.pem

# ==== 4. the responder (responder_check, responder_id_is) ====
not_valid "GUARD-21: a delegated responder without the OCSPSigning purpose" "$NOPOE|authori" \
	V verify tm-noeku.asice --trust ca.crt
not_valid "GUARD-22: a delegated responder whose certificate had expired at producedAt" "$NOPOE|authori" \
	V verify tm-expired-responder.asice --trust ca.crt
not_valid "GUARD-23: a delegated responder issued by another CA of the same name" "$NOPOE|authori" \
	V verify tm-fakeca-responder.asice --trust ca.crt
not_valid "GUARD-24: ResponderID byName of the CA, signed by a same-name CA's key (carried)" "$NOPOE|authori" \
	V verify tm-fakeca-signed-byname.asice --trust ca.crt
not_valid "GUARD-25: ResponderID byKey = the CA's key hash, signed by a same-name CA's key (carried)" "$NOPOE|authori" \
	V verify tm-fakeca-signed-bykey.asice --trust ca.crt
not_valid "GUARD-26: ResponderID byKey = the CA's key hash, signed by another trusted CA's key" "$NOPOE|authori" \
	V verify tm-bykey-ca-signed-by-other.asice --trust ca.crt --trust other.crt
not_valid "GUARD-27: ... with that CA's certificate carried in the response" "$NOPOE|authori" \
	V verify tm-bykey-ca-signed-by-other-carried.asice --trust ca.crt --trust other.crt
not_valid "GUARD-28: ResponderID byKey = the CA's key hash, signed by the signer's own key" "$NOPOE|authori" \
	V verify tm-bykey-ca-signed-by-alice.asice --trust ca.crt
not_valid "GUARD-29: a response signed with ECDSA-SHA1 (SHA-1 ends 2009) is no time-mark" "$NOPOE" \
	V verify tm-sha1-response.asice --trust ca.crt
not_valid "GUARD-30: a response whose signature does not verify is no time-mark" "$NOPOE|authori" \
	V verify tm-unsigned.asice --trust ca.crt
# HOLE-2: a delegated responder whose certificate its CA revoked for keyCompromise BEFORE
# producedAt still time-marks. responder_check (verify/revocation.c) checks the
# responder's certificate for OCSPSigning, its link to the issuer and its validity at
# producedAt, but never its revocation. For plain revocation evidence that was the old
# rule; a time-mark makes the responder a time-stamping authority, and a TSA whose key
# is compromised is refused whenever the compromise happened (verify/timestamp.c:
# revocation of the TSA "counts whenever it happened"). Whoever holds the stolen
# responder key can backdate any signature (producedAt is the responder's word).
not_valid "HOLE-2: a delegated responder revoked (keyCompromise) before producedAt gives no time-mark" \
	"$NOPOE|REVOKED|authori" V verify tm-deleg-revoked.asice --trust ca.crt --crl crl-deleg.pem
# HOLE-3: a delegated responder certificate the CA signed with ECDSA-SHA1 still
# time-marks without --allow-sha1. accord_link_ok verifies the responder's certificate
# with GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1|ALLOW_BROKEN and responder_check judges only the
# responder's key (accord_crypto_crt_key_ok), not the signature on its certificate
# (accord_crypto_crt_sign_ok, which the signer's and the TSA's paths apply): a SHA-1
# chosen-prefix collision on a responder certificate mints backdated time-marks.
not_valid "HOLE-3: a delegated responder certificate signed with ECDSA-SHA1 gives no time-mark" \
	"$NOPOE|SHA-?1|authori" V verify tm-sha1-deleg.asice --trust ca.crt
not_valid "GUARD-31: a directly trusted responder (--trust, OCSPSigning) expired at producedAt" "$NOPOE|authori" \
	V verify tm-trusted-expired.asice --trust ca.crt --trust trusted-responder.crt
# HOLE-4: ... the same response carrying a "copy" of the trusted responder's certificate
# (its subject and public key, validity 10 years) that ANOTHER CA issued. trusted_responder
# (verify/revocation.c) accepts any carried certificate with the same name and key as an
# OCSPSigning anchor (accord_crt_same_key_and_name) without checking who issued it, and
# responder_check takes "valid when it produced the response" from that carried copy's
# dates: anyone can widen a trusted responder's validity, so a responder key kept (or
# leaked) after its certificate expired time-marks again. Only the anchor's own dates
# (or a copy whose link to a trusted issuer verifies) should count.
not_valid "HOLE-4: ... carrying a same-name-and-key copy with new dates issued by another CA" "$NOPOE|authori" \
	V verify tm-trusted-expired-copy.asice --trust ca.crt --trust trusted-responder.crt

# ==== 5. the policy identifier (is_time_mark_policy) and where the mark stands ====
not_valid "GUARD-32: policy $TM.5 (a longer OID with the BDOC one as prefix) is not the BDOC policy" "$NOPOE" \
	V verify tm-pl.asice --trust ca.crt
not_valid "GUARD-33: policy ${TM%.1} (a prefix of the BDOC OID) is not the BDOC policy" "$NOPOE" \
	V verify tm-ps.asice --trust ca.crt
$ZIPEDIT "$T/p0.asice" "$T/two.asice" --add META-INF/signatures0.xml tm.xml --add META-INF/signatures1.xml m-in-other.xml
V verify two.asice --trust ca.crt >two.out 2>&1; got=$?
if [ "$got" != 0 ] && ! grep -q 'time-mark' two.out && grep -Eq "$NOPOE" two.out; then
	pass "GUARD-34: a mark in another signature's UnsignedProperties does not prove the BDOC signature"
else fail "GUARD-34: a mark in another signature's UnsignedProperties (exit $got)"; sed 's/^/    /' two.out | head -12; fi
# A mark is bound to its signature by the nonce and the responder's signature, not by
# where it is carried: given with --ocsp it proves the same (a positive control).
valid "control: the genuine mark given with --ocsp proves the same" \
	V verify tm.asice --trust ca.crt --ocsp r-good.der
not_valid "GUARD-35: the other signature's genuine mark given with --ocsp proves nothing" "$NOPOE" \
	V verify tm.asice --trust ca.crt --ocsp r-other-sig-nonce.der

# A countersignature (accord countersign, bob) of the BDOC signature: the master's mark
# proves the master; put in the countersignature's own UnsignedProperties it does not
# (each signature's evidence is its own).
cp tm.asice cs.asice
q accord countersign cs.asice --signature S-tm --key bob.key --cert bob.crt --passphrase-file pass
unzip -p cs.asice META-INF/signatures0.xml >cs.xml
python3 gen.py cs >>gen.err 2>&1
for c in cs-master cs-counter; do $ZIPEDIT "$T/cs.asice" "$T/tm-$c.asice" --set META-INF/signatures0.xml m-$c.xml; done
valid "control: a countersigned BDOC signature with its mark in its own properties is VALID" \
	V verify tm-cs-master.asice --trust ca.crt
not_valid "GUARD-36: the master's mark in its countersignature's UnsignedProperties does not prove the master" \
	"$NOPOE" V verify tm-cs-counter.asice --trust ca.crt

# ==== 6. a timestamp and a time-mark: the timestamp decides ====
q accord tsa init --dir tsa --name "TM TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass
for w in now later; do
	cp tm.asice ts-$w.asice
	q accord timestamp request ts-$w.asice --out $w.tsq
	if [ $w = now ]; then q accord tsa stamp --dir tsa --request $w.tsq --out $w.tsr --passphrase-file pass
	else q faketime_run "$(( LATER - 86400 ))" "$ACCORD_BIN" tsa stamp --dir tsa --request $w.tsq --out $w.tsr --passphrase-file pass; fi
	q accord timestamp attach ts-$w.asice --reply $w.tsr
	unzip -p ts-$w.asice META-INF/signatures0.xml >ts-$w.xml
done
python3 gen.py ts-now.xml ts-later.xml >>gen.err 2>&1
mk ts-now m-ts-now.xml; mk ts-later m-ts-later.xml
expect "set-up: two timestamped signatures (now, after the signer expired) with the mark added" \
	[ -s tm-ts-now.asice -a -s tm-ts-later.asice ]
output_has "control: with a valid timestamp and a mark, the timestamp decides" \
	'certificate checked at: .*\(timestamped\)' V verify tm-ts-now.asice --trust ca.crt
not_valid "GUARD-37: a timestamp after the signer expired is not undercut by an earlier mark" "$NOPOE" \
	V verify tm-ts-later.asice --trust ca.crt

# ==== 7. cost: many unsigned responses with the right nonce and 1024 entries each ====
s0=$(date +%s)
not_valid "GUARD-38: twelve forged responses of 1024 entries each (right nonce, unsigned) prove nothing" "$NOPOE" \
	V verify tm-cost.asice --trust ca.crt
s1=$(date +%s)
expect "GUARD-39: ... and cost little (under 10 s, took $((s1 - s0)) s)" [ $((s1 - s0)) -lt 10 ]
