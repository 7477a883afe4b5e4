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
	return s;
}

UNIT_MAIN(xades_suite)
