/* verify/report_text.c — the short verification report for people: who signed, as what,
 * when, what failed and what is missing. */
#include <string.h>
#include "accord/verify.h"
#include "util/internal.h"

/* Titles, names and messages come from the package and its certificates: control
 * characters are shown escaped so that they cannot forge lines of the report. */
#define C(s) accord_text_shown((s), (char[1024]){0}, 1024)

static void when(time_t t, char *buf, size_t n)
{
	if (t)
		accord_time_format(t, buf, n);
	else
		snprintf(buf, n, "(no time)");
}

static void print_sig(const accord_report *r, size_t i, int indent, FILE *f)
{
	const accord_sig_report *s = &r->sigs[i];
	char t[40];

	fprintf(f, "%*s%s %s  %s%s%s\n", indent, "", s->master < 0 ? "signature" : "countersignature",
		s->id, accord_indication_name(s->indication), s->subindication ? "/" : "",
		accord_subindication_name(s->subindication));
	fprintf(f, "%*s  signer: %s%s%s", indent, "", s->signer[0] ? C(s->signer) : "(unknown)",
		s->party >= 0 ? "  (declared party)"
		: (s->master < 0 && r->n_parties && s->indication == ACCORD_TOTAL_PASSED ? "  (not a declared party)" : ""),
		"");
	if (s->signer_fingerprint[0]) {
		/* Two organisations' "alice" must not look the same: O, C, issuer, fingerprint. */
		fprintf(f, "\n%*s          ", indent, "");
		if (s->signer_org[0] || s->signer_country[0])
			fprintf(f, "%s%s%s, ", C(s->signer_org), s->signer_org[0] && s->signer_country[0] ? ", " : "",
				C(s->signer_country));
		fprintf(f, "issued by %s, SHA-256 %.16s", s->signer_issuer[0] ? C(s->signer_issuer) : "(unnamed)",
			s->signer_fingerprint);
	}
	fprintf(f, "\n");
	if (s->role[0])
		fprintf(f, "%*s  role: %s\n", indent, "", C(s->role));
	if (s->city[0] || s->country[0])
		fprintf(f, "%*s  place: %s%s%s\n", indent, "", C(s->city), s->city[0] && s->country[0] ? ", " : "",
			C(s->country));
	if (s->commitment != ACCORD_COMMIT_NONE)
		fprintf(f, "%*s  commitment: %s\n", indent, "", accord_commitment_name(s->commitment));
	when(s->claimed_time, t, sizeof t);
	fprintf(f, "%*s  signing time: %s (claimed)\n", indent, "", t);
	if (s->timestamp_time) {
		when(s->timestamp_time, t, sizeof t);
		fprintf(f, "%*s  timestamp: %s by %s\n", indent, "", t, C(s->timestamp_authority));
	}
	if (s->archive_time) {
		when(s->archive_time, t, sizeof t);
		fprintf(f, "%*s  archive timestamp: %s\n", indent, "", t);
	}
	if (s->has_ltv)
		fprintf(f, "%*s  long-term validation data: embedded\n", indent, "");
	if (s->validation_time) {
		when(s->validation_time, t, sizeof t);
		fprintf(f, "%*s  certificate checked at: %s (%s)\n", indent, "", t,
			accord_time_source_name(s->time_source));
	}
	if (s->anchor[0])
		fprintf(f, "%*s  trust anchor: %s\n", indent, "", C(s->anchor));
	if (s->revocation[0])
		fprintf(f, "%*s  revocation: %s\n", indent, "", C(s->revocation));
	if (s->path_evidence[0])
		fprintf(f, "%*s  path: %s\n", indent, "", C(s->path_evidence));
	if (s->crypto[0])
		fprintf(f, "%*s  crypto: %s\n", indent, "", s->crypto);
	if (s->message[0])
		fprintf(f, "%*s  problem: %s\n", indent, "", C(s->message));
	fprintf(f, "%*s  file: %s\n", indent, "", s->file);
	for (size_t k = 0; k < s->n_covered; k++)
		if (!strncmp(s->covered[k], "META-INF/", 9))
			fprintf(f, "%*s  signs %s%s\n", indent, "", s->covered[k],
				!strcmp(s->covered[k], "META-INF/manifest.xml")
					? " (the manifest)" : " (a signature file: a signature over a signature)");
	for (size_t k = 0; k < r->n_sigs; k++)
		if (r->sigs[k].master == (int)i)
			print_sig(r, k, indent + 4, f);
}

