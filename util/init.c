/* util/init.c — library set-up of GnuTLS, libgcrypt and libxml2. */
#include <gcrypt.h>
#include <gnutls/gnutls.h>
#include <libxml/parser.h>
#include "util/internal.h"

/* The release, from the file VERSION (the Makefile passes it; one place for the version
 * of `accord --version`, the soname and accord.pc). */
#ifndef ACCORD_VERSION
#error "ACCORD_VERSION must be defined (-DACCORD_VERSION=\"$(cat VERSION)\")"
#endif

const char *accord_version(void)
{
	return ACCORD_VERSION;
}

int accord_init(accord_error *err)
{
	int rc;

	if (!gcry_check_version(GCRYPT_VERSION))
		return accord_err(err, ACCORD_ERR_CRYPTO, "libgcrypt", "version mismatch");
	/* An application that set libgcrypt up itself (its own secure memory pool, its own
	 * thread or random settings) has finished its initialisation: leave it as it is. */
	if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
		/* Secure memory for passphrases and derived keys; quiet warnings if the
		 * process cannot lock memory (as in containers). */
		gcry_control(GCRYCTL_SUSPEND_SECMEM_WARN);
		gcry_control(GCRYCTL_INIT_SECMEM, 65536, 0);
		gcry_control(GCRYCTL_RESUME_SECMEM_WARN);
		gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	}
	/* Reference-counted by GnuTLS: balanced by accord_deinit. */
	rc = gnutls_global_init();
	if (rc < 0)
		return accord_err_gnutls(err, "gnutls", "gnutls_global_init", rc);
	/* Idempotent; libxml2's global settings are not changed (every parse passes its own
	 * options and error handling). */
	xmlInitParser();
	return ACCORD_OK;
}

/* xmlCleanupParser is not called: it would pull libxml2's state from under an
 * application that uses libxml2 as well. An application that wants it calls it at exit. */
void accord_deinit(void)
{
	gnutls_global_deinit();
}
