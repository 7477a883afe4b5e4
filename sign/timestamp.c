/* sign/timestamp.c — XAdES B-T: an RFC 3161 token over the canonical SignatureValue,
 * obtained from a TSA over HTTP, from a local TSA folder, or from a reply file carried
 * across an air gap, and embedded as xades:SignatureTimeStamp. */
#include <string.h>
#include <gnutls/crypto.h>
#include "sign/sign.h"
#include "formats/c14n.h"
#include "formats/tst.h"
#include "formats/xml_safe.h"
#include "formats/container.h"

int accord_timestamp_obtain(const accord_sign_options *opt, const unsigned char *sha256,
			    unsigned char **token, size_t *token_len, accord_error *err)
{
	unsigned char nonce[8], *req = NULL, *reply = NULL;
	size_t req_len = 0, reply_len = 0;
	accord_tsa *tsa = NULL;
	int status = 0, rc;

	*token = NULL;
	if (gnutls_rnd(GNUTLS_RND_NONCE, nonce, sizeof nonce) < 0)
		return accord_err(err, ACCORD_ERR_CRYPTO, "random", "gnutls_rnd failed");
	nonce[0] &= 0x7f; /* a positive INTEGER without padding */
	nonce[0] |= 0x01;
	rc = accord_tsq_build(GNUTLS_DIG_SHA256, sha256, 32, nonce, 1, &req, &req_len, err);
	if (rc)
		return rc;
	if (opt->tsa_url) {
		rc = accord_tsa_http_query(opt->tsa_url, req, req_len, &reply, &reply_len, err);
	} else {
		rc = accord_tsa_open(opt->tsa_dir, opt->tsa_passphrase, &tsa, err);
		if (!rc)
			rc = accord_tsa_respond(tsa, req, req_len, &reply, &reply_len, err);
		accord_tsa_free(tsa);
	}
	if (!rc)
		rc = accord_tsr_parse(reply, reply_len, &status, token, token_len, err);
	if (!rc) {
		/* The token must answer this request: same imprint, same nonce. */
		accord_tst_result res;
		memset(&res, 0, sizeof res);
		rc = accord_tst_check(*token, *token_len, GNUTLS_DIG_SHA256, sha256, 32, nonce,
				      sizeof nonce, NULL, 0, &res, err);
		if (!rc && (res.sub_indication == ACCORD_SUB_HASH_FAILURE ||
			    res.sub_indication == ACCORD_SUB_SIG_CONSTRAINTS_FAILURE ||
			    res.sub_indication == ACCORD_SUB_SIG_CRYPTO_FAILURE ||
			    res.sub_indication == ACCORD_SUB_FORMAT_FAILURE))
			rc = accord_err(err, ACCORD_ERR_FORMAT, opt->tsa_url ? opt->tsa_url : opt->tsa_dir,
					"the timestamp does not answer the request: %s", res.reason);
		accord_tst_result_clear(&res);
	}
	if (rc) {
		free(*token);
		*token = NULL;
	}
	free(req);
	free(reply);
	return rc;
}

int accord_xades_add_timestamp(xmlNodePtr signature, const char *sig_id, const unsigned char *token,
			       size_t len, accord_error *err)
{
	xmlNodePtr usp = accord_xades_unsigned_props(signature, err), ts, cm;
	xmlNsPtr ds;
	char id[160], *b64 = NULL;

	if (!usp)
		return err->code;
	ds = xmlSearchNsByHref(signature->doc, signature, (const xmlChar *)ACCORD_NS_DS);
	ts = xmlNewChild(usp, usp->ns, (const xmlChar *)"SignatureTimeStamp", NULL);
	{
		unsigned char r[4];
		char hex[9];
		/* a signature may carry several timestamps: each needs its own Id */
		if (gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof r) < 0)
			return accord_err(err, ACCORD_ERR_CRYPTO, sig_id, "gnutls_rnd failed");
		accord_hex(r, sizeof r, hex);
		snprintf(id, sizeof id, "%s-TS-%s", sig_id, hex);
	}
	xmlNewProp(ts, (const xmlChar *)"Id", (const xmlChar *)id);
	cm = xmlNewChild(ts, ds, (const xmlChar *)"CanonicalizationMethod", NULL);
	xmlNewProp(cm, (const xmlChar *)"Algorithm", (const xmlChar *)ACCORD_C14N_EXC);
	if (accord_base64_encode(token, len, &b64))
		return accord_err(err, ACCORD_ERR_NOMEM, sig_id, "out of memory");
	xmlNewTextChild(ts, usp->ns, (const xmlChar *)"EncapsulatedTimeStamp", (const xmlChar *)b64);
	free(b64);
	return ACCORD_OK;
}

