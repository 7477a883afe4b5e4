/* tests/unit/test_xades.c — reference URIs, canonicalisation and the strict XAdES parser. */
#include <string.h>
#include <libxml/parser.h>
#include "unit.h"
#include "formats/xades.h"
#include "formats/c14n.h"
#include "formats/xml_safe.h"

START_TEST(uri_encoding_follows_digidoc)
{
	char *e = accord_uri_encode("dir/annex one+été.txt"), *d;

	ck_assert_str_eq(e, "dir/annex%20one%2B%C3%A9t%C3%A9.txt");
	d = accord_uri_decode(e);
	ck_assert_str_eq(d, "dir/annex one+été.txt");
	free(e);
	free(d);
	d = accord_uri_decode("a+b.txt"); /* '+' stays '+', never a space */
	ck_assert_str_eq(d, "a+b.txt");
	free(d);
	ck_assert_ptr_null(accord_uri_decode("bad%2"));
	ck_assert_ptr_null(accord_uri_decode("nul%00.txt"));
	ck_assert_ptr_null(accord_uri_decode("x.txt#frag"));
}
END_TEST

START_TEST(c14n_sorts_namespaces_and_attributes)
{
	static const char xml[] = "<r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><a:x  y=\"1\"   b:z=\"2\"/></r>";
	xmlDocPtr doc = NULL;
	accord_error err;
	unsigned char *out = NULL;
	size_t len = 0;
	xmlNodePtr x;

	ck_assert_int_eq(accord_xml_parse((const unsigned char *)xml, sizeof xml - 1, "t", &doc, &err), ACCORD_OK);
	x = accord_xml_first_element(xmlDocGetRootElement(doc));
	ck_assert_int_eq(accord_c14n_node(x, ACCORD_C14N_EXC, NULL, &out, &len, &err), ACCORD_OK);
	ck_assert_str_eq((char *)out, "<a:x xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" y=\"1\" b:z=\"2\"></a:x>");
	xmlFree(out);
	ck_assert_int_eq(accord_c14n_node(x, ACCORD_C14N_11, NULL, &out, &len, &err), ACCORD_OK);
	ck_assert_str_eq((char *)out, "<a:x xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" y=\"1\" b:z=\"2\"></a:x>");
	xmlFree(out);
	ck_assert_int_eq(accord_c14n_node(x, "urn:unknown", NULL, &out, &len, &err), ACCORD_ERR_UNSUPPORTED);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(c14n_exclusive_drops_unused_namespaces)
{
	static const char xml[] = "<r xmlns:a=\"urn:a\" xmlns:u=\"urn:unused\"><a:x/></r>";
	xmlDocPtr doc = NULL;
	accord_error err;
	unsigned char *out = NULL;
	size_t len = 0;

	ck_assert_int_eq(accord_xml_parse((const unsigned char *)xml, sizeof xml - 1, "t", &doc, &err), ACCORD_OK);
	ck_assert_int_eq(accord_c14n_node(accord_xml_first_element(xmlDocGetRootElement(doc)),
					  ACCORD_C14N_EXC, NULL, &out, &len, &err), ACCORD_OK);
	ck_assert_str_eq((char *)out, "<a:x xmlns:a=\"urn:a\"></a:x>");
	xmlFree(out);
	ck_assert_int_eq(accord_c14n_node(accord_xml_first_element(xmlDocGetRootElement(doc)),
					  ACCORD_C14N_10, NULL, &out, &len, &err), ACCORD_OK);
	ck_assert_str_eq((char *)out, "<a:x xmlns:a=\"urn:a\" xmlns:u=\"urn:unused\"></a:x>");
	xmlFree(out);
	xmlFreeDoc(doc);
}
END_TEST

static int parse_str(const char *xml, accord_xsig_file *f, accord_error *err)
{
	return accord_xades_parse((const unsigned char *)xml, strlen(xml), "sig.xml", f, err);
}

START_TEST(parser_refuses_doctype_wrong_root_and_duplicate_ids)
{
	accord_xsig_file f;
	accord_error err;

	ck_assert_int_eq(parse_str("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", &f, &err),
			 ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "DOCTYPE"));
	accord_xades_file_clear(&f);
	ck_assert_int_eq(parse_str("<x xmlns=\"urn:other\"/>", &f, &err), ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "XAdESSignatures"));
	accord_xades_file_clear(&f);
	ck_assert_int_eq(parse_str("<asic:XAdESSignatures xmlns:asic=\"" ACCORD_NS_ASIC "\"><a Id=\"x\"/><b Id=\"x\"/></asic:XAdESSignatures>",
				   &f, &err), ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "duplicate Id"));
	accord_xades_file_clear(&f);
	ck_assert_int_eq(parse_str("<asic:XAdESSignatures xmlns:asic=\"" ACCORD_NS_ASIC "\"/>", &f, &err),
			 ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "no ds:Signature"));
	accord_xades_file_clear(&f);
	ck_assert_int_eq(parse_str("", &f, &err), ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "empty"));
	accord_xades_file_clear(&f);
}
END_TEST

