/* accord/ocsp.h — public API: an RFC 6960 OCSP responder for a CA made with
 * `accord keys ca` (files or HTTP), answering from the CA's records. */
#ifndef ACCORD_OCSP_H
#define ACCORD_OCSP_H
#include <stddef.h>
#include "accord/error.h"
#include "accord/keys.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct accord_ocsp accord_ocsp;

/* Create a responder in folder DIR (created if missing; refuses to overwrite):
 * ocsp.key (encrypted PKCS#8, mode 0600), ocsp.crt (subject opt->id, issued by opt->ca,
 * which is required: EKU OCSPSigning, id-pkix-ocsp-nocheck), ca.crt (the CA's
 * certificate), ocsp.conf (records = the absolute path of the CA's records, CAKEY.index
 * beside the CA key; next_update_hours). opt->algo: ACCORD_ALGO_ECDSA_P256 (default) or
 * ACCORD_ALGO_RSA3072 (responses are signed with SHA-256). Nothing of opt is kept. */
int accord_ocsp_init(const char *dir, const accord_service_init_options *opt,
		     accord_error *err) ACCORD_WUR;

/* Open the responder in DIR with its key's passphrase; *out is the caller's, released
 * with accord_ocsp_free. */
int accord_ocsp_open(const char *dir, const char *passphrase, accord_ocsp **out,
		     accord_error *err) ACCORD_WUR;
void accord_ocsp_free(accord_ocsp *ocsp);

/* Answer one DER OCSPRequest. Always produces a DER OCSPResponse (*resp, released with
 * accord_free): a
 * signed BasicOCSPResponse (responderID byKey, the responder certificate in certs,
 * producedAt, and per CertID thisUpdate = now, nextUpdate = now + next_update_hours,
 * status good / revoked (time, reason) / unknown as the CA's records say; the nonce
 * echoed when asked), malformedRequest for a request that is not strict DER or breaks a
 * limit (16 KiB, 32 CertIDs), unauthorized when a CertID names another issuer (or a hash
 * other than SHA-1/256/384/512), internalError when the records cannot be read (the
 * call then also returns the error). Thread-safe. */
int accord_ocsp_respond(accord_ocsp *ocsp, const unsigned char *req, size_t len,
			unsigned char **resp, size_t *resp_len, accord_error *err) ACCORD_WUR;

/* The same in one call for a responder folder: open, answer, free (*resp: accord_free). */
int accord_ocsp_respond_dir(const char *dir, const char *passphrase, const unsigned char *req,
			    size_t len, unsigned char **resp, size_t *resp_len,
			    accord_error *err) ACCORD_WUR;

/* File mode: read REQUEST, write the response to RESPONSE atomically (refused if it
 * exists unless overwrite). A request answered with an error status still gets its
 * response written; the call then returns ACCORD_ERR_FORMAT naming the reason. */
int accord_ocsp_respond_file(accord_ocsp *ocsp, const char *request_path,
			     const char *response_path, int overwrite, accord_error *err) ACCORD_WUR;

/* Client side: POST one DER OCSPRequest to an OCSP responder (RFC 6960 appendix A) with
 * libcurl; the reply must be HTTP 200 application/ocsp-response (at most 1 MiB). *reply
 * is released with accord_free. Thread-safe. */
int accord_ocsp_http_query(const char *url, const unsigned char *req, size_t len,
			   unsigned char **reply, size_t *reply_len, accord_error *err) ACCORD_WUR;

/* Called once the server listens (with the actual "ADDR:PORT"), before serving. */
typedef void (*accord_ocsp_ready_fn)(const char *listen, void *ud);
void accord_ocsp_set_ready_callback(accord_ocsp *ocsp, accord_ocsp_ready_fn fn, void *ud);

/* Serve OCSP over HTTP on LISTEN (RFC 6960 appendix A: POST application/ocsp-request,
 * or GET /BASE64) until SIGINT or SIGTERM, with the limits of `tsa serve`. */
int accord_ocsp_serve(accord_ocsp *ocsp, const char *listen, accord_error *err) ACCORD_WUR;

#ifdef __cplusplus
}
#endif
#endif