/* Timestamp signature SIG_ID inside the serialised file XML (as sign and countersign
 * produce it); *out gets the new bytes. */
int accord_timestamp_file(const unsigned char *xml, size_t len, const char *where,
			  const char *sig_id, const accord_sign_options *opt, unsigned char **out,
			  size_t *out_len, accord_error *err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr sig, sv;
	unsigned char d[64], *token = NULL;
	size_t dl = 0, tl = 0;
	xmlChar *text = NULL;
	int text_len = 0, rc;

	*out = NULL;
	rc = accord_xml_parse(xml, len, where, &doc, err);
	if (rc)
		return rc;
	sig = accord_xml_find_id(xmlDocGetRootElement(doc), sig_id, NULL);
	sv = sig ? accord_xml_next_element(accord_xml_first_element(sig)) : NULL;
	if (!sv || !accord_xml_is(sv, ACCORD_NS_DS, "SignatureValue")) {
		rc = accord_err(err, ACCORD_ERR_NOTFOUND, where, "signature '%s' not found", sig_id);
		goto out;
	}
	rc = accord_sigvalue_imprint(sv, ACCORD_C14N_EXC, GNUTLS_DIG_SHA256, d, &dl, err);
	if (!rc)
		rc = accord_timestamp_obtain(opt, d, &token, &tl, err);
	if (!rc)
		rc = accord_xades_add_timestamp(sig, sig_id, token, tl, err);
	if (rc)
		goto out;
	xmlDocDumpMemoryEnc(doc, &text, &text_len, "UTF-8");
	if (!text) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, where, "cannot serialise");
		goto out;
	}
	*out = text;
	*out_len = (size_t)text_len;
out:
	free(token);
	xmlFreeDoc(doc);
	return rc;
}

int accord_pick_signature(const accord_container *c, accord_xsig_file *files, size_t nf,
			  const char *id, int (*wanted)(const accord_xsig *), const char *none_left,
			  accord_xsig **out, size_t *file_index, accord_error *err)
{
	int count = 0;
	long best = -1;

	*out = NULL;
	if (id) {
		*out = accord_xades_find(files, nf, id, file_index, &count);
		if (count == 0)
			return accord_err(err, ACCORD_ERR_NOTFOUND, id,
					  "no signature with this Id in '%s' (accord list shows the Ids)", c->path);
		if (count > 1)
			return accord_err(err, ACCORD_ERR_FORMAT, id, "%d signatures carry this Id", count);
		return ACCORD_OK;
	}
	/* The newest wanted signature. */
	for (size_t f = 0; f < nf; f++) {
		const char *p = strrchr(files[f].name, '/');
		const char *digits = p ? strpbrk(p, "0123456789") : NULL;
		long num = digits ? strtol(digits, NULL, 10) : 0;
		for (size_t i = files[f].n_sigs; i-- > 0;)
			if (wanted(&files[f].sigs[i]) && num >= best) {
				best = num;
				*out = &files[f].sigs[i];
				*file_index = f;
				break;
			}
		if (files[f].n_sigs)
			count++;
	}
	if (!*out)
		return accord_err(err, ACCORD_ERR_NOTFOUND, c->path,
				  "%s", count ? none_left : "the package has no readable signature");
	return ACCORD_OK;
}

static int lacks_timestamp(const accord_xsig *s)
{
	return !s->n_ts;
}

typedef struct ts_target {
	accord_container *c;
	accord_xsig_file *files;
	accord_error *errs;
	size_t nf, fi;
	accord_xsig *sig;
	unsigned char imprint[32];
} ts_target;

static void ts_target_clear(ts_target *t)
{
	accord_xades_free_all(t->files, t->errs, t->nf);
	accord_container_free(t->c);
	memset(t, 0, sizeof *t);
}

static int ts_target_open(const char *package, const char *id, ts_target *t, accord_error *err)
{
	accord_limits lim;
	size_t dl = 0;
	int rc;

	memset(t, 0, sizeof *t);
	accord_limits_default(&lim);
	rc = accord_container_open(package, &lim, &t->c, err);
	if (!rc)
		rc = accord_xades_parse_all(t->c, &t->files, &t->errs, &t->nf, err);
	if (!rc)
		rc = accord_pick_signature(t->c, t->files, t->nf, id, lacks_timestamp,
					   "every signature already has a timestamp (name one with --signature to add another)",
					   &t->sig, &t->fi, err);
	if (!rc)
		rc = accord_sigvalue_imprint(t->sig->sig_value_node, ACCORD_C14N_EXC, GNUTLS_DIG_SHA256,
					     t->imprint, &dl, err);
	return rc;
}

