/* tsa/serve.c — RFC 3161 over HTTP (libmicrohttpd): POST application/timestamp-query,
 * answered with application/timestamp-reply, until SIGINT or SIGTERM. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <microhttpd.h>
#include "tsa/tsa_internal.h"
#include "util/internal.h"

#define MAX_BODY (64 * 1024)
#define POOL_THREADS 4

struct upload {
	unsigned char *data;
	size_t len;
	int too_big;
};

void accord_tsa_set_ready_callback(accord_tsa *tsa, accord_tsa_ready_fn fn, void *ud)
{
	tsa->ready = fn;
	tsa->ready_ud = ud;
}

static enum MHD_Result send_status(struct MHD_Connection *c, unsigned code, const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "POST");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* "application/timestamp-query", case-insensitive, parameters after ';' allowed. */
static int is_query_type(const char *ct)
{
	static const char want[] = "application/timestamp-query";
	size_t n = sizeof want - 1;

	if (!ct || strncasecmp(ct, want, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_size, void **con_cls)
{
	accord_tsa *tsa = cls;
	struct upload *u = *con_cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	unsigned char *resp = NULL;
	size_t resp_len = 0;
	accord_error err;
	const char *cl;

	(void)url;
	(void)version;
	if (!u) {
		if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
			return send_status(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only POST is served\n");
		if (!is_query_type(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							       MHD_HTTP_HEADER_CONTENT_TYPE)))
			return send_status(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
					   "Content-Type must be application/timestamp-query\n");
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > MAX_BODY)
			return send_status(c, MHD_HTTP_CONTENT_TOO_LARGE, "request too large\n");
		u = calloc(1, sizeof *u);
		if (!u)
			return MHD_NO;
		*con_cls = u;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!u->too_big && u->len + *upload_size <= MAX_BODY) {
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
		return send_status(c, MHD_HTTP_CONTENT_TOO_LARGE, "request too large\n");
	accord_error_clear(&err);
	if (accord_tsa_respond(tsa, u->data, u->len, &resp, &resp_len, &err) != ACCORD_OK) {
		fprintf(stderr, "accord tsa: %s: %s\n", err.where, err.why);
		if (!resp)
			return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error\n");
	}
	r = MHD_create_response_from_buffer(resp_len, resp, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(resp);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/timestamp-reply");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
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

int accord_tsa_serve(accord_tsa *tsa, const char *listen, accord_error *err)
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
			     ntohs(sa.sin_port), NULL, NULL, handle, tsa,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
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
	if (tsa->ready)
		tsa->ready(actual, tsa->ready_ud);
	while (sigwait(&stop, &sig) == EINTR)
		;
	rc = ACCORD_OK;
out:
	if (d)
		MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
