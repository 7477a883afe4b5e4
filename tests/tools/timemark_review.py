# tests/tools/timemark_review.py — used by tests/hostile/timemark_review.sh: builds OCSP responses by
# hand (DER), with the producedAt, ResponderID, SingleResponses, nonce bytes and certificates an attacker
# picks, and embeds them as time-marks; also the delegated responders and CRLs they need.
# Run in the script's folder (ca.crt, alice.crt, ..., tm.xml, np.xml); writes m-CASE.xml, r-CASE.der.
import base64, datetime, hashlib, re, sys
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

def L(n):
    if n < 128:
        return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(s)]) + s
def T(tag, *parts):
    c = b"".join(parts)
    return bytes([tag]) + L(len(c)) + c
SEQ = lambda *p: T(0x30, *p)
def OID(s):
    a = [int(x) for x in s.split(".")]
    out = bytes([40 * a[0] + a[1]])
    for v in a[2:]:
        b = [v & 0x7f]
        v >>= 7
        while v:
            b.insert(0, 0x80 | (v & 0x7f)); v >>= 7
        out += bytes(b)
    return T(0x06, out)
def INT(n):
    b = n.to_bytes((n.bit_length() + 8) // 8 or 1, "big")
    return T(0x02, b)
OCT = lambda b: T(0x04, b)
NULL = b"\x05\x00"
def GT(d):
    return T(0x18, d.strftime("%Y%m%d%H%M%SZ").encode())
def EXP(n, *p):
    return T(0xa0 | n, *p)

def tlv(b, i):
    t, l, j = b[i], b[i + 1], i + 2
    if l & 0x80:
        n = l & 0x7f
        l, j = int.from_bytes(b[j:j + n], "big"), j + n
    return t, l, j
def key_bits(cert):
    """contents of the subjectPublicKey BIT STRING (RFC 6960 key hash input)"""
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    t, l, j = tlv(spki, 0)
    t, l, k = tlv(spki, j)          # AlgorithmIdentifier
    t, l, m = tlv(spki, k + l)      # BIT STRING
    return spki[m + 1:m + l]
def key_hash(cert):
    return hashlib.sha1(key_bits(cert)).digest()

load = lambda f: x509.load_pem_x509_certificate(open(f, "rb").read())
key = lambda f: serialization.load_pem_private_key(open(f, "rb").read(), None)
ca, alice, bob, other, fake = (load(f + ".crt") for f in ("ca", "alice", "bob", "other", "fakeca"))
cak, otherk, fakek, alicek = key("ca-plain.pem"), key("other-plain.pem"), key("fakeca-plain.pem"), key("alice-plain.pem")
UTC = datetime.timezone.utc
nb = alice.not_valid_before_utc if hasattr(alice, "not_valid_before_utc") else alice.not_valid_before.replace(tzinfo=UTC)
na = alice.not_valid_after_utc if hasattr(alice, "not_valid_after_utc") else alice.not_valid_after.replace(tzinfo=UTC)
PRODUCED = nb + datetime.timedelta(hours=1)

def sigvalue(f):
    return base64.b64decode(re.search(r"SignatureValue[^>]*>([^<]+)<", open(f).read()).group(1))
SV, SV_OTHER = sigvalue("tm.xml"), sigvalue("np.xml")
DI256 = bytes.fromhex("3031300d060960864801650304020105000420")
GOOD_NONCE = DI256 + hashlib.sha256(SV).digest()

def cert_id(subject, issuer_name_cert, issuer_key_cert):
    return SEQ(SEQ(OID("1.3.14.3.2.26"), NULL),
               OCT(hashlib.sha1(issuer_name_cert.subject.public_bytes()).digest()),
               OCT(key_hash(issuer_key_cert)), INT(subject.serial_number))
def single(subject=None, status="good", rtime=None, issuer_key_cert=None, this=None, next_update=None):
    subject = subject or alice
    if status == "good":
        st = b"\x80\x00"
    elif status == "unknown":
        st = b"\x82\x00"
    else:   # revoked, keyCompromise
        st = T(0xa1, GT(rtime), EXP(0, T(0x0a, b"\x01")))
    return SEQ(cert_id(subject, ca, issuer_key_cert or ca), st, GT(this or PRODUCED),
               EXP(0, GT(next_update)) if next_update else b"")

def response(singles=None, nonces=None, produced=None, signer_key=None, rid=None, certs=(), sigalg="sha256"):
    """rid: ('key', cert) for the RFC 6960 key hash, ('name', cert) for byName."""
    singles = singles if singles is not None else [single()]
    nonces = nonces if nonces is not None else [GOOD_NONCE]
    rid = rid or ("key", ca)
    rid_der = EXP(2, OCT(key_hash(rid[1]))) if rid[0] == "key" else EXP(1, rid[1].subject.public_bytes())
    exts = b"".join(SEQ(OID("1.3.6.1.5.5.7.48.1.2"), OCT(n)) for n in nonces)
    tbs = SEQ(rid_der, GT(produced or PRODUCED), SEQ(*singles), EXP(1, SEQ(exts)) if nonces else b"")
    k = cak if signer_key is None else signer_key
    h, alg = (hashes.SHA256(), "1.2.840.10045.4.3.2") if sigalg == "sha256" else (hashes.SHA1(), "1.2.840.10045.4.1")
    sig = k.sign(tbs, ec.ECDSA(h)) if k != "unsigned" else b"\x30\x06\x02\x01\x01\x02\x01\x01"
    basic = SEQ(tbs, SEQ(OID(alg)), T(0x03, b"\x00" + sig),
                EXP(0, SEQ(*[c.public_bytes(serialization.Encoding.DER) for c in certs])) if certs else b"")
    return SEQ(T(0x0a, b"\x00"), EXP(0, SEQ(OID("1.3.6.1.5.5.7.48.1.1"), OCT(basic))))

def responder(name, issuer_cert, issuer_key, eku=True, days=(-1, 30), sha=hashes.SHA256()):
    """issuer_cert None: self-signed"""
    k = ec.generate_private_key(ec.SECP256R1())
    if issuer_cert is None:
        issuer_key = k
        issuer_cert = type("self", (), {"subject": x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])})
    b = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
         .issuer_name(issuer_cert.subject).public_key(k.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(PRODUCED + datetime.timedelta(days=days[0]))
         .not_valid_after(PRODUCED + datetime.timedelta(days=days[1]))
         .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True))
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
    c = b.sign(issuer_key, hashes.SHA256())
    if isinstance(sha, hashes.SHA1):
        # cryptography will not sign a certificate with SHA-1: swap the algorithm in the
        # TBSCertificate and sign it again by hand (ecdsa-with-SHA1)
        der = c.public_bytes(serialization.Encoding.DER)
        t, l, j = tlv(der, 0)
        t, l, k2 = tlv(der, j)
        tbs = der[k2:k2 + l]
        a256, a1 = SEQ(OID("1.2.840.10045.4.3.2")), SEQ(OID("1.2.840.10045.4.1"))
        tbs = SEQ(tbs.replace(a256, a1, 1))
        sig = issuer_key.sign(tbs, ec.ECDSA(hashes.SHA1()))
        c = x509.load_der_x509_certificate(SEQ(tbs, a1, T(0x03, b"\x00" + sig)))
    return c, k