int accord_timestamp_request(const char *package, const char *sig_id, const char *out_path,
			     char *id_out, size_t id_len, accord_error *err)
{
	ts_target t;
	unsigned char *req = NULL;
	size_t req_len = 0;
	int rc = ts_target_open(package, sig_id, &t, err);

	if (!rc)
		rc = accord_tsq_build(GNUTLS_DIG_SHA256, t.imprint, sizeof t.imprint, NULL, 1, &req,
				      &req_len, err);
	if (!rc)
		rc = accord_file_write_atomic(out_path, req, req_len, 0644, 1, err);
	if (!rc && id_out)
		snprintf(id_out, id_len, "%s", t.sig->id);
	free(req);
	ts_target_clear(&t);
	return rc;
}

static int accord_timestamp_attach_unlocked(const char *package, const char *reply_path, const char *sig_id,
			    char *id_out, size_t id_len, accord_error *err)
{
	ts_target t;
	unsigned char *reply = NULL, *token = NULL;
	size_t reply_len = 0, token_len = 0;
	xmlChar *text = NULL;
	int text_len = 0, status = 0, rc;
	accord_tst_result res;
	accord_new_entry e;

	memset(&res, 0, sizeof res);
	rc = accord_file_read(reply_path, 1u << 20, &reply, &reply_len, err);
	if (rc)
		return rc;
	rc = accord_tsr_parse(reply, reply_len, &status, &token, &token_len, err);
	if (rc)
		goto out;
	rc = ts_target_open(package, sig_id, &t, err);
	if (!rc)
		rc = accord_refuse_covered_edit(t.sig, err);
	if (rc)
		goto out_target;
	/* The same token twice proves nothing more. */
	for (size_t i = 0; i < t.sig->n_ts; i++)
		if (t.sig->ts_lens[i] == token_len && !memcmp(t.sig->ts_tokens[i], token, token_len)) {
			rc = accord_err(err, ACCORD_ERR_EXISTS, reply_path,
					"this timestamp is already attached to signature '%s'", t.sig->id);
			goto out_target;
		}
	/* The reply must be for this signature: same imprint (no anchors needed for that). */
	rc = accord_tst_check(token, token_len, GNUTLS_DIG_SHA256, t.imprint, sizeof t.imprint,
			      NULL, 0, NULL, 0, &res, err);
	if (rc)
		goto out_target;
	if (res.sub_indication == ACCORD_SUB_HASH_FAILURE ||
	    res.sub_indication == ACCORD_SUB_SIG_CRYPTO_FAILURE ||
	    res.sub_indication == ACCORD_SUB_FORMAT_FAILURE) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, reply_path,
				"the reply does not timestamp signature '%s': %s", t.sig->id, res.reason);
		goto out_target;
	}
	rc = accord_xades_add_timestamp(t.sig->node, t.sig->id, token, token_len, err);
	if (rc)
		goto out_target;
	xmlDocDumpMemoryEnc(t.files[t.fi].doc, &text, &text_len, "UTF-8");
	if (!text) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, package, "cannot serialise");
		goto out_target;
	}
	e.name = t.files[t.fi].name;
	e.data = text;
	e.len = (size_t)text_len;
	rc = accord_signature_files_write(package, &e, 1, 1, err);
	if (!rc && id_out)
		snprintf(id_out, id_len, "%s", t.sig->id);
out_target:
	xmlFree(text);
	ts_target_clear(&t);
out:
	accord_tst_result_clear(&res);
	free(token);
	free(reply);
	return rc;
}

/* Two writers of one package run one after the other: the second reads what the first
 * wrote, so neither signature is lost. */
int accord_timestamp_attach(const char *package, const char *reply_path, const char *sig_id,
			    char *id_out, size_t id_len, accord_error *err)
{
	char *real = NULL;
	int fd = -1, rc = accord_writer_lock(package, &fd, &real, err);

	if (rc)
		return rc;
	rc = accord_timestamp_attach_unlocked(real, reply_path, sig_id, id_out, id_len, err);
	accord_writer_unlock(fd);
	free(real);
	return rc;
}
