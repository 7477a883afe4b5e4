#!/usr/bin/env python3
"""tests/tools/xadesedit.py — edit the unsigned parts of an accord signature file for the
attack tests (stdlib only, plain text surgery so the signed bytes stay byte-identical).

usage:
  xadesedit.py IN OUT keyinfo-add CERT...      append certificates (PEM or DER files) to
                                               the first signature's ds:KeyInfo/ds:X509Data
  xadesedit.py IN OUT unsigned-add FRAGMENT    append an XML fragment (a file) at the end of
                                               the first signature's
                                               xades:UnsignedSignatureProperties, creating
                                               xades:UnsignedProperties if absent
  xadesedit.py IN OUT ocsp-add RESP.der        unsigned-add of
                                               xades:RevocationValues/OCSPValues/EncapsulatedOCSPValue
  xadesedit.py IN OUT tsvd-ocsp-add RESP.der   the same inside xadesv141:TimeStampValidationData
"""
import base64
import re
import sys

XADES141 = "http://uri.etsi.org/01903/v1.4.1#"


def der_of(path):
    raw = open(path, "rb").read()
    m = re.search(rb"-----BEGIN [A-Z0-9 ]+-----(.*?)-----END", raw, re.S)
    return base64.b64decode(b"".join(m.group(1).split())) if m else raw


def b64(data):
    return base64.b64encode(data).decode()


def keyinfo_add(x, certs):
    end = x.index("</ds:X509Data>")  # the first signature's KeyInfo comes first
    add = "".join("<ds:X509Certificate>%s</ds:X509Certificate>" % b64(der_of(c)) for c in certs)
    return x[:end] + add + x[end:]


def unsigned_add(x, frag):
    if "</xades:UnsignedSignatureProperties>" in x:
        end = x.index("</xades:UnsignedSignatureProperties>")
        return x[:end] + frag + x[end:]
    end = x.index("</xades:SignedProperties>") + len("</xades:SignedProperties>")
    return (x[:end] + "<xades:UnsignedProperties><xades:UnsignedSignatureProperties>" + frag +
            "</xades:UnsignedSignatureProperties></xades:UnsignedProperties>" + x[end:])


def ocsp_values(resp):
    return ("<xades:RevocationValues><xades:OCSPValues><xades:EncapsulatedOCSPValue>%s"
            "</xades:EncapsulatedOCSPValue></xades:OCSPValues></xades:RevocationValues>" % b64(der_of(resp)))


def main(argv):
    src, dst, op, args = argv[1], argv[2], argv[3], argv[4:]
    x = open(src, encoding="utf-8").read()
    if op == "keyinfo-add":
        x = keyinfo_add(x, args)
    elif op == "unsigned-add":
        x = unsigned_add(x, open(args[0], encoding="utf-8").read())
    elif op == "ocsp-add":
        x = unsigned_add(x, ocsp_values(args[0]))
    elif op == "tsvd-ocsp-add":
        x = unsigned_add(x, '<xadesv141:TimeStampValidationData xmlns:xadesv141="%s">%s'
                         '</xadesv141:TimeStampValidationData>' % (XADES141, ocsp_values(args[0])))
    else:
        sys.exit("unknown operation " + op)
    open(dst, "w", encoding="utf-8").write(x)


if __name__ == "__main__":
    main(sys.argv)
