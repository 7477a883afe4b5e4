/* sign/countersign.c — `accord countersign`: a XAdES CounterSignature endorsing one
 * existing signature, placed in that signature's UnsignedSignatureProperties. Its
 * reference (Type CountersignedSignature) covers the target's SignatureValue element. */
#include <string.h>
#include "sign/sign.h"
#include "formats/container.h"
#include "formats/xml_safe.h"

static int accord_countersign_unlocked(const char *package, const char *target_id, accord_signer *signer,
		       const accord_sign_options *opt, char *id_out, size_t id_len,
		       accord_error *err)
{
	accord_container *c = NULL;
	accord_limits lim;
	accord_xsig_file *files = NULL;
	accord_error *errs = NULL;
	size_t n = 0, fi = 0, *chain_lens = NULL, xml_len = 0;
	accord_xsig *target;
	accord_xades_build b;
	unsigned char **chain = NULL, *xml = NULL;
	xmlNodePtr usp, holder;
	char id[64], sv_id[96];
	accord_new_entry e;
	int rc, count = 0;

	memset(&b, 0, sizeof b);
	accord_limits_default(&lim);
	rc = accord_container_open(package, &lim, &c, err);
	if (rc)
		return rc;
	rc = accord_sign_check_existing(c, opt, package, err);
	if (rc)
		goto out;
	rc = accord_xades_parse_all(c, &files, &errs, &n, err);
	if (rc)
		goto out;
	target = accord_xades_find(files, n, target_id, &fi, &count);
	if (!target) {
		for (size_t i = 0; i < n; i++)
			if (errs[i].code) {
				rc = accord_err(err, ACCORD_ERR_NOTFOUND, target_id,
						"no signature with this Id (%s could not be read: %s)",
						files[i].name, errs[i].why);
				goto out;
			}
		rc = accord_err(err, ACCORD_ERR_NOTFOUND, target_id,
				"no signature with this Id in '%s' (accord list shows the Ids)", package);
		goto out;
	}
	if (count > 1) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, target_id,
				"%d signatures carry this Id; cannot tell which to endorse", count);
		goto out;
	}
	/* The countersignature goes into target's unsigned properties: not where an archive
	 * timestamp covers them. */
	rc = accord_refuse_covered_edit(target, err);
	if (rc)
		goto out;
	if (!target->sig_value_id) {
		/* The SignatureValue needs an Id to be referenced. It is outside SignedInfo, so
		 * adding one keeps the signature valid, unless a timestamp already covers it. */
		int archived = 0;
		for (xmlNodePtr k = accord_xml_first_element(target->unsigned_sig_props); k;
		     k = accord_xml_next_element(k))
			archived |= accord_xml_is(k, ACCORD_NS_XADES141, "ArchiveTimeStamp");
		if (target->n_ts || archived) {
			rc = accord_err(err, ACCORD_ERR_UNSUPPORTED, target_id,
					"the SignatureValue has no Id and is already timestamped");
			goto out;
		}
		snprintf(sv_id, sizeof sv_id, "%s-SIG", target_id);
		xmlSetProp(target->sig_value_node, (const xmlChar *)"Id", (const xmlChar *)sv_id);
	} else {
		snprintf(sv_id, sizeof sv_id, "%s", target->sig_value_id);
	}
	rc = accord_unused_signature_id(c, "CS", id, sizeof id, err);
	if (rc)
		goto out;
	usp = accord_xades_unsigned_props(target->node, err);
	if (!usp) {
		rc = err->code;
		goto out;
	}
	holder = xmlNewChild(usp, usp->ns, (const xmlChar *)"CounterSignature", NULL);
	b.sig_id = id;
	b.countersigned_value_id = sv_id;
	rc = accord_sign_fill_build(signer, opt, &b, &chain, &chain_lens, err);
	if (rc)
		goto out;
	rc = accord_xades_make(files[fi].doc, holder, &b, signer, opt, files[fi].name, &xml, &xml_len, err);
	if (rc)
		goto out;
	e.name = files[fi].name;
	e.data = xml;
	e.len = xml_len;
	rc = accord_signature_files_write(package, &e, 1, 1, err);
	if (rc)
		goto out;
	if (id_out)
		snprintf(id_out, id_len, "%s", id);
out:
	xmlFree(xml);
	accord_chain_der_free(chain, chain_lens, signer->chain_len);
	accord_xades_free_all(files, errs, n);
	accord_container_free(c);
	return rc;
}

/* Two writers of one package run one after the other: the second reads what the first
 * wrote, so neither signature is lost. */
int accord_countersign(const char *package, const char *target_id, accord_signer *signer,
		       const accord_sign_options *opt, char *id_out, size_t id_len,
		       accord_error *err)
{
	char *real = NULL;
	int fd = -1, rc = accord_writer_lock(package, &fd, &real, err);

	if (rc)
		return accord_sign_key_first(signer, rc, err);
	rc = accord_countersign_unlocked(real, target_id, signer, opt, id_out, id_len, err);
	accord_writer_unlock(fd);
	free(real);
	return accord_sign_key_first(signer, rc, err);
}