START_TEST(algorithm_tables)
{
	ck_assert_int_eq(accord_digest_by_uri("http://www.w3.org/2001/04/xmlenc#sha256")->len, 32);
	ck_assert_int_eq(accord_digest_by_uri("http://www.w3.org/2000/09/xmldsig#sha1")->weak, 1);
	ck_assert_ptr_null(accord_digest_by_uri("urn:nope"));
	ck_assert_int_eq(accord_sig_alg_by_uri("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256")->raw_ecdsa, 1);
	ck_assert_int_eq(accord_sig_alg_by_uri("http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519")->pk,
			 GNUTLS_PK_EDDSA_ED25519);
	ck_assert_int_eq(accord_sig_alg_by_uri("http://www.w3.org/2001/04/xmldsig-more#rsa-md5")->weak, 1);
	/* RFC 6931 2.3.2: SHA-224 methods (DigiDoc wrote rsa-sha224); the crypto policy
	 * gives SHA-224 an end date. */
	ck_assert_int_eq(accord_sig_alg_by_uri("http://www.w3.org/2001/04/xmldsig-more#rsa-sha224")->gnutls,
			 GNUTLS_SIGN_RSA_SHA224);
	ck_assert_int_eq(accord_sig_alg_by_uri("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224")->raw_ecdsa, 1);
}
END_TEST

/* A minimal signature the parser accepts; REFS are the References of its SignedInfo. */
#define D32 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define SHA256_DM "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>" D32 "</ds:DigestValue>"
#define SIG_XML(REFS)                                                                                        \
	"<asic:XAdESSignatures xmlns:asic=\"" ACCORD_NS_ASIC "\" xmlns:ds=\"" ACCORD_NS_DS                   \
	"\" xmlns:xades=\"" ACCORD_NS_XADES "\"><ds:Signature Id=\"S0\"><ds:SignedInfo>"                   \
	"<ds:CanonicalizationMethod Algorithm=\"" ACCORD_C14N_EXC "\"/>"                                     \
	"<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"/>" REFS      \
	"</ds:SignedInfo><ds:SignatureValue Id=\"S0-SIG\">AAAA</ds:SignatureValue><ds:KeyInfo><ds:X509Data>" \
	"<ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo><ds:Object>"               \
	"<xades:QualifyingProperties Target=\"#S0\"><xades:SignedProperties Id=\"S0-SP\">"                  \
	"<xades:SignedSignatureProperties><xades:SigningCertificateV2><xades:Cert><xades:CertDigest>"       \
	SHA256_DM "</xades:CertDigest></xades:Cert></xades:SigningCertificateV2>"                           \
	"</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties>"          \
	"</ds:Object></ds:Signature></asic:XAdESSignatures>"
#define EXC_T "<ds:Transforms><ds:Transform Algorithm=\"" ACCORD_C14N_EXC "\"/></ds:Transforms>"
#define DATA_REF(TYPE) "<ds:Reference Id=\"r0\"" TYPE " URI=\"a.txt\">" SHA256_DM "</ds:Reference>"
#define SP_REF(TYPE, URI, T) "<ds:Reference" TYPE " URI=\"" URI "\">" T SHA256_DM "</ds:Reference>"
#define SPT " Type=\"" ACCORD_TYPE_SIGNED_PROPS "\""

static int has_note(const accord_xsig *s, const char *rule_part)
{
	for (size_t i = 0; i < s->n_notes; i++)
		if (strstr(s->notes[i].rule, rule_part))
			return 1;
	return 0;
}

