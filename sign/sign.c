/* sign/sign.c — `accord sign`: one new XAdES B-B signature over every data file of the
 * package (documents and descriptor) in its own META-INF/signaturesN.xml. */
#include <string.h>
#include <time.h>
#include "sign/sign.h"
#include "formats/container.h"
#include "verify/verify.h"
#include "formats/xml_safe.h"

static const char *const commitment_uris[] = {
	NULL,
	"http://uri.etsi.org/01903/v1.2.2#ProofOfApproval",
	"http://uri.etsi.org/01903/v1.2.2#ProofOfOrigin",
	"http://uri.etsi.org/01903/v1.2.2#ProofOfReceipt",
};

int accord_commitment_from_name(const char *name, accord_commitment *out)
{
	static const char *const names[] = {"none", "approval", "origin", "receipt"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i])) {
			*out = (accord_commitment)i;
			return ACCORD_OK;
		}
	return ACCORD_ERR_USAGE;
}

const char *accord_commitment_name(accord_commitment c)
{
	switch (c) {
	case ACCORD_COMMIT_NONE: return "";
	case ACCORD_COMMIT_APPROVAL: return "approval";
	case ACCORD_COMMIT_ORIGIN: return "origin";
	case ACCORD_COMMIT_RECEIPT: return "receipt";
	case ACCORD_COMMIT_OTHER: return "other";
	}
	return "";
}

/* The chain certificates of the signer, as DER arrays for KeyInfo. */
static int chain_der(accord_signer *s, unsigned char ***der, size_t **lens)
{
	*der = accord_calloc(s->chain_len, sizeof **der);
	*lens = accord_calloc(s->chain_len, sizeof **lens);
	if (!*der || !*lens)
		return ACCORD_ERR_NOMEM;
	for (size_t i = 0; i < s->chain_len; i++) {
		gnutls_datum_t d = {NULL, 0};
		if (gnutls_x509_crt_export2(s->chain[i], GNUTLS_X509_FMT_DER, &d) < 0)
			return ACCORD_ERR_CRYPTO;
		(*der)[i] = d.data;
		(*lens)[i] = d.size;
	}
	return ACCORD_OK;
}

void accord_chain_der_free(unsigned char **der, size_t *lens, size_t n)
{
	for (size_t i = 0; der && i < n; i++)
		gnutls_free(der[i]);
	free(der);
	free(lens);
}

int accord_sign_check_existing(accord_container *c, const accord_sign_options *opt,
			       const char *package, accord_error *err)
{
	accord_integrity bad;
	int rc;

	if (opt && opt->force)
		return ACCORD_OK;
	rc = accord_integrity_check(c, &bad, err);
	if (rc || !bad.id[0])
		return rc;
	return accord_err(err, ACCORD_ERR_FORMAT, package,
			  "signature %s in %s fails (%.600s): nothing signed, adding a signature would not make the package sound (--force to sign anyway)",
			  bad.id, bad.file, bad.why);
}

int accord_refuse_covered_edit(const accord_xsig *target, accord_error *err)
{
	/* Every xades:UnsignedSignatureProperties that holds the target (at any depth of
	 * countersignatures): an ArchiveTimeStamp after the property that holds it covers it. */
	for (xmlNodePtr held = target->node, up = held ? held->parent : NULL; up;
	     held = up, up = up->parent) {
		if (up->type != XML_ELEMENT_NODE || !accord_xml_is(up, ACCORD_NS_XADES, "UnsignedSignatureProperties"))
			continue;
		for (xmlNodePtr k = accord_xml_next_element(held); k; k = accord_xml_next_element(k))
			if (accord_xml_is(k, ACCORD_NS_XADES141, "ArchiveTimeStamp")) {
				xmlChar *id = xmlGetNoNsProp(k, (const xmlChar *)"Id");
				int rc = accord_err(err, ACCORD_ERR_PERM, target->id ? target->id : "signature",
						    "is covered by the archive timestamp %s: changing it would break that timestamp (only what comes after it may be added)",
						    id ? (const char *)id : "(without Id)");
				xmlFree(id);
				return rc;
			}
	}
	return ACCORD_OK;
}

