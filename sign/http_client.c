/* sign/http_client.c — asking a timestamp authority (RFC 3161 section 3.4: POST
 * application/timestamp-query, expect application/timestamp-reply) or an OCSP responder
 * (RFC 6960 appendix A: POST application/ocsp-request, expect application/ocsp-response)
 * over HTTP with libcurl. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include "accord/tsa.h"
#include "accord/ocsp.h"
#include "util/internal.h"

#define MAX_REPLY (1024 * 1024)
#define TIMEOUT_SECONDS 30L

struct sink {
	unsigned char *data;
	size_t len;
	int too_big;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t collect(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	unsigned char *grown;

	if (s->len + n > MAX_REPLY) {
		s->too_big = 1;
		return 0; /* aborts the transfer */
	}
	grown = realloc(s->data, s->len + n + 1);
	if (!grown)
		return 0;
	s->data = grown;
	memcpy(s->data + s->len, ptr, n);
	s->len += n;
	return n;
}

/* One POST of req (content type ctype) to url; the reply must be HTTP 200 with one of the
 * content types in accept (the first is sent as Accept), not empty, at most MAX_REPLY. */
static int http_post(const char *url, const char *who, const char *ctype_req,
		     const char *const *accept, const unsigned char *req, size_t len,
		     unsigned char **reply, size_t *reply_len, accord_error *err)
{
	char h_ctype[96], h_accept[96];
	int type_ok = 0;

	CURL *h = NULL;
	struct curl_slist *headers = NULL;
	struct sink s = {NULL, 0, 0};
	char errbuf[CURL_ERROR_SIZE] = "";
	const char *ctype = NULL;
	long status = 0;
	CURLcode cc;
	int rc = ACCORD_OK;

	*reply = NULL;
	*reply_len = 0;
	if (!url || (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0))
		return accord_err(err, ACCORD_ERR_USAGE, url ? url : "(no url)",
				  "the %s URL must start with http:// or https://", who);
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return accord_err(err, ACCORD_ERR_NETWORK, url, "curl_global_init: %s",
				  curl_easy_strerror(curl_init_rc));
	h = curl_easy_init();
	if (!h)
		return accord_err(err, ACCORD_ERR_NOMEM, url, "curl_easy_init failed");
	snprintf(h_ctype, sizeof h_ctype, "Content-Type: %s", ctype_req);
	snprintf(h_accept, sizeof h_accept, "Accept: %s", accept[0]);
	headers = curl_slist_append(headers, h_ctype);
	headers = curl_slist_append(headers, h_accept);
	if (!headers) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, url, "out of memory");
		goto out;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)req);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, TIMEOUT_SECONDS);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "accord");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	cc = curl_easy_perform(h);
	if (s.too_big) {
		rc = accord_err(err, ACCORD_ERR_LIMIT, url, "reply larger than %d bytes", MAX_REPLY);
		goto out;
	}
	if (cc != CURLE_OK) {
		rc = accord_err(err, ACCORD_ERR_NETWORK, url, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		rc = accord_err(err, ACCORD_ERR_NETWORK, url, "the %s answered HTTP status %ld", who, status);
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype);
	for (size_t i = 0; ctype && accept[i]; i++)
		type_ok |= !strncasecmp(ctype, accept[i], strlen(accept[i]));
	if (!type_ok) {
		rc = accord_err(err, ACCORD_ERR_NETWORK, url, "the %s answered Content-Type '%s', not %s",
				who, ctype ? ctype : "(none)", accept[0]);
		goto out;
	}
	if (s.len == 0) {
		rc = accord_err(err, ACCORD_ERR_NETWORK, url, "the %s sent an empty reply", who);
		goto out;
	}
	*reply = s.data;
	*reply_len = s.len;
	s.data = NULL;
out:
	free(s.data);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return rc;
}

int accord_tsa_http_query(const char *url, const unsigned char *req, size_t len,
			  unsigned char **reply, size_t *reply_len, accord_error *err)
{
	static const char *const accept[] = {"application/timestamp-reply",
					     "application/timestamp-response", NULL};

	return http_post(url, "TSA", "application/timestamp-query", accept, req, len, reply,
			 reply_len, err);
}

int accord_ocsp_http_query(const char *url, const unsigned char *req, size_t len,
			   unsigned char **reply, size_t *reply_len, accord_error *err)
{
	static const char *const accept[] = {"application/ocsp-response", NULL};

	return http_post(url, "OCSP responder", "application/ocsp-request", accept, req, len, reply,
			 reply_len, err);
}
