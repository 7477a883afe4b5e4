/* verify/report_json.c — the verification report as JSON for programs (every field). */
#include <string.h>
#include "accord/verify.h"
#include "util/internal.h"

static void str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void kv(FILE *f, const char *k, const char *v, int comma)
{
	str(f, k);
	fputc(':', f);
	str(f, v);
	if (comma)
		fputc(',', f);
}

static void kt(FILE *f, const char *k, time_t t, int comma)
{
	char buf[40];
	str(f, k);
	fputc(':', f);
	if (t) {
		accord_time_format(t, buf, sizeof buf);
		str(f, buf);
	} else {
		fputs("null", f);
	}
	if (comma)
		fputc(',', f);
}

static const char *status_name(accord_package_status s)
{
	switch (s) {
	case ACCORD_PACKAGE_VALID: return "valid";
	case ACCORD_PACKAGE_INVALID: return "invalid";
	case ACCORD_PACKAGE_INCOMPLETE: return "incomplete";
	}
	return "?";
}

void accord_report_write_json(const accord_report *r, FILE *f)
{
	fputc('{', f);
	kv(f, "package", r->package, 1);
	kv(f, "status", status_name(r->status), 1);
	fprintf(f, "\"exit_code\":%d,", (int)r->status);
	kv(f, "summary", r->summary, 1);
	if (r->has_descriptor) {
		fputs("\"descriptor\":{", f);
		kv(f, "kind", accord_kind_name(r->descriptor.kind), 1);
		kv(f, "title", r->descriptor.title, 1);
		kv(f, "reference", r->descriptor.reference, 1);
		kt(f, "created", r->descriptor.created, 0);
		fputs("},", f);
	} else {
		fputs("\"descriptor\":null,", f);
	}
	fputs("\"signatures\":[", f);
	for (size_t i = 0; i < r->n_sigs; i++) {
		const accord_sig_report *s = &r->sigs[i];
		fputs(i ? ",{" : "{", f);
		kv(f, "id", s->id, 1);
		kv(f, "file", s->file, 1);
		if (s->master >= 0) {
			str(f, "countersigns");
			fputc(':', f);
			str(f, r->sigs[s->master].id);
			fputc(',', f);
		}
		kv(f, "indication", accord_indication_name(s->indication), 1);
		kv(f, "subindication", s->subindication, 1);
		kv(f, "message", s->message, 1);
		kv(f, "signer", s->signer, 1);
		kv(f, "signer_subject", s->signer_subject, 1);
		kv(f, "signer_fingerprint", s->signer_fingerprint, 1);
		kv(f, "signer_org", s->signer_org, 1);
		kv(f, "signer_country", s->signer_country, 1);
		kv(f, "signer_issuer", s->signer_issuer, 1);
		kv(f, "signature_method", s->signature_method, 1);
		kv(f, "role", s->role, 1);
		kv(f, "city", s->city, 1);
		kv(f, "country", s->country, 1);
		kv(f, "commitment", s->commitment, 1);
		kt(f, "claimed_time", s->claimed_time, 1);
		kt(f, "timestamp_time", s->timestamp_time, 1);
		kv(f, "timestamp_authority", s->timestamp_authority, 1);
		kt(f, "archive_time", s->archive_time, 1);
		fprintf(f, "\"long_term_data\":%s,", s->has_ltv ? "true" : "false");
		kt(f, "validation_time", s->validation_time, 1);
		kv(f, "time_source", s->time_source, 1);
		kv(f, "trust_anchor", s->anchor, 1);
		kv(f, "revocation", s->revocation, 1);
		kv(f, "path", s->path_evidence, 1);
		kv(f, "crypto", s->crypto, 1);
		if (s->party >= 0)
			fprintf(f, "\"party\":%d,", s->party);
		else
			fputs("\"party\":null,", f);
		fputs("\"covers\":[", f);
		for (size_t k = 0; k < s->n_covered; k++) {
			if (k)
				fputc(',', f);
			str(f, s->covered[k]);
		}
		fputs("]}", f);
	}
	fputs("],\"parties\":[", f);
	for (size_t p = 0; p < r->n_parties; p++) {
		const accord_party_report *pr = &r->parties[p];
		fputs(p ? ",{" : "{", f);
		kv(f, "name", pr->party.name, 1);
		kv(f, "fingerprint", pr->party.fingerprint, 1);
		kv(f, "ca_fingerprint", pr->party.ca_fingerprint, 1);
		fprintf(f, "\"signed\":%s,", pr->has_signed ? "true" : "false");
		fprintf(f, "\"status\":\"%s\",", pr->has_signed ? "signed" : pr->unconfirmed_id[0] ? "unconfirmed" : "missing");
		kv(f, "unconfirmed_signature", pr->unconfirmed_id, 1);
		kv(f, "unconfirmed_reason", pr->unconfirmed_why, 1);
		kv(f, "signature", pr->signature_id, 0);
		fputc('}', f);
	}
	fprintf(f, "],\"quorum\":%u,\"parties_signed\":%u,\"quorum_met\":%s,", r->quorum,
		r->parties_signed, r->parties_signed >= r->quorum ? "true" : "false");
	fputs("\"documents\":[", f);
	for (size_t d = 0; d < r->n_docs; d++) {
		fputs(d ? ",{" : "{", f);
		kv(f, "name", r->docs[d].name, 1);
		fprintf(f, "\"descriptor\":%s,\"valid_signatures\":%u,\"unconfirmed_signatures\":%u}",
			r->docs[d].is_descriptor ? "true" : "false", r->docs[d].valid_signatures,
			r->docs[d].unconfirmed_signatures);
	}
	fputs("],\"trusted_lists\":[", f);
	for (size_t i = 0; i < r->n_tsls; i++) {
		const accord_tsl_report *l = &r->tsls[i];
		fputs(i ? ",{" : "{", f);
		kv(f, "file", l->file, 1);
		kv(f, "operator", l->operator_name, 1);
		kv(f, "territory", l->territory, 1);
		fprintf(f, "\"sequence\":%lu,", l->sequence);
		kt(f, "issued", l->issued, 1);
		kt(f, "next_update", l->next_update, 1);
		kv(f, "signer", l->signer, 1);
		kv(f, "signer_fingerprint", l->signer_fingerprint, 1);
		fprintf(f, "\"services\":%zu,\"services_used\":%zu,\"anchors\":%zu}", l->n_services,
			l->n_used, l->n_anchors);
	}
	fprintf(f, "],\"warnings\":%zu,\"strict\":%s,", r->n_findings, r->strict ? "true" : "false");
	fprintf(f, "\"trust_anchors\":{\"given\":%zu,\"store\":%zu,", r->n_given_anchors, r->n_store_anchors);
	kv(f, "store_folder", r->trust_store, 1);
	fprintf(f, "\"trusted_lists\":%zu},", r->n_tsl_anchors);
	fputs("\"findings\":[", f);
	for (size_t i = 0; i < r->n_findings; i++) {
		fputs(i ? ",{" : "{", f);
		kv(f, "rule", r->findings[i].rule, 1);
		kv(f, "where", r->findings[i].where, 1);
		kv(f, "message", r->findings[i].message, 0);
		fputc('}', f);
	}
	fputs("]}\n", f);
}
