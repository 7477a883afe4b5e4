/* tsa/tsa_internal.h — the TSA object shared by tsa/tsa.c (answering) and tsa/serve.c. */
#ifndef ACCORD_TSA_INTERNAL_H
#define ACCORD_TSA_INTERNAL_H
#include <pthread.h>
#include "accord/tsa.h"
#include "keys/keys.h"

struct accord_tsa {
	accord_signer *signer;
	gnutls_x509_crt_t *chain; /* chain.pem, may be NULL */
	size_t chain_len;
	char policy[128];
	unsigned accuracy_seconds;
	gnutls_digest_algorithm_t digest;
	int tsa_name;
	char serial_path[4096];
	int lock_fd;              /* .serial.lock: flock serialises processes */
	pthread_mutex_t lock;     /* serialises threads of this process */
	accord_tsa_ready_fn ready;
	void *ready_ud;
};

#endif