def crl(name, serials_times):
    b = (x509.CertificateRevocationListBuilder().issuer_name(ca.subject)
         .last_update(PRODUCED - datetime.timedelta(minutes=30)).next_update(PRODUCED + datetime.timedelta(days=90)))
    for s, t in serials_times:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(s).revocation_date(t)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False).build())
    open(name, "wb").write(b.sign(cak, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))

def embed(src, out, ders):
    s = open(src).read()
    vals = "".join("<xades:EncapsulatedOCSPValue>%s</xades:EncapsulatedOCSPValue>" % base64.b64encode(d).decode() for d in ders)
    rv = "<xades:RevocationValues><xades:OCSPValues>%s</xades:OCSPValues></xades:RevocationValues>" % vals
    if re.search(r"</(\w+:)?UnsignedSignatureProperties>", s):
        s = re.sub(r"(</(\w+:)?UnsignedSignatureProperties>)", lambda m: rv + m.group(1), s, count=1)
    else:
        s = s.replace("</xades:SignedProperties>", "</xades:SignedProperties><xades:UnsignedProperties>"
                      "<xades:UnsignedSignatureProperties>" + rv + "</xades:UnsignedSignatureProperties></xades:UnsignedProperties>", 1)
    open(out, "w").write(s)

if sys.argv[1:2] == ["cs"]:
    # cs.xml: the BDOC signature countersigned by bob (accord countersign, no unsigned
    # properties of its own); the honest mark of the master in the master's
    # UnsignedSignatureProperties, or in new UnsignedProperties of the countersignature
    s = open("cs.xml").read()
    rv = ("<xades:RevocationValues><xades:OCSPValues><xades:EncapsulatedOCSPValue>%s"
          "</xades:EncapsulatedOCSPValue></xades:OCSPValues></xades:RevocationValues>"
          % base64.b64encode(response()).decode())
    i = s.index("</xades:UnsignedSignatureProperties>")
    open("m-cs-master.xml", "w").write(s[:i] + rv + s[i:])
    close = "</xades:SignedProperties>"
    i = s.index(close, s.index("<xades:CounterSignature")) + len(close)
    open("m-cs-counter.xml", "w").write(s[:i] + "<xades:UnsignedProperties><xades:UnsignedSignatureProperties>"
                                        + rv + "</xades:UnsignedSignatureProperties></xades:UnsignedProperties>" + s[i:])
    sys.exit(0)
