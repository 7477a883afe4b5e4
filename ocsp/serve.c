/* ocsp/serve.c — OCSP over HTTP (RFC 6960 appendix A): POST application/ocsp-request or
 * GET /BASE64, answered with application/ocsp-response (util/http_server.c serves). */
#define _GNU_SOURCE
#include "ocsp/ocsp_internal.h"
#include "util/http_server.h"

void accord_ocsp_set_ready_callback(accord_ocsp *ocsp, accord_ocsp_ready_fn fn, void *ud)
{
	ocsp->ready = fn;
	ocsp->ready_ud = ud;
}

static int ocsp_answer(void *ud, const unsigned char *req, size_t len, unsigned char **resp,
		       size_t *resp_len, accord_error *err)
{
	return accord_ocsp_respond(ud, req, len, resp, resp_len, err);
}

int accord_ocsp_serve(accord_ocsp *ocsp, const char *listen, accord_error *err)
{
	accord_http_service svc = {
		.name = "ocsp",
		.request_type = "application/ocsp-request",
		.reply_type = "application/ocsp-response",
		.max_body = ACCORD_OCSP_MAX_REQUEST,
		.allow_get = 1,
		.answer = ocsp_answer,
		.ud = ocsp,
		.ready = ocsp->ready,
		.ready_ud = ocsp->ready_ud,
	};

	return accord_http_serve(&svc, listen, err);
}