START_TEST(reference_type_is_advisory_the_target_decides)
{
	accord_xsig_file f;
	accord_error err;

	/* the strict shape: no notes */
	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF("") SP_REF(SPT, "#S0-SP", EXC_T)), &f, &err), ACCORD_OK);
	ck_assert_uint_eq(f.sigs[0].n_notes, 0);
	ck_assert_int_eq(f.sigs[0].refs[1].is_signed_props, 1);
	accord_xades_file_clear(&f);
	/* Type="" on a data reference and on the SignedProperties one: read, noted */
	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF(" Type=\"\"") SP_REF(" Type=\"\"", "#S0-SP", EXC_T)), &f, &err),
			 ACCORD_OK);
	ck_assert_int_eq(f.sigs[0].refs[0].is_signed_props, 0);
	ck_assert_str_eq(f.sigs[0].refs[0].path, "a.txt");
	ck_assert_int_eq(f.sigs[0].refs[1].is_signed_props, 1);
	ck_assert_uint_eq(f.sigs[0].n_notes, 2);
	ck_assert(has_note(&f.sigs[0], "Type is advisory"));
	accord_xades_file_clear(&f);
	/* an unknown Type on the reference that points at SignedProperties */
	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF("") SP_REF(" Type=\"urn:x\"", "#S0-SP", EXC_T)), &f, &err), ACCORD_OK);
	ck_assert_int_eq(f.sigs[0].refs[1].is_signed_props, 1);
	accord_xades_file_clear(&f);
	/* a data reference whose Type claims SignedProperties is never the SignedProperties one */
	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF(SPT) SP_REF("", "#S0-SP", EXC_T)), &f, &err), ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "must point inside the document"));
	accord_xades_file_clear(&f);
	/* an unknown Type pointing at another element of the signature */
	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF("") SP_REF(SPT, "#S0-SP", EXC_T) SP_REF(" Type=\"urn:x\"", "#S0-SIG", EXC_T)),
				   &f, &err), ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "not the signed properties"));
	accord_xades_file_clear(&f);
	/* a Type that claims SignedProperties must point there */
	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF("") SP_REF(SPT, "#S0-SIG", EXC_T)), &f, &err), ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "does not resolve"));
	accord_xades_file_clear(&f);
	/* exactly one reference covers SignedProperties, whatever the Types say */
	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF("") SP_REF(SPT, "#S0-SP", EXC_T) SP_REF(" Type=\"\"", "#S0-SP", EXC_T)),
				   &f, &err), ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "exactly one SignedProperties reference"));
	accord_xades_file_clear(&f);
	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF("")), &f, &err), ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "exactly one SignedProperties reference"));
	accord_xades_file_clear(&f);
}
END_TEST

START_TEST(same_document_reference_without_transforms_is_c14n_10)
{
	accord_xsig_file f;
	accord_error err;
	unsigned char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;

	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF("") SP_REF(SPT, "#S0-SP", "")), &f, &err), ACCORD_OK);
	ck_assert_int_eq(f.sigs[0].refs[1].is_signed_props, 1);
	ck_assert_int_eq(f.sigs[0].refs[1].implicit_c14n, 1);
	ck_assert_str_eq(f.sigs[0].refs[1].transform, ACCORD_C14N_10);
	ck_assert(has_note(&f.sigs[0], "no Transforms"));
	/* inclusive: the ancestors' namespace declarations are part of the digested bytes */
	ck_assert_int_eq(accord_c14n_node(f.sigs[0].signed_props, f.sigs[0].refs[1].transform, NULL, &a, &la, &err), ACCORD_OK);
	ck_assert_int_eq(accord_c14n_node(f.sigs[0].signed_props, ACCORD_C14N_EXC, NULL, &b, &lb, &err), ACCORD_OK);
	ck_assert_ptr_nonnull(strstr((char *)a, "xmlns:asic="));
	ck_assert_ptr_null(strstr((char *)b, "xmlns:asic="));
	xmlFree(a);
	xmlFree(b);
	accord_xades_file_clear(&f);
	/* a data reference still may not carry transforms, nor a same-document one lack a target */
	ck_assert_int_eq(parse_str(SIG_XML(DATA_REF("") SP_REF(SPT, "#S0-SP", "") SP_REF("", "#S0", "")), &f, &err),
			 ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "not the signed properties"));
	accord_xades_file_clear(&f);
}
END_TEST

static Suite *xades_suite(void)
{
	Suite *s = suite_create("xades");
	UNIT_ADD(s, uri_encoding_follows_digidoc);
	UNIT_ADD(s, c14n_sorts_namespaces_and_attributes);
	UNIT_ADD(s, c14n_exclusive_drops_unused_namespaces);
	UNIT_ADD(s, parser_refuses_doctype_wrong_root_and_duplicate_ids);
	UNIT_ADD(s, algorithm_tables);
	UNIT_ADD(s, reference_type_is_advisory_the_target_decides);
	UNIT_ADD(s, same_document_reference_without_transforms_is_c14n_10);
	return s;
}

UNIT_MAIN(xades_suite)