int accord_sign_fill_build(accord_signer *signer, const accord_sign_options *opt,
			   accord_xades_build *b, unsigned char ***chain, size_t **chain_lens,
			   accord_error *err)
{
	const accord_sig_alg *alg;
	char why[300];
	int rc = accord_signer_ready(signer, err); /* a key still being decrypted */

	if (rc)
		return rc;
	alg = accord_signer_xml_alg(signer, opt && opt->rsa_pss);
	if (!alg)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "signing key",
				  "no XML signature method for this key type");
	/* What verify would refuse (and a CA certificate): refused now, not found later
	 * (--force signs anyway: verify still judges it). */
	if (!(opt && opt->force) && !accord_crt_may_sign(signer->cert, 1, why, sizeof why))
		return accord_err(err, ACCORD_ERR_PERM, "signing certificate", "%s", why);
	b->sig_alg_uri = alg->uri;
	b->cert_der = signer->cert_der.data;
	b->cert_len = signer->cert_der.size;
	b->signing_time = time(NULL);
	if (opt) {
		b->role = opt->role;
		b->city = opt->city;
		b->country = opt->country;
		if (opt->commitment > ACCORD_COMMIT_NONE && opt->commitment <= ACCORD_COMMIT_RECEIPT)
			b->commitment_uri = commitment_uris[opt->commitment];
	}
	if (chain_der(signer, chain, chain_lens))
		return accord_err(err, ACCORD_ERR_NOMEM, "certificate chain", "cannot export");
	b->chain_der = (const unsigned char *const *)*chain;
	b->chain_lens = *chain_lens;
	b->n_chain = signer->chain_len;
	return ACCORD_OK;
}

int accord_unused_signature_id(const accord_container *c, const char *prefix, char *id, size_t n,
		     accord_error *err)
{
	for (int tries = 0; tries < 16; tries++) {
		int used = 0;
		if (accord_new_signature_id(prefix, id, n, err))
			return err->code;
		for (size_t i = 0; i < c->n_signatures; i++)
			if (strstr((const char *)c->signatures[i].data, id))
				used = 1;
		if (!used)
			return ACCORD_OK;
	}
	return accord_err(err, ACCORD_ERR_CRYPTO, c->path, "cannot find an unused signature Id");
}

/* A second signature by the same certificate adds nothing but a count that misleads
 * ("3 valid signatures" from two people): refused unless --force. */
static int refuse_same_signer(accord_container *c, const accord_signer *signer, const char *package,
			      accord_error *err)
{
	accord_xsig_file *files = NULL;
	accord_error *errs = NULL;
	size_t nf = 0;
	int rc = accord_xades_parse_all(c, &files, &errs, &nf, err);

	for (size_t f = 0; !rc && f < nf; f++)
		for (size_t i = 0; !rc && i < files[f].n_sigs; i++) {
			const accord_xsig *s = &files[f].sigs[i];
			for (size_t k = 0; k < s->n_certs; k++)
				if (s->cert_lens[k] == signer->cert_der.size &&
				    !memcmp(s->certs[k], signer->cert_der.data, signer->cert_der.size)) {
					rc = accord_err(err, ACCORD_ERR_EXISTS, package,
							"this certificate already signed it (signature %s in %s); --force to sign again",
							s->id ? s->id : "?", files[f].name);
					break;
				}
		}
	accord_xades_free_all(files, errs, nf);
	return rc;
}

