/* formats/tst_parse.c — structural, strict parsing of a TimeStampToken (ContentInfo ->
 * SignedData -> TSTInfo fields) and reading its messageImprint algorithm. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "formats/tst_internal.h"

void tst_parsed_free(tst_parsed *t)
{
	asn1_delete_structure(&t->ci);
	asn1_delete_structure(&t->sd);
	asn1_delete_structure(&t->info);
	free(t->sd_der);
	free(t->econtent);
	free(t->imprint);
	memset(t, 0, sizeof *t);
}

/* Parse "YYYYMMDDHHMMSS[.f+]Z". */
static int parse_gentime(const char *s, time_t *out)
{
	struct tm tm;
	size_t n = strlen(s), i;
	int v[6], widths[6] = {4, 2, 2, 2, 2, 2};
	const char *p = s;

	if (n < 15 || s[n - 1] != 'Z')
		return -1;
	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (int k = 0; k < widths[i]; k++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v[i] = v[i] * 10 + (*p - '0');
		}
	}
	if (*p == '.') {
		p++;
		if (*p == 'Z')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != 'Z' || p[1] != '\0')
		return -1;
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	*out = timegm(&tm);
	return 0;
}

/* Does element NAME of the decoded NODE re-encode to exactly its bytes in DER? */
static int same_der(asn1_node node, const unsigned char *der, size_t len, const char *name,
		    char *why, size_t whylen, accord_error *err)
{
	unsigned char *again = NULL;
	size_t again_len = 0;
	int start = 0, end = 0, rc, same;

	if (asn1_der_decoding_startEnd(node, der, (int)len, name, &start, &end) != ASN1_SUCCESS ||
	    start < 0 || end < start || (size_t)end >= len) {
		snprintf(why, whylen, "%s cannot be located", name);
		return ACCORD_ERR_FORMAT;
	}
	rc = tst_encode(node, name, &again, &again_len, err);
	if (rc != ACCORD_OK)
		return rc;
	same = again_len == (size_t)(end - start + 1) && memcmp(again, der + start, again_len) == 0;
	free(again);
	if (!same) {
		snprintf(why, whylen, "%s is not in DER form", name);
		return ACCORD_ERR_FORMAT;
	}
	return ACCORD_OK;
}

/* Structural parse: ContentInfo -> SignedData -> TSTInfo. Returns ACCORD_SUB_NONE or the
 * sub-indication; reason filled. Fills the descriptive fields of r. */
