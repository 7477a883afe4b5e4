/* ocsp/ocsp_internal.h — the responder object shared by ocsp/responder.c (answering) and
 * ocsp/serve.c. */
#ifndef ACCORD_OCSP_INTERNAL_H
#define ACCORD_OCSP_INTERNAL_H
#include <pthread.h>
#include "accord/ocsp.h"
#include "formats/ocsp.h"
#include "keys/keys.h"

#define OCSP_ISSUER_DIGESTS 4 /* SHA-1, SHA-256, SHA-384, SHA-512 */

struct accord_ocsp {
	accord_signer *signer;
	gnutls_x509_crt_t ca;
	char records[4096];
	unsigned next_update_hours;
	struct {
		gnutls_digest_algorithm_t alg;
		unsigned char name[ACCORD_OCSP_MAX_HASH], key[ACCORD_OCSP_MAX_HASH];
		size_t len;
	} issuer[OCSP_ISSUER_DIGESTS];
	pthread_mutex_t lock; /* serialises signing */
	accord_ocsp_ready_fn ready;
	void *ready_ud;
};

#endif
