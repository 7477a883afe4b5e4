/* formats/tsr.c — RFC 3161 TimeStampResp: building and parsing replies, failInfo names. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "formats/tst_internal.h"

static const char *pki_status_name(long s)
{
	static const char *const names[] = {"granted", "grantedWithMods", "rejection", "waiting",
					    "revocationWarning", "revocationNotification"};

	return (s >= 0 && s <= 5) ? names[s] : "unknown";
}

const char *accord_tsr_fail_name(int bit)
{
	switch (bit) {
	case ACCORD_FAIL_BAD_ALG: return "badAlg";
	case ACCORD_FAIL_BAD_REQUEST: return "badRequest";
	case ACCORD_FAIL_BAD_DATA_FORMAT: return "badDataFormat";
	case ACCORD_FAIL_TIME_NOT_AVAILABLE: return "timeNotAvailable";
	case ACCORD_FAIL_UNACCEPTED_POLICY: return "unacceptedPolicy";
	case ACCORD_FAIL_UNACCEPTED_EXTENSION: return "unacceptedExtension";
	case ACCORD_FAIL_ADD_INFO_NOT_AVAILABLE: return "addInfoNotAvailable";
	case ACCORD_FAIL_SYSTEM_FAILURE: return "systemFailure";
	default: return NULL;
	}
}

int accord_tsr_build(int status, const char *text, int fail_bit, const unsigned char *token,
		     size_t token_len, unsigned char **der, size_t *len, accord_error *err)
{
	asn1_node resp = NULL;
	unsigned char bits[4] = {0};
	char num[16];
	int rc;

	*der = NULL;
	*len = 0;
	snprintf(num, sizeof num, "%d", status);
	rc = tst_node_new("TimeStampResp", &resp, err);
	if (rc == ACCORD_OK)
		rc = tst_write_int(resp, "status.status", num, err);
	if (rc == ACCORD_OK && text) {
		rc = tst_write_str(resp, "status.statusString", "NEW", err);
		if (rc == ACCORD_OK)
			rc = tst_write_str(resp, "status.statusString.?LAST", text, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(resp, "status.statusString", NULL, 0, err);
	}
	if (rc == ACCORD_OK && fail_bit >= 0 && fail_bit < 32) {
		/* DER named-bit list: exactly up to the last set bit. */
		bits[fail_bit / 8] = (unsigned char)(0x80 >> (fail_bit % 8));
		rc = tst_write(resp, "status.failInfo", bits, (size_t)fail_bit + 1, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(resp, "status.failInfo", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(resp, "timeStampToken", token, token ? token_len : 0, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(resp, "", der, len, err);
	asn1_delete_structure(&resp);
	return rc;
}

int accord_tsr_parse(const unsigned char *der, size_t len, int *status, unsigned char **token,
		     size_t *token_len, accord_error *err)
{
	asn1_node resp = NULL;
	unsigned char *text = NULL, *bits = NULL;
	size_t tlen = 0, nbits = 0;
	long st = -1;
	char why[300] = "", fails[200] = "";
	int rc;

	*status = -1;
	*token = NULL;
	*token_len = 0;
	rc = tst_decode("TimeStampResp", der, len, 0, &resp, why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto out;
	if (tst_read_small_int(resp, "status.status", &st) != ASN1_SUCCESS || st < 0) {
		snprintf(why, sizeof why, "PKIStatusInfo has no valid status");
		rc = ACCORD_ERR_FORMAT;
		goto out;
	}
	*status = (int)st;
	if (st == ACCORD_PKI_GRANTED || st == ACCORD_PKI_GRANTED_WITH_MODS) {
		if (tst_read(resp, "timeStampToken", token, token_len) != ASN1_SUCCESS ||
		    *token_len == 0) {
			free(*token);
			*token = NULL;
			*token_len = 0;
			snprintf(why, sizeof why, "status %s but no timeStampToken", pki_status_name(st));
			rc = ACCORD_ERR_FORMAT;
		}
		goto out;
	}
	(void)tst_read(resp, "status.statusString.?1", &text, &tlen);
	if (tst_read(resp, "status.failInfo", &bits, &nbits) == ASN1_SUCCESS) {
		for (size_t b = 0; b < nbits && b < 32; b++) {
			const char *name;
			if (!(bits[b / 8] & (0x80 >> (b % 8))))
				continue;
			name = accord_tsr_fail_name((int)b);
			snprintf(fails + strlen(fails), sizeof fails - strlen(fails), "%s%s",
				 fails[0] ? "," : "", name ? name : "unknownFailure");
		}
	}
	/* The text comes from outside: keep printable ASCII only. */
	for (size_t i = 0; text && i < tlen; i++)
		if (text[i] < 0x20 || text[i] > 0x7e)
			text[i] = '?';
	snprintf(why, sizeof why, "the TSA answered %s (status %ld)%s%.*s%s%s", pki_status_name(st),
		 st, text && tlen ? ": " : "", text ? (int)(tlen > 200 ? 200 : tlen) : 0,
		 text ? (const char *)text : "", fails[0] ? "; failInfo " : "", fails);
	rc = ACCORD_ERR_FORMAT;
out:
	free(text);
	free(bits);
	asn1_delete_structure(&resp);
	if (rc == ACCORD_ERR_FORMAT)
		return accord_err(err, rc, "timestamp reply", "%s", why);
	return rc;
}
