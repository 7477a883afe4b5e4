/* verify/report_json.c — the verification report as JSON for programs (every field), in
 * the form docs/accord-verify-1.schema.json describes: absent values are null. */
#include <string.h>
#include "accord/verify.h"
#include "util/internal.h"
#include "util/json.h"

static const char *status_name(accord_package_status s)
{
	switch (s) {
	case ACCORD_PACKAGE_VALID: return "valid";
	case ACCORD_PACKAGE_INVALID: return "invalid";
	case ACCORD_PACKAGE_INCOMPLETE: return "incomplete";
	}
	return "?";
}

static void write_signature(const accord_report *r, const accord_sig_report *s, FILE *f)
{
	fputc('{', f);
	accord_json_text(f, "id", s->id, 1);
	accord_json_text(f, "file", s->file, 1);
	accord_json_text(f, "countersigns", s->master >= 0 ? r->sigs[s->master].id : NULL, 1);
	accord_json_text(f, "indication", accord_indication_name(s->indication), 1);
	accord_json_text(f, "subindication", accord_subindication_name(s->subindication), 1);
	accord_json_text(f, "message", s->message, 1);
	accord_json_text(f, "signer", s->signer, 1);
	accord_json_text(f, "signer_subject", s->signer_subject, 1);
	accord_json_fingerprint(f, "signer_fingerprint", s->signer_fingerprint, 1);
	accord_json_text(f, "signer_org", s->signer_org, 1);
	accord_json_text(f, "signer_country", s->signer_country, 1);
	accord_json_text(f, "signer_issuer", s->signer_issuer, 1);
	accord_json_text(f, "signature_method", s->signature_method, 1);
	accord_json_text(f, "role", s->role, 1);
	accord_json_text(f, "city", s->city, 1);
	accord_json_text(f, "country", s->country, 1);
	accord_json_text(f, "commitment", accord_commitment_name(s->commitment), 1);
	accord_json_time(f, "claimed_time", s->claimed_time, 1);
	accord_json_time(f, "timestamp_time", s->timestamp_time, 1);
	accord_json_text(f, "timestamp_authority", s->timestamp_authority, 1);
	accord_json_time(f, "archive_time", s->archive_time, 1);
	accord_json_bool(f, "long_term_data", s->has_ltv, 1);
	accord_json_time(f, "validation_time", s->validation_time, 1);
	accord_json_text(f, "time_source", accord_time_source_name(s->time_source), 1);
	accord_json_text(f, "trust_anchor", s->anchor, 1);
	accord_json_text(f, "revocation", s->revocation, 1);
	accord_json_text(f, "path", s->path_evidence, 1);
	accord_json_text(f, "crypto", s->crypto, 1);
	/* the declared party it satisfies, by name as in "parties" */
	accord_json_text(f, "party", s->party >= 0 && (size_t)s->party < r->n_parties
			 ? r->parties[s->party].party.name : NULL, 1);
	fputs("\"covers\":[", f);
	for (size_t k = 0; k < s->n_covered; k++) {
		if (k)
			fputc(',', f);
		accord_json_string(f, s->covered[k]);
	}
	fputs("]}", f);
}

static void write_party(const accord_party_report *pr, FILE *f)
{
	fputc('{', f);
	accord_json_text(f, "name", pr->party.name, 1);
	accord_json_fingerprint(f, "fingerprint", pr->party.fingerprint, 1);
	accord_json_fingerprint(f, "ca_fingerprint", pr->party.ca_fingerprint, 1);
	accord_json_bool(f, "signed", pr->has_signed, 1);
	accord_json_text(f, "status", pr->has_signed ? "signed" : pr->unconfirmed_id[0] ? "unconfirmed" : "missing", 1);
	accord_json_text(f, "unconfirmed_signature", pr->unconfirmed_id, 1);
	accord_json_text(f, "unconfirmed_reason", pr->unconfirmed_why, 1);
	accord_json_text(f, "signature", pr->signature_id, 0);
	fputc('}', f);
}

