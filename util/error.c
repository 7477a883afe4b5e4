/* util/error.c — filling the error context; messages name the place and the reason. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include "util/internal.h"

const char *accord_strerror(int code)
{
	switch (code) {
	case ACCORD_OK: return "success";
	case ACCORD_ERR_USAGE: return "invalid argument";
	case ACCORD_ERR_IO: return "input/output error";
	case ACCORD_ERR_NOMEM: return "out of memory";
	case ACCORD_ERR_FORMAT: return "malformed or refused input";
	case ACCORD_ERR_LIMIT: return "safety limit exceeded";
	case ACCORD_ERR_CRYPTO: return "cryptographic failure";
	case ACCORD_ERR_PASSPHRASE: return "wrong passphrase";
	case ACCORD_ERR_PERM: return "unsafe permissions";
	case ACCORD_ERR_EXISTS: return "already exists";
	case ACCORD_ERR_NOTFOUND: return "not found";
	case ACCORD_ERR_UNSUPPORTED: return "not supported";
	case ACCORD_ERR_NETWORK: return "network error";
	case ACCORD_ERR_KEY_MISMATCH: return "key does not match the certificate";
	}
	return "unknown error";
}

void accord_error_clear(accord_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

int accord_err(accord_error *err, int code, const char *where, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	snprintf(err->where, sizeof err->where, "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(err->why, sizeof err->why, fmt, ap);
	va_end(ap);
	return code;
}

int accord_err_gnutls(accord_error *err, const char *where, const char *call, int rc)
{
	int code = ACCORD_ERR_CRYPTO;

	if (rc == GNUTLS_E_DECRYPTION_FAILED)
		code = ACCORD_ERR_PASSPHRASE;
	else if (rc == GNUTLS_E_MEMORY_ERROR)
		code = ACCORD_ERR_NOMEM;
	else if (rc == GNUTLS_E_FILE_ERROR)
		code = ACCORD_ERR_IO;
	else if (rc == GNUTLS_E_ASN1_DER_ERROR || rc == GNUTLS_E_BASE64_DECODING_ERROR ||
		 rc == GNUTLS_E_ASN1_TAG_ERROR || rc == GNUTLS_E_ASN1_DER_OVERFLOW)
		code = ACCORD_ERR_FORMAT;
	return accord_err(err, code, where, "%s: %s", call, gnutls_strerror(rc));
}
