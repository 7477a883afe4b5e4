/* verify/memo.c — what the trust engine already decided in this run: 100 signatures by
 * one signer, or 100 timestamps by one TSA, pay for the certificate checks they share
 * once (issue #12). Only checks whose outcome depends on nothing but what the key names
 * are remembered: the key is a SHA-256 over the kind of check, its flags and the DER of
 * every certificate the check reads, in order. A failure is remembered as a failure. */
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include "verify/verify.h"

/* Beyond this many slots the table stops growing: further results are computed, not
 * remembered (a package cannot make the memo large). */
#define MEMO_MAX_SLOTS 65536

int accord_memo_key(unsigned char key[32], const char *kind, unsigned flags, unsigned extra,
		    const gnutls_x509_crt_t *crts, size_t n)
{
	gnutls_hash_hd_t h;
	unsigned char head[8];
	int rc = 0;

	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return -1;
	head[0] = (unsigned char)(flags >> 24);
	head[1] = (unsigned char)(flags >> 16);
	head[2] = (unsigned char)(flags >> 8);
	head[3] = (unsigned char)flags;
	head[4] = (unsigned char)(n >> 8);
	head[5] = (unsigned char)n;
	head[6] = (unsigned char)(extra >> 8);
	head[7] = (unsigned char)extra;
	gnutls_hash(h, kind, strlen(kind) + 1);
	gnutls_hash(h, head, sizeof head);
	for (size_t i = 0; i < n && !rc; i++) {
		/* Each certificate's DER after its length: unambiguous boundaries. */
		gnutls_datum_t der = {NULL, 0};
		unsigned char len[4];
		if (gnutls_x509_crt_export2(crts[i], GNUTLS_X509_FMT_DER, &der) < 0) {
			rc = -1;
			break;
		}
		len[0] = (unsigned char)(der.size >> 24);
		len[1] = (unsigned char)(der.size >> 16);
		len[2] = (unsigned char)(der.size >> 8);
		len[3] = (unsigned char)der.size;
		gnutls_hash(h, len, sizeof len);
		gnutls_hash(h, der.data, der.size);
		gnutls_free(der.data);
	}
	gnutls_hash_deinit(h, key);
	return rc;
}

static size_t slot_of(const unsigned char key[32], size_t cap)
{
	size_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | key[i];
	return v & (cap - 1);
}

int accord_memo_get(const accord_memo *m, const unsigned char key[32], int *rc, unsigned *status)
{
	if (!m || !m->cap)
		return 0;
	for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		const accord_memo_entry *e = &m->slots[i];
		if (!e->used)
			return 0;
		if (!memcmp(e->key, key, 32)) {
			*rc = e->rc;
			*status = e->status;
			return 1;
		}
	}
}

/* 1 when e took a free slot, 0 when it replaced the entry of its key. */
static int insert(accord_memo_entry *slots, size_t cap, const accord_memo_entry *e)
{
	size_t i = slot_of(e->key, cap);
	int fresh;

	while (slots[i].used && memcmp(slots[i].key, e->key, 32))
		i = (i + 1) & (cap - 1);
	fresh = !slots[i].used;
	slots[i] = *e;
	return fresh;
}

void accord_memo_put(accord_memo *m, const unsigned char key[32], int rc, unsigned status)
{
	accord_memo_entry e;

	if (!m)
		return;
	if ((m->n + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		accord_memo_entry *g;
		if (cap > MEMO_MAX_SLOTS)
			return; /* full: computed again next time */
		g = accord_calloc(cap, sizeof *g);
		if (!g)
			return;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].used)
				insert(g, cap, &m->slots[i]);
		free(m->slots);
		m->slots = g;
		m->cap = cap;
	}
	memset(&e, 0, sizeof e);
	memcpy(e.key, key, 32);
	e.used = 1;
	e.rc = rc;
	e.status = status;
	m->n += (size_t)insert(m->slots, m->cap, &e);
}

static int import(const unsigned char *der, size_t len, gnutls_x509_crt_t *out)
{
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};

	if (gnutls_x509_crt_init(out) < 0)
		return ACCORD_MEMO_NO_OBJECT;
	if (gnutls_x509_crt_import(*out, &d, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(*out);
		return ACCORD_MEMO_NOT_CERT;
	}
	return 0;
}

int accord_memo_import(accord_memo *m, const unsigned char *der, size_t len, gnutls_x509_crt_t *out,
		       int *owned)
{
	unsigned char *copy;
	int rc;

	*owned = 1;
	if (m)
		for (size_t i = 0; i < m->n_crts; i++)
			if (m->crt_len[i] == len && !memcmp(m->crt_der[i], der, len)) {
				*out = m->crts[i];
				*owned = 0;
				return 0;
			}
	rc = import(der, len, out);
	if (rc < 0 || !m || m->n_crts >= ACCORD_MEMO_MAX_CRTS)
		return rc;
	if (!m->crts) {
		m->crt_der = accord_calloc(ACCORD_MEMO_MAX_CRTS, sizeof *m->crt_der);
		m->crt_len = accord_calloc(ACCORD_MEMO_MAX_CRTS, sizeof *m->crt_len);
		m->crts = accord_calloc(ACCORD_MEMO_MAX_CRTS, sizeof *m->crts);
	}
	copy = m->crts && m->crt_der && m->crt_len ? malloc(len ? len : 1) : NULL;
	if (!copy)
		return rc; /* not kept: the caller's */
	memcpy(copy, der, len);
	m->crt_der[m->n_crts] = copy;
	m->crt_len[m->n_crts] = len;
	m->crts[m->n_crts++] = *out;
	*owned = 0;
	return rc;
}

int accord_memo_describe(accord_memo *m, gnutls_x509_crt_t crt, accord_cert_info *info, accord_error *err)
{
	unsigned char key[32];
	int rc;

	if (!m || accord_crt_sha256(crt, key) != ACCORD_OK)
		return accord_crt_describe(crt, info, err);
	if (m->described && !memcmp(m->described_key, key, 32)) {
		*info = *m->described;
		return ACCORD_OK;
	}
	rc = accord_crt_describe(crt, info, err);
	if (rc == ACCORD_OK && (m->described || (m->described = malloc(sizeof *m->described)))) {
		*m->described = *info;
		memcpy(m->described_key, key, 32);
	}
	return rc;
}

void accord_memo_free(accord_memo *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m->described);
	for (size_t i = 0; i < m->n_crts; i++) {
		gnutls_x509_crt_deinit(m->crts[i]);
		free(m->crt_der[i]);
	}
	free(m->crts);
	free(m->crt_der);
	free(m->crt_len);
	memset(m, 0, sizeof *m);
}
