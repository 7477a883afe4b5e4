/* sign/tsa_client.c — asking a timestamp authority over HTTP (RFC 3161 section 3.4)
 * with libcurl: POST application/timestamp-query, expect application/timestamp-reply. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include "accord/tsa.h"
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

int accord_tsa_http_query(const char *url, const unsigned char *req, size_t len,
			  unsigned char **reply, size_t *reply_len, accord_error *err)
{
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
				  "a TSA URL starts with http:// or https://");
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return accord_err(err, ACCORD_ERR_NETWORK, url, "curl_global_init: %s",
				  curl_easy_strerror(curl_init_rc));
	h = curl_easy_init();
	if (!h)
		return accord_err(err, ACCORD_ERR_NOMEM, url, "curl_easy_init failed");
	headers = curl_slist_append(headers, "Content-Type: application/timestamp-query");
	headers = curl_slist_append(headers, "Accept: application/timestamp-reply");
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
		rc = accord_err(err, ACCORD_ERR_NETWORK, url, "the TSA answered HTTP status %ld", status);
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype);
	if (!ctype || (strncasecmp(ctype, "application/timestamp-reply", 27) != 0 &&
		       strncasecmp(ctype, "application/timestamp-response", 30) != 0)) {
		rc = accord_err(err, ACCORD_ERR_NETWORK, url,
				"the TSA answered Content-Type '%s', not application/timestamp-reply",
				ctype ? ctype : "(none)");
		goto out;
	}
	if (s.len == 0) {
		rc = accord_err(err, ACCORD_ERR_NETWORK, url, "the TSA sent an empty reply");
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
