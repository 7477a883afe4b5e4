/* formats/xmldsig_algs.c — the XML-DSig algorithm identifiers accord knows, mapped to
 * GnuTLS and libgcrypt. */
#include <string.h>
#include <gcrypt.h>
#include "formats/xades.h"

static const accord_digest_alg digests[] = {
	{"http://www.w3.org/2001/04/xmlenc#sha256", GNUTLS_DIG_SHA256, GCRY_MD_SHA256, 32, 0},
	{"http://www.w3.org/2001/04/xmldsig-more#sha384", GNUTLS_DIG_SHA384, GCRY_MD_SHA384, 48, 0},
	{"http://www.w3.org/2001/04/xmlenc#sha512", GNUTLS_DIG_SHA512, GCRY_MD_SHA512, 64, 0},
	{"http://www.w3.org/2000/09/xmldsig#sha1", GNUTLS_DIG_SHA1, GCRY_MD_SHA1, 20, 1},
	{"http://www.w3.org/2001/04/xmldsig-more#md5", GNUTLS_DIG_MD5, GCRY_MD_MD5, 16, 1},
};

static const accord_sig_alg sigs[] = {
	{"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_PK_ECDSA, 1, 0},
	{"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_PK_ECDSA, 1, 0},
	{"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", GNUTLS_SIGN_ECDSA_SHA512, GNUTLS_PK_ECDSA, 1, 0},
	{"http://www.w3.org/2001/04/xmldsig-more#rsa-sha224", GNUTLS_SIGN_RSA_SHA224, GNUTLS_PK_RSA, 0, 0},
	{"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224", GNUTLS_SIGN_ECDSA_SHA224, GNUTLS_PK_ECDSA, 1, 0},
	{"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", GNUTLS_SIGN_RSA_SHA256, GNUTLS_PK_RSA, 0, 0},
	{"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", GNUTLS_SIGN_RSA_SHA384, GNUTLS_PK_RSA, 0, 0},
	{"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", GNUTLS_SIGN_RSA_SHA512, GNUTLS_PK_RSA, 0, 0},
	{"http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", GNUTLS_SIGN_RSA_PSS_SHA256, GNUTLS_PK_RSA, 0, 0},
	{"http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519", GNUTLS_SIGN_EDDSA_ED25519, GNUTLS_PK_EDDSA_ED25519, 0, 0},
	{"http://www.w3.org/2000/09/xmldsig#rsa-sha1", GNUTLS_SIGN_RSA_SHA1, GNUTLS_PK_RSA, 0, 1},
	{"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", GNUTLS_SIGN_ECDSA_SHA1, GNUTLS_PK_ECDSA, 1, 1},
	{"http://www.w3.org/2001/04/xmldsig-more#rsa-md5", GNUTLS_SIGN_RSA_MD5, GNUTLS_PK_RSA, 0, 1},
};

const accord_digest_alg *accord_digest_by_uri(const char *uri)
{
	for (size_t i = 0; uri && i < sizeof digests / sizeof digests[0]; i++)
		if (!strcmp(uri, digests[i].uri))
			return &digests[i];
	return NULL;
}

const accord_digest_alg *accord_digest_by_gnutls(gnutls_digest_algorithm_t d)
{
	for (size_t i = 0; i < sizeof digests / sizeof digests[0]; i++)
		if (digests[i].gnutls == d)
			return &digests[i];
	return NULL;
}

const accord_sig_alg *accord_sig_alg_by_uri(const char *uri)
{
	for (size_t i = 0; uri && i < sizeof sigs / sizeof sigs[0]; i++)
		if (!strcmp(uri, sigs[i].uri))
			return &sigs[i];
	return NULL;
}