accord_subindication tst_parse(const unsigned char *token, size_t len, tst_parsed *t,
		      accord_tst_result *r, accord_error *err, int *oprc)
{
	char oid[128], why[300] = "";
	unsigned char *v = NULL;
	size_t n;
	long version;
	int rc, count = 0;
	accord_subindication sub = SUB_FORMAT;

	*oprc = ACCORD_OK;
	/* RFC 5652 lets the ContentInfo wrapper be BER (DSS and SK's TSA write it with
	 * indefinite lengths); what the signature covers is checked for DER below. */
	rc = tst_decode("ContentInfo", token, len, 1, &t->ci, why, sizeof why, err);
	if (rc == ACCORD_ERR_FORMAT) {
		asn1_delete_structure(&t->ci);
		rc = tst_decode("ContentInfo", token, len, 0, &t->ci, why, sizeof why, err);
	}
	if (rc != ACCORD_OK)
		goto fail;
	if (tst_read_str(t->ci, "contentType", oid, sizeof oid) != ASN1_SUCCESS) {
		snprintf(why, sizeof why, "ContentInfo has no content type");
		goto fail;
	}
	if (strcmp(oid, OID_SIGNED_DATA) != 0) {
		snprintf(why, sizeof why, "content type %s is not CMS SignedData", oid);
		sub = SUB_NO_SIGNED_DATA;
		goto fail;
	}
	if (tst_read(t->ci, "content", &t->sd_der, &t->sd_len) != ASN1_SUCCESS) {
		snprintf(why, sizeof why, "SignedData is missing");
		sub = SUB_NO_SIGNED_DATA;
		goto fail;
	}
	/* SignedData as a whole is not compared with its re-encoding: openssl writes the
	 * certificates SET OF unsorted. Its parts that matter are, below. */
	rc = tst_decode("SignedData", t->sd_der, t->sd_len, 2, &t->sd, why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto fail;
	rc = same_der(t->sd, t->sd_der, t->sd_len, "encapContentInfo", why, sizeof why, err);
	if (rc == ACCORD_OK)
		rc = same_der(t->sd, t->sd_der, t->sd_len, "signerInfos.?1", why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto fail;
	/* RFC 5652 5.1: version 3 (or 4, 5 with other certificate forms) for a non-data
	 * eContentType; and the signer's digest algorithm is listed in digestAlgorithms. */
	if (tst_read_small_int(t->sd, "version", &version) != ASN1_SUCCESS || version < 3 ||
	    version > 5) {
		snprintf(why, sizeof why, "SignedData version is not 3");
		goto fail;
	}
	{
		char sig_dig[128], listed[128], name[64];
		int found = 0;
		if (tst_read_str(t->sd, "signerInfos.?1.digestAlgorithm.algorithm", sig_dig,
				 sizeof sig_dig) != ASN1_SUCCESS ||
		    asn1_number_of_elements(t->sd, "digestAlgorithms", &count) != ASN1_SUCCESS)
			count = 0;
		for (int i = 1; i <= count && !found; i++) {
			snprintf(name, sizeof name, "digestAlgorithms.?%d.algorithm", i);
			found = tst_read_str(t->sd, name, listed, sizeof listed) == ASN1_SUCCESS &&
				!strcmp(listed, sig_dig);
		}
		if (!found) {
			snprintf(why, sizeof why, "the signer's digest algorithm is not in digestAlgorithms");
			goto fail;
		}
		count = 0;
	}
	if (tst_read_str(t->sd, "encapContentInfo.eContentType", oid, sizeof oid) != ASN1_SUCCESS ||
	    strcmp(oid, ACCORD_OID_TSTINFO) != 0) {
		snprintf(why, sizeof why, "eContentType %s is not id-ct-TSTInfo", oid);
		goto fail;
	}
	if (tst_read(t->sd, "encapContentInfo.eContent", &t->econtent, &t->econtent_len) !=
	    ASN1_SUCCESS) {
		snprintf(why, sizeof why, "the TSTInfo is not embedded");
		goto fail;
	}
	if (asn1_number_of_elements(t->sd, "signerInfos", &count) != ASN1_SUCCESS || count != 1) {
		snprintf(why, sizeof why, "%d signers instead of exactly one", count);
		goto fail;
	}
	{
		/* RFC 5652 5.3: version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier */
		char choice[64];
		long siv = 0;
		if (tst_read_small_int(t->sd, "signerInfos.?1.version", &siv) != ASN1_SUCCESS ||
		    tst_read_str(t->sd, "signerInfos.?1.sid", choice, sizeof choice) != ASN1_SUCCESS ||
		    siv != (strcmp(choice, "subjectKeyIdentifier") ? 1 : 3)) {
			snprintf(why, sizeof why, "SignerInfo version does not fit its signer identifier");
			goto fail;
		}
	}
	rc = tst_decode("TSTInfo", t->econtent, t->econtent_len, 1, &t->info, why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto fail;
	if (tst_read_small_int(t->info, "version", &version) != ASN1_SUCCESS || version != 1) {
		snprintf(why, sizeof why, "TSTInfo version is not 1");
		goto fail;
	}
	if (tst_read_str(t->info, "policy", r->policy, sizeof r->policy) != ASN1_SUCCESS) {
		snprintf(why, sizeof why, "TSTInfo has no policy");
		goto fail;
	}
	if (tst_read(t->info, "serialNumber", &v, &n) != ASN1_SUCCESS || n == 0 || (v[0] & 0x80)) {
		snprintf(why, sizeof why, "serialNumber is not a positive integer");
		goto fail;
	}
	tst_int_hex(v, n, r->serial_hex, sizeof r->serial_hex);
	free(v);
	v = NULL;
	if (tst_read_str(t->info, "genTime", r->gen_time_text, sizeof r->gen_time_text) !=
		    ASN1_SUCCESS ||
	    parse_gentime(r->gen_time_text, &r->gen_time) != 0) {
		snprintf(why, sizeof why, "genTime '%s' is not a UTC GeneralizedTime", r->gen_time_text);
		goto fail;
	}
	{
		long s = 0, ms = 0, us = 0;
		int a = tst_read_small_int(t->info, "accuracy.seconds", &s);
		int b = tst_read_small_int(t->info, "accuracy.millis", &ms);
		int c = tst_read_small_int(t->info, "accuracy.micros", &us);
		if (a == ASN1_SUCCESS || b == ASN1_SUCCESS || c == ASN1_SUCCESS) {
			if (s < 0 || ms < 0 || ms > 999 || us < 0 || us > 999) {
				snprintf(why, sizeof why, "accuracy out of range");
				goto fail;
			}
			r->has_accuracy = 1;
			r->accuracy_seconds = (unsigned)s;
			r->accuracy_millis = (unsigned)ms;
			r->accuracy_micros = (unsigned)us;
		}
	}
	{
		unsigned char nonce[ACCORD_TST_MAX_NONCE];
		size_t nlen = 0;
		if (tst_read_positive(t->info, "nonce", nonce, sizeof nonce, &nlen, &r->has_nonce, why,
				      sizeof why) != ACCORD_OK)
			goto fail;
		if (r->has_nonce)
			tst_int_hex(nonce, nlen, r->nonce_hex, sizeof r->nonce_hex);
	}
	if (tst_read_str(t->info, "messageImprint.hashAlgorithm.algorithm", oid, sizeof oid) !=
		    ASN1_SUCCESS ||
	    tst_read(t->info, "messageImprint.hashedMessage", &t->imprint, &t->imprint_len) !=
		    ASN1_SUCCESS) {
		snprintf(why, sizeof why, "messageImprint is incomplete");
		goto fail;
	}
	t->imprint_alg = gnutls_oid_to_digest(oid);
	snprintf(r->imprint_alg, sizeof r->imprint_alg, "%.15s",
		 t->imprint_alg != GNUTLS_DIG_UNKNOWN ? gnutls_digest_get_name(t->imprint_alg) : oid);
	return ACCORD_SUB_NONE;
fail:
	free(v);
	if (rc != ACCORD_OK && rc != ACCORD_ERR_FORMAT) { /* an operational failure */
		*oprc = rc;
		return SUB_FORMAT;
	}
	snprintf(r->reason, sizeof r->reason, "%s", why);
	return sub;
}

int accord_tst_imprint_alg(const unsigned char *token, size_t len,
			   gnutls_digest_algorithm_t *alg, accord_error *err)
{
	tst_parsed t;
	accord_tst_result r;
	int oprc;
	accord_subindication sub;

	memset(&t, 0, sizeof t);
	memset(&r, 0, sizeof r);
	sub = tst_parse(token, len, &t, &r, err, &oprc);
	*alg = t.imprint_alg;
	tst_parsed_free(&t);
	if (oprc != ACCORD_OK)
		return oprc;
	if (sub != ACCORD_SUB_NONE)
		return accord_err(err, ACCORD_ERR_FORMAT, "timestamp token", "%s", r.reason);
	if (*alg == GNUTLS_DIG_UNKNOWN)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "timestamp token",
				  "unknown imprint algorithm %s", r.imprint_alg);
	return ACCORD_OK;
}
