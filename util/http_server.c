/* util/http_server.c — the HTTP front shared by `tsa serve` and `ocsp serve`
 * (libmicrohttpd): POST of one DER request (and GET for OCSP), one DER answer, with
 * limits that keep one client from starving the others: connections per client,
 * an idle timeout, a deadline for the request body, a body size limit. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <microhttpd.h>
#include "util/http_server.h"

#define POOL_THREADS 4

struct upload {
	unsigned char *data;
	size_t len;
	int too_big;
	struct timespec started;
};

static enum MHD_Result send_status(const accord_http_service *svc, struct MHD_Connection *c,
				   unsigned code, const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, svc->allow_get ? "GET, POST" : "POST");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* The expected type, case-insensitive, parameters after ';' allowed. */
static int is_type(const char *ct, const char *want)
{
	size_t n = strlen(want);

	if (!ct || strncasecmp(ct, want, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static enum MHD_Result answer(const accord_http_service *svc, struct MHD_Connection *c,
			      const unsigned char *req, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	unsigned char *resp = NULL;
	size_t resp_len = 0;
	accord_error err;

	accord_error_clear(&err);
	if (svc->answer(svc->ud, req, len, &resp, &resp_len, &err) != ACCORD_OK) {
		fprintf(stderr, "accord %s: %s: %s\n", svc->name, err.where, err.why);
		if (!resp)
			return send_status(svc, c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error\n");
	}
	r = MHD_create_response_from_buffer(resp_len, resp, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(resp);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, svc->reply_type);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* GET {url}/{url-encoding of base64 of the DER request} (RFC 6960 A.1): libmicrohttpd has
 * already undone the %XX escapes of the path. */
static enum MHD_Result answer_get(const accord_http_service *svc, struct MHD_Connection *c,
				  const char *url)
{
	unsigned char *der = NULL;
	size_t der_len = 0, n;
	enum MHD_Result ret;

	while (*url == '/')
		url++;
	n = strlen(url);
	if (n == 0)
		return send_status(svc, c, MHD_HTTP_BAD_REQUEST, "GET wants /BASE64-REQUEST\n");
	if (n > svc->max_body / 3 * 4 + 4)
		return send_status(svc, c, MHD_HTTP_URI_TOO_LONG, "request too large\n");
	if (accord_base64_decode(url, n, &der, &der_len) != 0)
		return send_status(svc, c, MHD_HTTP_BAD_REQUEST, "the path is not base64\n");
	ret = answer(svc, c, der, der_len);
	free(der);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_size, void **con_cls)
{
	const accord_http_service *svc = cls;
	struct upload *u = *con_cls;
	const char *cl;

	(void)version;
	if (!u) {
		if (svc->allow_get && !strcmp(method, MHD_HTTP_METHOD_GET))
			return answer_get(svc, c, url);
		if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
			return send_status(svc, c, MHD_HTTP_METHOD_NOT_ALLOWED,
					   svc->allow_get ? "only GET and POST are served\n"
							  : "only POST is served\n");
		if (!is_type(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
			     svc->request_type))
			return send_status(svc, c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
					   "wrong Content-Type for this service\n");
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > svc->max_body)
			return send_status(svc, c, MHD_HTTP_CONTENT_TOO_LARGE, "request too large\n");
		u = calloc(1, sizeof *u);
		if (!u)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &u->started);
		*con_cls = u;
		return MHD_YES;
	}
	if (*upload_size) {
		/* A body trickled in slowly keeps the idle timeout at bay: the deadline
		 * counts from the headers, and the connection is dropped when it passes. */
		if (seconds_since(&u->started) > HTTP_REQUEST_SECONDS)
			return MHD_NO;
		if (!u->too_big && u->len + *upload_size <= svc->max_body) {
			unsigned char *grown = realloc(u->data, u->len + *upload_size);
			if (!grown)
				return MHD_NO;
			u->data = grown;
			memcpy(u->data + u->len, upload_data, *upload_size);
			u->len += *upload_size;
		} else {
			u->too_big = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (u->too_big)
		return send_status(svc, c, MHD_HTTP_CONTENT_TOO_LARGE, "request too large\n");
	return answer(svc, c, u->data, u->len);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (u) {
		free(u->data);
		free(u);
		*con_cls = NULL;
	}
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, accord_error *err)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	char *end;
	unsigned long port;

	memset(sa, 0, sizeof *sa);
	if (!colon || (size_t)(colon - listen) >= sizeof host || colon == listen)
		return accord_err(err, ACCORD_ERR_USAGE, listen, "expected ADDRESS:PORT (IPv4)");
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535)
		return accord_err(err, ACCORD_ERR_USAGE, listen, "bad port");
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return accord_err(err, ACCORD_ERR_USAGE, listen, "'%s' is not an IPv4 address", host);
	return ACCORD_OK;
}

int accord_http_serve(const accord_http_service *svc, const char *listen, accord_error *err)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *info;
	sigset_t stop, old;
	char actual[96], host[INET_ADDRSTRLEN];
	int rc, sig = 0;

	rc = parse_listen(listen, &sa, err);
	if (rc != ACCORD_OK)
		return rc;
	/* Block the stop signals before the server threads start, so they inherit the mask
	 * and only sigwait below receives them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD,
			     ntohs(sa.sin_port), NULL, NULL, handle, (void *)svc,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_MAX_PER_CLIENT,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_SECONDS,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			     MHD_OPTION_END);
	if (!d) {
		rc = accord_err(err, ACCORD_ERR_NETWORK, listen, "cannot listen (address in use or not local?)");
		goto out;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
	snprintf(actual, sizeof actual, "%s:%u", host,
		 info ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port));
	if (svc->ready)
		svc->ready(actual, svc->ready_ud);
	while (sigwait(&stop, &sig) == EINTR)
		;
	rc = ACCORD_OK;
out:
	if (d)
		MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