static void write_document(const accord_doc_report *d, FILE *f)
{
	fputc('{', f);
	accord_json_text(f, "name", d->name, 1);
	accord_json_bool(f, "descriptor", d->is_descriptor, 1);
	accord_json_uint(f, "valid_signatures", d->valid_signatures, 1);
	accord_json_uint(f, "unconfirmed_signatures", d->unconfirmed_signatures, 0);
	fputc('}', f);
}

static void write_trusted_list(const accord_tsl_report *l, FILE *f)
{
	fputc('{', f);
	accord_json_text(f, "file", l->file, 1);
	accord_json_text(f, "operator", l->operator_name, 1);
	accord_json_text(f, "territory", l->territory, 1);
	accord_json_uint(f, "sequence", l->sequence, 1);
	accord_json_time(f, "issued", l->issued, 1);
	accord_json_time(f, "next_update", l->next_update, 1);
	accord_json_text(f, "signer", l->signer, 1);
	accord_json_fingerprint(f, "signer_fingerprint", l->signer_fingerprint, 1);
	accord_json_text(f, "signer_org", l->signer_org, 1);
	accord_json_text(f, "signer_country", l->signer_country, 1);
	accord_json_text(f, "signer_issuer", l->signer_issuer, 1);
	accord_json_uint(f, "services", l->n_services, 1);
	accord_json_uint(f, "services_used", l->n_used, 1);
	accord_json_uint(f, "anchors", l->n_anchors, 0);
	fputc('}', f);
}

void accord_report_write_json(const accord_report *r, FILE *f)
{
	fputc('{', f);
	accord_json_text(f, "format", ACCORD_JSON_VERIFY_FORMAT, 1);
	accord_json_text(f, "package", r->package, 1);
	accord_json_text(f, "status", status_name(r->status), 1);
	fprintf(f, "\"exit_code\":%d,", (int)r->status);
	accord_json_text(f, "summary", r->summary, 1);
	accord_json_descriptor(f, r->has_descriptor ? &r->descriptor : NULL);
	fputs("\"signatures\":[", f);
	for (size_t i = 0; i < r->n_sigs; i++) {
		if (i)
			fputc(',', f);
		write_signature(r, &r->sigs[i], f);
	}
	fputs("],\"parties\":[", f);
	for (size_t p = 0; p < r->n_parties; p++) {
		if (p)
			fputc(',', f);
		write_party(&r->parties[p], f);
	}
	fputs("],", f);
	accord_json_uint(f, "quorum", r->quorum, 1);
	accord_json_uint(f, "parties_signed", r->parties_signed, 1);
	accord_json_bool(f, "quorum_met", r->parties_signed >= r->quorum, 1);
	fputs("\"documents\":[", f);
	for (size_t d = 0; d < r->n_docs; d++) {
		if (d)
			fputc(',', f);
		write_document(&r->docs[d], f);
	}
	fputs("],\"trusted_lists\":[", f);
	for (size_t i = 0; i < r->n_tsls; i++) {
		if (i)
			fputc(',', f);
		write_trusted_list(&r->tsls[i], f);
	}
	fputs("],", f);
	accord_json_uint(f, "warnings", r->n_findings, 1);
	accord_json_bool(f, "strict", r->strict, 1);
	fputs("\"trust_anchors\":{", f);
	accord_json_uint(f, "given", r->n_given_anchors, 1);
	accord_json_uint(f, "store", r->n_store_anchors, 1);
	accord_json_text(f, "store_folder", r->trust_store, 1);
	accord_json_uint(f, "trusted_lists", r->n_tsl_anchors, 0);
	fputs("},\"findings\":[", f);
	for (size_t i = 0; i < r->n_findings; i++) {
		if (i)
			fputc(',', f);
		accord_json_finding(f, r->findings[i].rule, r->findings[i].where, r->findings[i].message);
	}
	fputs("]}\n", f);
}