void accord_report_write_text(const accord_report *r, FILE *f)
{
	fprintf(f, "package: %s\n", r->package);
	if (r->has_descriptor) {
		char t[40];
		when(r->descriptor.created, t, sizeof t);
		fprintf(f, "  %s: %s%s%s (created %s)\n", accord_kind_name(r->descriptor.kind),
			C(r->descriptor.title), r->descriptor.reference[0] ? ", ref. " : "",
			C(r->descriptor.reference), t);
		if (r->descriptor.incident_id[0])
			fprintf(f, "  incident ID: %s\n", C(r->descriptor.incident_id));
		if (r->descriptor.tlp == ACCORD_TLP_UNKNOWN)
			fprintf(f, "  marking: '%s' (not a TLP 2.0 label)\n", C(r->descriptor.tlp_text));
		else if (r->descriptor.tlp != ACCORD_TLP_NONE)
			fprintf(f, "  marking: %s\n", accord_tlp_label(r->descriptor.tlp));
	}
	fprintf(f, "\n");
	if (!r->n_sigs)
		fprintf(f, "no signatures\n");
	for (size_t i = 0; i < r->n_sigs; i++)
		if (r->sigs[i].master < 0)
			print_sig(r, i, 0, f);
	if (r->n_parties) {
		fprintf(f, "\nparties (quorum %u of %zu): %u signed\n", r->quorum, r->n_parties,
			r->parties_signed);
		for (size_t p = 0; p < r->n_parties; p++) {
			const accord_party_report *pr = &r->parties[p];
			if (pr->unconfirmed_id[0]) {
				fprintf(f, "  signed, not confirmed  %s  (%s, %s)\n", C(pr->party.name),
					pr->unconfirmed_id, C(pr->unconfirmed_why));
				continue;
			}
			fprintf(f, "  %-8s %s", pr->has_signed ? "signed" : "MISSING", C(pr->party.name));
			if (pr->has_signed)
				fprintf(f, "  (%s)", pr->signature_id);
			fprintf(f, "\n");
		}
	}
	fprintf(f, "\ndocuments:\n");
	for (size_t d = 0; d < r->n_docs; d++)
		fprintf(f, "  %-40s %s\n", C(r->docs[d].name),
			r->docs[d].valid_signatures ? "covered"
			: r->docs[d].unconfirmed_signatures ? "covered by a signature that could not be confirmed"
							    : "NOT COVERED by a valid signature");
	if (r->n_tsls)
		fprintf(f, "\ntrusted lists:\n");
	for (size_t i = 0; i < r->n_tsls; i++) {
		const accord_tsl_report *l = &r->tsls[i];
		char issued[40], next[40];
		when(l->issued, issued, sizeof issued);
		when(l->next_update, next, sizeof next);
		fprintf(f, "  %s: %s (%s), sequence %lu, issued %s, next update %s\n", C(l->file),
			C(l->operator_name), C(l->territory), l->sequence, issued, l->next_update ? next : "none");
		fprintf(f, "    signed by %s (SHA-256 %s); %zu of %zu services used, %zu anchors\n",
			C(l->signer), l->signer_fingerprint, l->n_used, l->n_services, l->n_anchors);
	}
	fprintf(f, "\ntrust anchors: %zu given (--trust), %zu from the trust store%s%s%s, %zu from trusted lists\n",
		r->n_given_anchors, r->n_store_anchors, r->trust_store[0] ? " (" : " (not read)",
		r->trust_store[0] ? C(r->trust_store) : "", r->trust_store[0] ? ")" : "", r->n_tsl_anchors);
	if (r->n_findings) {
		fprintf(f, "\nfindings (%zu warning%s%s):\n", r->n_findings,
			r->n_findings == 1 ? "" : "s", r->strict ? ", failing under --strict" : "");
		for (size_t i = 0; i < r->n_findings; i++) {
			fprintf(f, "  %s: %s\n", C(r->findings[i].where), C(r->findings[i].message));
			fprintf(f, "    rule: %s\n", C(r->findings[i].rule));
		}
	}
	fprintf(f, "\nresult: %s\n", r->summary);
}
