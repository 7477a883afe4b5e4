#!/usr/bin/env python3
"""tests/tools/tsledit.py — edits a trusted list written by `accord tsl make` as text (the
bytes stay as they were except for the edit), for the tests in tests/cli/tsl.sh.

  tsledit.py OP IN OUT [ARGS]

  template            blank DigestValue, SignatureValue and the KeyInfo certificate, so
                      that xmlsec1 --sign re-signs the edited list (the signer's own tool)
  status N S T [H HT] service N (from 0): current ServiceStatus S (a word: granted,
                      withdrawn...) since T, with one ServiceHistoryInstance H since HT
  ski N               service N identified by an X509SKI instead of its certificate
  retype N TYPE       service N's ServiceTypeIdentifier becomes .../Svctype/TYPE
  many COUNT          COUNT copies of the first service (without blank text nodes)
  deep DEPTH          DEPTH nested elements inside a scheme extension
  doctype             an internal DTD with an entity used in the operator name
  next-update T       NextUpdate becomes T
  uri-id              the list reference names the root's Id instead of URI=""
  wrap                the signed list inside a new root element
  object B64          wrapping: a list with an added CA service (certificate B64) as the
                      root, the signed original moved into a ds:Object of the signature,
                      the reference re-pointed at the moved copy's Id
"""
import re
import sys

STATUS = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
SVCTYPE = "http://uri.etsi.org/TrstSvc/Svctype/"


def services(x):
    return [m.span() for m in re.finditer(r"<tsl:TSPService>.*?</tsl:TSPService>", x, re.S)]


def edit_service(x, n, fn):
    a, b = services(x)[n]
    return x[:a] + fn(x[a:b]) + x[b:]


def main():
    op, src, dst, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    x = open(src, encoding="utf-8").read()
    if op == "template":
        x = re.sub(r"<ds:DigestValue>[^<]*</ds:DigestValue>", "<ds:DigestValue></ds:DigestValue>", x)
        x = re.sub(r"<ds:SignatureValue>[^<]*</ds:SignatureValue>", "<ds:SignatureValue></ds:SignatureValue>", x)
        x = re.sub(r"<ds:X509Data>.*?</ds:X509Data>", "<ds:X509Data><ds:X509Certificate/></ds:X509Data>", x, flags=re.S)
    elif op == "status":
        n, status, since = int(args[0]), args[1], args[2]

        def fn(s):
            s = re.sub(r"<tsl:ServiceStatus>[^<]*<", "<tsl:ServiceStatus>" + STATUS + status + "<", s)
            s = re.sub(r"<tsl:StatusStartingTime>[^<]*<", "<tsl:StatusStartingTime>" + since + "<", s, count=1)
            if len(args) > 3:
                info = re.search(r"<tsl:ServiceInformation>(.*?)<tsl:ServiceStatus>", s, re.S).group(1)
                hist = ("<tsl:ServiceHistory><tsl:ServiceHistoryInstance>" + info +
                        "<tsl:ServiceStatus>" + STATUS + args[3] + "</tsl:ServiceStatus>"
                        "<tsl:StatusStartingTime>" + args[4] + "</tsl:StatusStartingTime>"
                        "</tsl:ServiceHistoryInstance></tsl:ServiceHistory>")
                s = s.replace("</tsl:ServiceInformation>", "</tsl:ServiceInformation>" + hist)
            return s
        x = edit_service(x, n, fn)
    elif op == "ski":
        x = edit_service(x, int(args[0]), lambda s: re.sub(
            r"<tsl:X509Certificate>[^<]*</tsl:X509Certificate>",
            "<tsl:X509SKI>AAECAwQFBgcICQoLDA0ODxAREhM=</tsl:X509SKI>", s))
    elif op == "retype":
        x = edit_service(x, int(args[0]), lambda s: re.sub(
            r"<tsl:ServiceTypeIdentifier>[^<]*<", "<tsl:ServiceTypeIdentifier>" + SVCTYPE + args[1] + "<", s))
    elif op == "many":
        a, b = services(x)[0]
        compact = re.sub(r">\s+<", "><", x[a:b])  # few nodes each: the service bound is met first
        x = x[:b] + compact * int(args[0]) + x[b:]
    elif op == "deep":
        d = int(args[0])
        ext = ("<tsl:SchemeExtensions><tsl:Extension Critical=\"false\">" + "<e>" * d + "</e>" * d +
               "</tsl:Extension></tsl:SchemeExtensions>")
        x = x.replace("</tsl:SchemeInformation>", ext + "</tsl:SchemeInformation>")
    elif op == "doctype":
        x = x.replace("<tsl:TrustServiceStatusList",
                      "<!DOCTYPE tsl:TrustServiceStatusList [<!ENTITY e \"Evil operator\">]>\n<tsl:TrustServiceStatusList", 1)
        x = re.sub(r"(<tsl:SchemeOperatorName>\s*<tsl:Name xml:lang=\"en\">)[^<]*", r"\1&e;", x, count=1)
    elif op == "next-update":
        x = re.sub(r"(<tsl:NextUpdate>\s*<tsl:dateTime>)[^<]*", r"\g<1>" + args[0], x)
    elif op == "uri-id":
        rid = re.search(r'<tsl:TrustServiceStatusList[^>]* Id="([^"]*)"', x).group(1)
        x = x.replace('<ds:Reference URI="">', '<ds:Reference URI="#%s">' % rid, 1)
    elif op == "wrap":
        body = re.sub(r"^<\?xml[^>]*>\s*", "", x)
        x = '<?xml version="1.0" encoding="UTF-8"?>\n<Wrapper xmlns="urn:evil">' + body + "</Wrapper>\n"
    elif op == "object":
        cert = args[0]
        body = re.sub(r"^<\?xml[^>]*>\s*", "", x)
        rid = re.search(r'<tsl:TrustServiceStatusList[^>]* Id="([^"]*)"', body).group(1)
        # the moved copy keeps its Id and its own signature stripped (one ds:Signature only)
        moved = re.sub(r"<ds:Signature.*</ds:Signature>", "", body, flags=re.S)
        moved = moved.replace("<tsl:TrustServiceStatusList", '<tsl:TrustServiceStatusList xmlns:ds="http://www.w3.org/2000/09/xmldsig#"', 1)
        evil = body.replace(' Id="%s"' % rid, "", 1)
        a, b = services(evil)[0]
        svc = re.sub(r"<tsl:X509Certificate>[^<]*<", "<tsl:X509Certificate>" + cert + "<", evil[a:b])
        evil = evil[:b] + svc + evil[b:]
        evil = evil.replace('<ds:Reference URI="">', '<ds:Reference URI="#%s">' % rid, 1)
        evil = evil.replace("</ds:KeyInfo>", "</ds:KeyInfo><ds:Object>" + moved + "</ds:Object>", 1)
        x = '<?xml version="1.0" encoding="UTF-8"?>\n' + evil
    else:
        sys.exit("tsledit.py: unknown operation " + op)
    open(dst, "w", encoding="utf-8").write(x)


if __name__ == "__main__":
    main()
