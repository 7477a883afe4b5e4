/* accord/error.h — error codes and the error context every call fills. */
#ifndef ACCORD_ERROR_H
#define ACCORD_ERROR_H

#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ACCORD_WUR __attribute__((warn_unused_result))

/* Every library call returns ACCORD_OK (0) or one of these negative codes, and
 * fills an accord_error naming WHERE (a file, an entry, a signature Id) and WHY. */
enum accord_code {
	ACCORD_OK = 0,
	ACCORD_ERR_USAGE = -1,       /* a bad argument from the caller */
	ACCORD_ERR_IO = -2,          /* the file system said no */
	ACCORD_ERR_NOMEM = -3,
	ACCORD_ERR_FORMAT = -4,      /* input is malformed or breaks a rule (hostile input) */
	ACCORD_ERR_LIMIT = -5,       /* a safety limit was exceeded */
	ACCORD_ERR_CRYPTO = -6,      /* the crypto library failed */
	ACCORD_ERR_PASSPHRASE = -7,  /* wrong passphrase for a key */
	ACCORD_ERR_PERM = -8,        /* unsafe permissions on a key file; a certificate not fit
	                                to sign (a CA's, or its key usages exclude signing) */
	ACCORD_ERR_EXISTS = -9,      /* the target exists and overwriting was not asked for */
	ACCORD_ERR_NOTFOUND = -10,   /* a named thing (file, signature Id, entry) is absent */
	ACCORD_ERR_UNSUPPORTED = -11,/* valid but not supported (algorithm, form) */
	ACCORD_ERR_NETWORK = -12,    /* a TSA or socket failed */
	ACCORD_ERR_KEY_MISMATCH = -13 /* the key is not the certificate's (refused like a wrong
	                                 passphrase: the same exit code) */
};

typedef struct accord_error {
	int code;
	char where[512];
	char why[768];
} accord_error;

/* A short generic phrase for a code ("malformed input", ...). */
const char *accord_strerror(int code);

/* Clear an error context before reuse. */
void accord_error_clear(accord_error *err);

/* Library set-up: GnuTLS, libgcrypt (with secure memory), libxml2.
 * Call once before anything else; accord_deinit at the end. */
int accord_init(accord_error *err) ACCORD_WUR;
void accord_deinit(void);

/* "2026-11-26T10:00:00Z" (or a date alone) to time_t, UTC only. */
int accord_time_parse(const char *s, time_t *out) ACCORD_WUR;
void accord_time_format(time_t t, char *buf, size_t n);

/* Version string of the library. */
const char *accord_version(void);

#ifdef __cplusplus
}
#endif
#endif
