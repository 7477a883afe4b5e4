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

/* A short generic phrase for a code ("malformed input", ...). Static; thread-safe. */
const char *accord_strerror(int code);

/* Clear an error context before reuse. */
void accord_error_clear(accord_error *err);

/* Library set-up, before anything else: GnuTLS (gnutls_global_init, counted), libxml2
 * (xmlInitParser) and libgcrypt: when the application has not finished libgcrypt's
 * initialisation itself, accord_init does it (a 64 KiB secure memory pool for
 * passphrases and keys, then GCRYCTL_INITIALIZATION_FINISHED); when it has
 * (GCRYCTL_INITIALIZATION_FINISHED_P), its settings are left as they are. libxml2's
 * global settings are never changed. May be called again; each call is matched by one
 * accord_deinit, which releases GnuTLS's reference and leaves libxml2 alone (no
 * xmlCleanupParser: an application that wants it calls it at exit). Not thread-safe. */
int accord_init(accord_error *err) ACCORD_WUR;
void accord_deinit(void);

/* "2026-11-26T10:00:00Z" (or a date alone) to time_t, UTC only. */
int accord_time_parse(const char *s, time_t *out) ACCORD_WUR;
void accord_time_format(time_t t, char *buf, size_t n);

/* Progress of long work (hashing, packing, signing, extracting) on stderr: off by
 * default; the accord program turns it on when stderr is a terminal (-q: off).
 * Process-wide; call it before any work starts. */
void accord_progress_enable(int on);

/* The library's version ("0.1.0": the file VERSION of its source, as accord.pc says). */
const char *accord_version(void);

#ifdef __cplusplus
}
#endif
#endif