static int accord_sign_unlocked(const char *package, accord_signer *signer, const accord_sign_options *opt,
		char *id_out, size_t id_len, accord_error *err)
{
	accord_container *c = NULL;
	accord_limits lim;
	accord_xades_build b;
	accord_xades_data_ref *refs = NULL;
	unsigned char **chain = NULL, *xml = NULL;
	size_t *chain_lens = NULL, xml_len = 0;
	xmlDocPtr doc = NULL;
	char id[64], name[128];
	accord_new_entry e;
	int rc;

	memset(&b, 0, sizeof b);
	accord_limits_default(&lim);
	rc = accord_container_open(package, &lim, &c, err);
	if (rc)
		return rc;
	if (c->n_entries == 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, package, "the package holds no documents to sign");
		goto out;
	}
	/* A new signature file is one entry more: what verify would then refuse is not
	 * written. */
	if (c->n_zip_entries >= lim.max_entries) {
		rc = accord_err(err, ACCORD_ERR_LIMIT, package,
				"the package holds %zu entries: a signature file more would exceed the limit of %llu (--max-entries)",
				c->n_zip_entries, (unsigned long long)lim.max_entries);
		goto out;
	}
	rc = accord_sign_check_existing(c, opt, package, err);
	if (!rc && !(opt && opt->force))
		rc = refuse_same_signer(c, signer, package, err);
	if (rc)
		goto out;
	rc = accord_unused_signature_id(c, "S", id, sizeof id, err);
	if (rc)
		goto out;
	refs = accord_calloc(c->n_entries, sizeof *refs);
	if (!refs) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, package, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->n_entries; i++) {
		refs[i].path = c->entries[i].name;
		refs[i].mime_type = c->entries[i].media_type ? c->entries[i].media_type
							     : "application/octet-stream";
		refs[i].sha256 = c->entries[i].doc.sha256;
	}
	b.sig_id = id;
	b.data = refs;
	b.n_data = c->n_entries;
	rc = accord_sign_fill_build(signer, opt, &b, &chain, &chain_lens, err);
	if (rc)
		goto out;
	if (accord_container_next_signature_name(c, name, sizeof name)) {
		rc = accord_err(err, ACCORD_ERR_LIMIT, package, "no free signature file name");
		goto out;
	}
	doc = accord_xades_new_file();
	if (!doc) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, package, "out of memory");
		goto out;
	}
	rc = accord_xades_make(doc, xmlDocGetRootElement(doc), &b, signer, opt, name, &xml, &xml_len, err);
	if (!rc && opt && opt->lt) {
		/* B-LT in the same write: nothing is committed if the validation data (an OCSP
		 * response saying revoked, say) cannot be had. */
		unsigned char *lt = NULL;
		size_t lt_len = 0;
		rc = accord_lt_file(xml, xml_len, name, id, opt->lt, &lt, &lt_len, err);
		if (!rc) {
			xmlFree(xml);
			xml = lt;
			xml_len = lt_len;
		}
	}
	if (rc)
		goto out;
	e.name = name;
	e.data = xml;
	e.len = xml_len;
	rc = accord_signature_files_write(package, &e, 1, 0, err);
	if (rc)
		goto out;
	if (id_out)
		snprintf(id_out, id_len, "%s", id);
out:
	xmlFree(xml);
	xmlFreeDoc(doc);
	accord_chain_der_free(chain, chain_lens, signer->chain_len);
	free(refs);
	accord_container_free(c);
	return rc;
}

int accord_sign_key_first(accord_signer *signer, int rc, accord_error *err)
{
	accord_error kerr;

	if (rc == ACCORD_OK)
		return rc;
	accord_error_clear(&kerr);
	if (accord_signer_ready(signer, &kerr) != ACCORD_OK) {
		if (err)
			*err = kerr;
		return kerr.code;
	}
	return rc;
}

/* Two writers of one package run one after the other: the second reads what the first
 * wrote, so neither signature is lost. The documents are hashed while a key of
 * accord_signer_open_start is still being decrypted. */
int accord_sign(const char *package, accord_signer *signer, const accord_sign_options *opt,
		char *id_out, size_t id_len, accord_error *err)
{
	char *real = NULL;
	int fd = -1, rc = accord_writer_lock(package, &fd, &real, err);

	if (rc)
		return accord_sign_key_first(signer, rc, err);
	rc = accord_sign_unlocked(real, signer, opt, id_out, id_len, err);
	accord_writer_unlock(fd);
	free(real);
	return accord_sign_key_first(signer, rc, err);
}
