/* tsa/serve.c — RFC 3161 over HTTP: POST application/timestamp-query, answered with
 * application/timestamp-reply, until SIGINT or SIGTERM (util/http_server.c serves). */
#define _GNU_SOURCE
#include "tsa/tsa_internal.h"
#include "util/http_server.h"

#define MAX_BODY (64 * 1024)

void accord_tsa_set_ready_callback(accord_tsa *tsa, accord_tsa_ready_fn fn, void *ud)
{
	tsa->ready = fn;
	tsa->ready_ud = ud;
}

static int tsa_answer(void *ud, const unsigned char *req, size_t len, unsigned char **resp,
		      size_t *resp_len, accord_error *err)
{
	return accord_tsa_respond(ud, req, len, resp, resp_len, err);
}

int accord_tsa_serve(accord_tsa *tsa, const char *listen, accord_error *err)
{
	accord_http_service svc = {
		.name = "tsa",
		.request_type = "application/timestamp-query",
		.reply_type = "application/timestamp-reply",
		.max_body = MAX_BODY,
		.allow_get = 0,
		.answer = tsa_answer,
		.ud = tsa,
		.ready = tsa->ready,
		.ready_ud = tsa->ready_ud,
	};

	return accord_http_serve(&svc, listen, err);
}
