/* util/http_server.h — the HTTP front of accord's services (tsa serve, ocsp serve): one
 * request in, one DER answer out, over libmicrohttpd with the same limits for both. */
#ifndef ACCORD_HTTP_SERVER_H
#define ACCORD_HTTP_SERVER_H
#include <stddef.h>
#include "util/internal.h"

/* Limits every service gets (documented in README.md):
 *   HTTP_MAX_CONNECTIONS   connections in all
 *   HTTP_MAX_PER_CLIENT    connections from one IP address (more are closed at once)
 *   HTTP_IDLE_SECONDS      a connection silent this long is closed (slow senders)
 *   HTTP_REQUEST_SECONDS   a request body not complete this long after its headers is
 *                          dropped (senders that trickle a byte now and then) */
#define HTTP_MAX_CONNECTIONS 256
#define HTTP_MAX_PER_CLIENT 8
#define HTTP_IDLE_SECONDS 5
#define HTTP_REQUEST_SECONDS 10

/* Answer one request body: *resp malloc'd (sent with 200 and reply_type), or an error
 * code with *resp NULL (sent as 500). */
typedef int (*accord_http_answer_fn)(void *ud, const unsigned char *req, size_t len,
				     unsigned char **resp, size_t *resp_len, accord_error *err);

typedef struct accord_http_service {
	const char *name;          /* "tsa", "ocsp": prefix of the log lines on stderr */
	const char *request_type;  /* the Content-Type a POST must have */
	const char *reply_type;
	size_t max_body;           /* larger bodies get 413 */
	int allow_get;             /* GET /BASE64 (RFC 6960 appendix A.1), URL-decoded */
	accord_http_answer_fn answer;
	void *ud;
	void (*ready)(const char *listen, void *ud); /* once listening, with "ADDR:PORT" */
	void *ready_ud;
} accord_http_service;

/* Serve on LISTEN ("127.0.0.1:3180", IPv4; port 0 picks a free one) until SIGINT or
 * SIGTERM (blocked in the calling thread meanwhile). */
int accord_http_serve(const accord_http_service *svc, const char *listen, accord_error *err);

#endif
