#!/usr/bin/env python3
"""tests/hostile/make_requests.py — hostile OCSP requests (RFC 6960) and TSA requests
(RFC 3161) for tests/hostile/requests.sh, built byte by byte from a valid CertID.

    make_requests.py OUTDIR NAME_HASH_HEX KEY_HASH_HEX SERIAL_HEX

Each file is named for the attack it carries; ok-*.der must be answered."""
import os
import sys

out, name_hash, key_hash, serial = sys.argv[1], *(bytes.fromhex(a) for a in sys.argv[2:5])
os.makedirs(out, exist_ok=True)


def length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, *parts):
    v = b"".join(parts)
    return bytes([tag]) + length(len(v)) + v


def seq(*p):
    return tlv(0x30, *p)


def ctx(n, *p):  # [n] EXPLICIT
    return tlv(0xA0 | n, *p)


SHA1 = tlv(0x06, bytes.fromhex("2b0e03021a"))
MD5 = tlv(0x06, bytes.fromhex("2a864886f70d0205"))
NULL = b"\x05\x00"
NONCE_OID = tlv(0x06, bytes.fromhex("2b06010505073001" + "02"))


def certid(alg=SHA1, params=NULL, nh=name_hash, kh=key_hash, sn=serial):
    return seq(seq(alg, params), tlv(0x04, nh), tlv(0x04, kh), tlv(0x02, sn))


def ext(oid, value, critical=None):
    return seq(oid, tlv(0x01, critical) if critical is not None else b"", tlv(0x04, value))


def nonce(n=16):
    return ext(NONCE_OID, tlv(0x04, b"\x5a" * n))


def request(ids=None, exts=None, version=None):
    ids = [certid()] if ids is None else ids
    tbs = (ctx(0, tlv(0x02, version)) if version is not None else b"") + seq(*(seq(i) for i in ids))
    if exts is not None:
        tbs += ctx(2, seq(*exts))
    return seq(seq(tbs))


def write(name, data):
    with open(os.path.join(out, name + ".der"), "wb") as f:
        f.write(data)


good = request(exts=[nonce()])
write("ok-control", good)
write("ok-32-certids", request(ids=[certid()] * 32))
write("truncated", good[:-5])
write("trailing-garbage", good + b"\x00\x00")
write("ber-indefinite-length", b"\x30\x80" + good[2:] + b"\x00\x00")
write("ber-long-form-length", b"\x30\x81" + good[1:])
write("version-v1-written-out", request(version=b"\x00"))
write("version-2", request(version=b"\x01"))
write("empty-request-list", request(ids=[]))
write("33-certids", request(ids=[certid()] * 33))
write("100-certids", request(ids=[certid()] * 100))
write("non-minimal-serial", request(ids=[certid(sn=b"\x00\x01")]))
write("negative-serial", request(ids=[certid(sn=b"\x80\x01")]))
write("serial-of-40-bytes", request(ids=[certid(sn=b"\x01" * 40)]))
write("name-hash-19-bytes-for-sha1", request(ids=[certid(nh=name_hash[:19])]))
write("hash-parameters-not-null", request(ids=[certid(params=tlv(0x02, b"\x01"))]))
write("critical-false-written-out", request(exts=[ext(NONCE_OID, tlv(0x04, b"\x01" * 16), b"\x00")]))
write("unknown-critical-extension", request(exts=[ext(tlv(0x06, bytes.fromhex("2a0304")), b"\x05\x00", b"\xff")]))
write("two-nonces", request(exts=[nonce(), nonce()]))
write("empty-request-extensions", request(exts=[]))
write("nonce-of-80-bytes", request(exts=[nonce(78)]))
write("md5-certid", request(ids=[certid(alg=MD5, nh=name_hash[:16], kh=key_hash[:16])]))
write("huge-request", seq(seq(seq(*([seq(certid())] * 400)))))
write("empty", b"")
write("deep-nesting", b"\x30\x82\x07\xd0" + b"\x30\x80" * 1000)

# RFC 3161: what DER forbids and libtasn1 lets through
imprint = seq(seq(tlv(0x06, bytes.fromhex("608648016503040201")), NULL), tlv(0x04, b"\x11" * 32))


def tsq(*extra):
    return seq(tlv(0x02, b"\x01"), imprint, *extra)


write("ok-tsq", tsq(tlv(0x02, b"\x01\x02"), tlv(0x01, b"\xff")))
write("tsq-non-minimal-nonce", tsq(tlv(0x02, b"\x00\x01\x02")))
write("tsq-certreq-false-written-out", tsq(tlv(0x01, b"\x00")))
write("tsq-empty-extensions", tsq(tlv(0xA0, b"")))