if sys.argv[1:]:
    # honest marks over the signature value of each file given (m-FILE)
    for f in sys.argv[1:]:
        embed(f, "m-" + f, [response(nonces=[DI256 + hashlib.sha256(sigvalue(f)).digest()])])
    sys.exit(0)
if True:
    H = datetime.timedelta(hours=1)
    deleg, delegk = responder("TM OCSP", ca, cak)
    noeku, noekuk = responder("TM OCSP no EKU", ca, cak, eku=False)
    expired, expiredk = responder("TM OCSP expired", ca, cak, days=(-20, -1))
    fakedeleg, fakedelegk = responder("TM OCSP", fake, fakek)
    sha1deleg, sha1delegk = responder("TM OCSP SHA-1", ca, cak, sha=hashes.SHA1())
    # a responder the user trusts directly (--trust, OCSPSigning), expired at producedAt;
    # and a "copy" of it (its name and public key, any validity) that another CA issued:
    # no private key of the responder is needed to make it
    tr, trk = responder("TM Trusted OCSP", None, None, days=(-20, -1))
    copy = (x509.CertificateBuilder().subject_name(tr.subject).issuer_name(other.subject)
            .public_key(tr.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(PRODUCED - datetime.timedelta(days=365))
            .not_valid_after(PRODUCED + datetime.timedelta(days=3650))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
            .sign(otherk, hashes.SHA256()))
    open("trusted-responder.crt", "wb").write(tr.public_bytes(serialization.Encoding.PEM))
    crl("crl-deleg.pem", [(deleg.serial_number, PRODUCED - H)])
    crl("crl-alice.pem", [(alice.serial_number, PRODUCED - H)])
    crl("crl-none.pem", [])

    def di(oid_der, params, digest):
        alg = SEQ(oid_der, params) if params is not None else SEQ(oid_der)
        return SEQ(alg, OCT(digest))
    d256 = hashlib.sha256(SV).digest()
    ber = b"\x30\x81\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x81\x20" + d256

    cases = {
        "good": response(),
        "deleg": response(signer_key=delegk, rid=("name", deleg), certs=[deleg]),
        "deleg-bykey": response(signer_key=delegk, rid=("key", deleg), certs=[deleg]),
        # nonce shapes
        "trailing": response(nonces=[GOOD_NONCE + b"\x00"]),
        "wrapped-trailing": response(nonces=[OCT(GOOD_NONCE) + b"\x00"]),
        "ber": response(nonces=[ber]),
        "truncated": response(nonces=[di(OID("2.16.840.1.101.3.4.2.1"), NULL, d256[:20])]),
        "sha1-oid-sha256-digest": response(nonces=[di(OID("1.3.14.3.2.26"), NULL, d256)]),
        "unknown-alg": response(nonces=[di(OID("1.2.3.4.5"), NULL, d256)]),
        "bad-params": response(nonces=[di(OID("2.16.840.1.101.3.4.2.1"), OCT(b"x"), d256)]),
        "md5": response(nonces=[di(OID("1.2.840.113549.2.5"), NULL, hashlib.md5(SV).digest())]),
        "sha512-of-other": response(nonces=[di(OID("2.16.840.1.101.3.4.2.3"), NULL, hashlib.sha512(SV_OTHER).digest())]),
        "second-nonce": response(nonces=[DI256 + hashlib.sha256(SV_OTHER).digest(), GOOD_NONCE]),
        "other-sig-nonce": response(nonces=[DI256 + hashlib.sha256(SV_OTHER).digest()]),
        "no-nonce": response(nonces=[]),
        # SingleResponses
        "bob-good-alice-revoked": response(singles=[single(bob), single(alice, "revoked", PRODUCED - H)]),
        "revoked-then-good": response(singles=[single(alice, "revoked", PRODUCED - H), single(alice)]),
        "good-then-revoked": response(singles=[single(alice), single(alice, "revoked", PRODUCED - H)]),
        "stale-good": response(singles=[single(alice, this=PRODUCED - 2 * H, next_update=PRODUCED - H)]),
        "unknown-status": response(singles=[single(alice, "unknown")]),
        "other-key-certid": response(singles=[single(alice, issuer_key_cert=fake)]),
        # producedAt
        "before-notbefore": response(produced=nb - datetime.timedelta(days=1)),
        "after-expiry": response(produced=na + datetime.timedelta(days=1)),
        # responders
        "noeku": response(signer_key=noekuk, rid=("name", noeku), certs=[noeku]),
        "expired-responder": response(signer_key=expiredk, rid=("name", expired), certs=[expired]),
        "fakeca-responder": response(signer_key=fakedelegk, rid=("name", fakedeleg), certs=[fakedeleg, fake]),
        "fakeca-signed-byname": response(signer_key=fakek, rid=("name", ca), certs=[fake]),
        "fakeca-signed-bykey": response(signer_key=fakek, rid=("key", ca), certs=[fake]),
        "bykey-ca-signed-by-other": response(signer_key=otherk, rid=("key", ca)),
        "bykey-ca-signed-by-other-carried": response(signer_key=otherk, rid=("key", ca), certs=[other]),
        "bykey-ca-signed-by-alice": response(signer_key=alicek, rid=("key", ca), certs=[alice]),
        "sha1-response": response(sigalg="sha1"),
        "unsigned": response(signer_key="unsigned"),
        "trusted-expired": response(signer_key=trk, rid=("name", tr)),
        "trusted-expired-copy": response(signer_key=trk, rid=("name", tr), certs=[copy]),
        "deleg-revoked": response(signer_key=delegk, rid=("name", deleg), certs=[deleg]),
        "sha1-deleg": response(signer_key=sha1delegk, rid=("name", sha1deleg), certs=[sha1deleg]),
    }
    for name, der in cases.items():
        embed("tm.xml", "m-%s.xml" % name, [der])
        open("r-%s.der" % name, "wb").write(der)
    # the honest mark in the other signature (np, no policy) of a two-signature package
    embed("np.xml", "m-in-other.xml", [cases["good"]])
    # cost: many unsigned responses, each with the right nonce and 1024 entries naming alice
    junk = [response(singles=[single(alice, issuer_key_cert=fake)] * 1024, signer_key="unsigned") for _ in range(12)]
    embed("tm.xml", "m-cost.xml", junk)
    open("produced", "w").write(str(int(PRODUCED.timestamp())))
