/* verify/report_html.c — the verification report as one self-contained HTML page for
 * people: the verdict a clerk reads at a glance, then the package, its documents with
 * their digests, each signer (organisation, role, place, commitment, trusted time,
 * certificate) with the countersignatures under what they endorse, the declared parties
 * and who is still missing, and the warnings; a TLP marking in a banner above it all.
 * The same accord_report the text and JSON writers read; inline CSS, no script, nothing
 * fetched. Everything that comes from the package or a certificate is escaped: a name
 * "<script>" is shown as text. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "accord/verify.h"
#include "util/internal.h"

/* Text as HTML: markup characters as entities, control characters and bytes that are
 * not UTF-8 as U+FFFD (so nothing can close an element or open one). */
static void esc(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n = accord_utf8_length(p);
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if (!n || (*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)
				fputs("&#xfffd;", f);
			else
				fwrite(p, 1, n, f);
		}
		p += n ? n : 1;
	}
}

/* "2026-11-30 08:55:00 UTC", or "" for no time. */
static const char *when(time_t t, char *buf, size_t n)
{
	char iso[40];

	if (!t) {
		buf[0] = '\0';
		return buf;
	}
	accord_time_format(t, iso, sizeof iso);
	if (strlen(iso) == 20 && iso[10] == 'T')
		snprintf(buf, n, "%.10s %.8s UTC", iso, iso + 11);
	else
		snprintf(buf, n, "%s", iso);
	return buf;
}

/* One "label: value" row of a definition list; nothing when the value is empty. */
static void row(FILE *f, const char *label, const char *value)
{
	if (!value || !value[0])
		return;
	fputs("<dt>", f);
	esc(f, label);
	fputs("</dt><dd>", f);
	esc(f, value);
	fputs("</dd>\n", f);
}

static const char *indication_class(accord_indication i)
{
	return i == ACCORD_TOTAL_PASSED ? "ok" : i == ACCORD_TOTAL_FAILED ? "bad" : "unsure";
}

/* Said plainly, for someone who does not know ETSI EN 319 102-1. */
static const char *indication_words(const accord_sig_report *s)
{
	if (s->indication == ACCORD_TOTAL_PASSED)
		return "Valid signature";
	if (s->indication == ACCORD_TOTAL_FAILED)
		return "Signature FAILED";
	return "Could not be confirmed";
}

static const char *time_source_words(accord_time_source src)
{
	switch (src) {
	case ACCORD_TIME_TIMESTAMPED: return "proven by a timestamp";
	case ACCORD_TIME_ARCHIVED: return "proven by an archive timestamp";
	case ACCORD_TIME_MARK: return "proven by a time-mark (an OCSP response bound to the signature)";
	case ACCORD_TIME_GIVEN: return "the time given for the check (--at)";
	case ACCORD_TIME_NOW: return "the time of this check (no timestamp)";
	case ACCORD_TIME_NONE: break;
	}
	return "";
}

static void signature(const accord_report *r, size_t i, FILE *f)
{
	const accord_sig_report *s = &r->sigs[i];
	char t[48], buf[600];

	fprintf(f, "<article class=\"sig %s\">\n<h3><span class=\"mark\">%s</span> ",
		indication_class(s->indication),
		s->indication == ACCORD_TOTAL_PASSED ? "&#10004;" : s->indication == ACCORD_TOTAL_FAILED ? "&#10008;" : "?");
	fputs(s->master >= 0 ? "Countersignature by " : "Signed by ", f);
	esc(f, s->signer[0] ? s->signer : "(unknown signer)");
	fprintf(f, " <span class=\"state\">%s", indication_words(s));
	if (s->subindication != ACCORD_SUB_NONE) {
		fputs(" (", f);
		esc(f, accord_subindication_name(s->subindication));
		fputc(')', f);
	}
	fputs("</span></h3>\n", f);
	if (s->message[0]) {
		fputs("<p class=\"problem\">", f);
		esc(f, s->message);
		fputs("</p>\n", f);
	}
	fputs("<dl>\n", f);
	if (s->master >= 0)
		row(f, "Endorses", r->sigs[s->master].signer[0] ? r->sigs[s->master].signer : r->sigs[s->master].id);
	if (s->party >= 0 && (size_t)s->party < r->n_parties)
		row(f, "Declared party", r->parties[s->party].party.name);
	row(f, "Organisation", s->signer_org);
	row(f, "Country", s->signer_country);
	row(f, "Role", s->role);
	snprintf(buf, sizeof buf, "%s%s%s", s->city, s->city[0] && s->country[0] ? ", " : "", s->country);
	row(f, "Place", buf);
	row(f, "Commitment", accord_commitment_name(s->commitment));
	if (s->timestamp_time) {
		snprintf(buf, sizeof buf, "%s, timestamp by %s", when(s->timestamp_time, t, sizeof t),
			 s->timestamp_authority[0] ? s->timestamp_authority : "(unnamed authority)");
		row(f, "Trusted time", buf);
	} else {
		row(f, "Trusted time", "none: no valid timestamp proves when it was signed");
	}
	if (s->claimed_time) {
		snprintf(buf, sizeof buf, "%s (as the signer's computer said; not proven)", when(s->claimed_time, t, sizeof t));
		row(f, "Claimed signing time", buf);
	}
	row(f, "Archive timestamp", when(s->archive_time, t, sizeof t));
	if (s->validation_time) {
		snprintf(buf, sizeof buf, "%s, %s", when(s->validation_time, t, sizeof t), time_source_words(s->time_source));
		row(f, "Certificate checked at", buf);
	}
	row(f, "Long-term data", s->has_ltv ? "embedded (certificates and revocation data inside)" : "");
	fputs("</dl>\n<details><summary>Certificate and checks</summary>\n<dl>\n", f);
	row(f, "Subject", s->signer_subject);
	row(f, "Issued by", s->signer_issuer);
	row(f, "SHA-256 fingerprint", s->signer_fingerprint);
	row(f, "Trust anchor", s->anchor);
	row(f, "Revocation", s->revocation);
	row(f, "Certificate path", s->path_evidence);
	row(f, "Algorithms", s->signature_method);
	row(f, "Crypto checks", s->crypto);
	row(f, "Signature Id", s->id);
	row(f, "Signature file", s->file);
	fputs("</dl>\n</details>\n", f);
	/* Countersignatures, under what they endorse. */
	for (size_t k = 0; k < r->n_sigs; k++)
		if (r->sigs[k].master == (int)i) {
			fputs("<div class=\"counter\">\n", f);
			signature(r, k, f);
			fputs("</div>\n", f);
		}
	fputs("</article>\n", f);
}

static const char style[] =
	"body{font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
	"color:#1d1d1f;background:#f6f6f4;margin:0}\n"
	"main{max-width:60em;margin:0 auto;padding:1.5em}\n"
	"h1{font-size:1.3em;margin:0 0 .8em;word-break:break-all}\n"
	"h2{font-size:1.15em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em}\n"
	"h3{font-size:1.05em;margin:.2em 0 .5em}\n"
	".verdict{border-radius:8px;padding:1em 1.3em;color:#fff;margin-bottom:1.2em}\n"
	".verdict .big{font-size:2em;font-weight:700;letter-spacing:.02em}\n"
	".verdict p{margin:.4em 0 0}\n"
	".verdict.valid{background:#1b7f3b}.verdict.invalid{background:#b3261e}"
	".verdict.incomplete{background:#9a5b00}\n"
	"table{border-collapse:collapse;width:100%;background:#fff}\n"
	"th,td{text-align:left;border:1px solid #ddd;padding:.35em .5em;vertical-align:top}\n"
	"th{background:#eee}\n"
	"code,.digest{font-family:'DejaVu Sans Mono',monospace;font-size:.85em;word-break:break-all}\n"
	".sig{background:#fff;border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;"
	"padding:.6em 1em;margin:.8em 0}\n"
	".sig.ok{border-left-color:#1b7f3b}.sig.bad{border-left-color:#b3261e}"
	".sig.unsure{border-left-color:#9a5b00}\n"
	".sig .state{font-weight:400;color:#555}\n"
	".sig.ok .mark{color:#1b7f3b}.sig.bad .mark{color:#b3261e}.sig.unsure .mark{color:#9a5b00}\n"
	".counter{margin-left:1.5em}\n"
	"dl{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:.3em 0}\n"
	"dt{color:#555}dd{margin:0;word-break:break-word}\n"
	".problem{color:#b3261e;font-weight:600}\n"
	".yes{color:#1b7f3b;font-weight:600}.no{color:#b3261e;font-weight:600}"
	".maybe{color:#9a5b00;font-weight:600}\n"
	"footer{color:#666;font-size:.85em;margin-top:2em}\n"
	".tlp{background:#000;color:#fff;padding:.5em max(1.5em,calc(50% - 28.5em));display:flex;flex-wrap:wrap;"
	"align-items:baseline;gap:.3em 1em}\n"
	".tlp .label{font-weight:700;font-size:1.25em;letter-spacing:.03em;white-space:nowrap}\n"
	".tlp-red{color:#ff2b2b}.tlp-amber{color:#ffc000}.tlp-green{color:#33ff00}"
	".tlp-clear{color:#fff}\n"
	"@media print{body{background:#fff}.verdict,.tlp{-webkit-print-color-adjust:exact;"
	"print-color-adjust:exact}details{display:block}}\n";

/* The TLP marking (FIRST TLP 2.0) above everything else: the label in its colour on black,
 * as FIRST gives them (RED #FF2B2B, AMBER #FFC000, GREEN #33FF00, CLEAR #FFFFFF), and
 * what it asks of the reader in plain words. A value that is not a TLP 2.0 label is shown
 * as written, in white. */
static void tlp_banner(const accord_report *r, FILE *f)
{
	static const char *const cls[] = {"clear", "green", "amber", "amber", "red"};
	static const char *const says[] = {
		"Disclosure is not limited: recipients may share this with anyone.",
		"Limited disclosure: recipients may share this within their community, not publicly.",
		"Limited disclosure: recipients may share this only on a need-to-know basis, within their organisation and with its clients.",
		"Limited disclosure: recipients may share this only on a need-to-know basis, within their organisation.",
		"For the individual recipients only: no further disclosure.",
	};
	accord_tlp t = r->has_descriptor ? r->descriptor.tlp : ACCORD_TLP_NONE;

	if (t == ACCORD_TLP_NONE)
		return;
	if (t == ACCORD_TLP_UNKNOWN) {
		fputs("<div class=\"tlp\" id=\"tlp\"><span class=\"label\">", f);
		esc(f, r->descriptor.tlp_text);
		fputs("</span> <span class=\"says\">This marking is not a TLP 2.0 label; ask the sender how this may be shared.</span></div>\n", f);
		return;
	}
	fprintf(f, "<div class=\"tlp\" id=\"tlp\"><span class=\"label tlp-%s\">%s</span> <span class=\"says\">%s</span></div>\n",
		cls[t - ACCORD_TLP_CLEAR], accord_tlp_label(t), says[t - ACCORD_TLP_CLEAR]);
}

static void verdict(const accord_report *r, FILE *f)
{
	static const char *const cls[] = {"valid", "invalid", "incomplete"};
	static const char *const big[] = {"&#10004; VALID", "&#10008; NOT VALID", "&#9888; NOT COMPLETE"};
	static const char *const plain[] = {
		"Every signature is valid, every document is signed and the parties that must sign have signed.",
		"Do not rely on this package: a signature failed or the package was tampered with.",
		"Not (yet) valid: a party has still to sign, a document is not signed, or a signature could not be confirmed.",
	};
	int k = r->status == ACCORD_PACKAGE_VALID ? 0 : r->status == ACCORD_PACKAGE_INVALID ? 1 : 2;
	size_t missing = 0;

	fprintf(f, "<section class=\"verdict %s\" id=\"verdict\">\n<div class=\"big\">%s</div>\n<p>%s</p>\n<p>",
		cls[k], big[k], plain[k]);
	esc(f, r->summary);
	fputs("</p>\n", f);
	for (size_t p = 0; p < r->n_parties; p++)
		if (!r->parties[p].has_signed) {
			fputs(missing++ ? ", " : "<p>Still to sign: ", f);
			esc(f, r->parties[p].party.name);
		}
	if (missing)
		fputs("</p>\n", f);
	if (r->n_findings)
		fprintf(f, "<p>%zu warning%s: see below.</p>\n", r->n_findings, r->n_findings == 1 ? "" : "s");
	fputs("</section>\n", f);
}

static void package(const accord_report *r, FILE *f)
{
	char t[48], buf[200];

	fputs("<h2>Package</h2>\n<dl>\n", f);
	row(f, "File", r->package);
	if (r->has_descriptor) {
		row(f, "Kind", accord_kind_name(r->descriptor.kind));
		row(f, "Title", r->descriptor.title);
		row(f, "Reference", r->descriptor.reference);
		row(f, "Incident ID", r->descriptor.incident_id);
		row(f, "TLP marking", r->descriptor.tlp == ACCORD_TLP_UNKNOWN ? r->descriptor.tlp_text
									       : accord_tlp_label(r->descriptor.tlp));
		row(f, "Created", when(r->descriptor.created, t, sizeof t));
	} else {
		row(f, "Descriptor", "none (made by other software): no declared parties");
	}
	snprintf(buf, sizeof buf, "%zu given, %zu from the trust store, %zu from trusted lists",
		 r->n_given_anchors, r->n_store_anchors, r->n_tsl_anchors);
	row(f, "Trust anchors", buf);
	fputs("</dl>\n", f);
}

static void documents(const accord_report *r, FILE *f)
{
	char hex[65], size[32];

	fputs("<h2>Documents</h2>\n<table>\n<tr><th>Document</th><th>Signed?</th><th>Type and size</th>"
	      "<th>SHA-256</th></tr>\n", f);
	for (size_t d = 0; d < r->n_docs; d++) {
		const accord_doc_report *doc = &r->docs[d];
		accord_hex(doc->sha256, sizeof doc->sha256, hex);
		snprintf(size, sizeof size, "%llu bytes", (unsigned long long)doc->size);
		fputs("<tr><td>", f);
		esc(f, doc->name);
		if (doc->is_descriptor)
			fputs(" <small>(package descriptor)</small>", f);
		fprintf(f, "</td><td>%s</td><td>",
			doc->valid_signatures ? "<span class=\"yes\">signed</span>"
			: doc->unconfirmed_signatures ? "<span class=\"maybe\">signature not confirmed</span>"
						       : "<span class=\"no\">NOT SIGNED</span>");
		esc(f, doc->media_type ? doc->media_type : "");
		fprintf(f, "<br>%s</td><td class=\"digest\">%s</td></tr>\n", size, hex);
	}
	fputs("</table>\n", f);
}

static void parties(const accord_report *r, FILE *f)
{
	if (!r->n_parties)
		return;
	fprintf(f, "<h2>Parties</h2>\n<p>%u of %zu declared parties must sign; %u have.</p>\n<table>\n"
		"<tr><th>Party</th><th>Status</th><th>Signature</th></tr>\n",
		r->quorum, r->n_parties, r->parties_signed);
	for (size_t p = 0; p < r->n_parties; p++) {
		const accord_party_report *pr = &r->parties[p];
		fputs("<tr><td>", f);
		esc(f, pr->party.name);
		if (pr->has_signed) {
			fputs("</td><td><span class=\"yes\">signed</span></td><td>", f);
			esc(f, pr->signature_id);
		} else if (pr->unconfirmed_id[0]) {
			fputs("</td><td><span class=\"maybe\">signed, not confirmed</span></td><td>", f);
			esc(f, pr->unconfirmed_id);
			fputs(": ", f);
			esc(f, pr->unconfirmed_why);
		} else {
			fputs("</td><td><span class=\"no\">MISSING</span></td><td>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void warnings(const accord_report *r, FILE *f)
{
	if (!r->n_findings)
		return;
	fprintf(f, "<h2>Warnings (%zu)</h2>\n<p>%s</p>\n<ul>\n", r->n_findings,
		r->strict ? "Checked with --strict: each warning fails the package."
			  : "They do not change what is signed; they are shown so that nothing is hidden.");
	for (size_t i = 0; i < r->n_findings; i++) {
		fputs("<li><code>", f);
		esc(f, r->findings[i].where);
		fputs("</code>: ", f);
		esc(f, r->findings[i].message);
		fputs(" <small>(rule: ", f);
		esc(f, r->findings[i].rule);
		fputs(")</small></li>\n", f);
	}
	fputs("</ul>\n", f);
}

static void trusted_lists(const accord_report *r, FILE *f)
{
	char t[48], buf[700];

	if (!r->n_tsls)
		return;
	fputs("<h2>Trusted lists used</h2>\n<dl>\n", f);
	for (size_t i = 0; i < r->n_tsls; i++) {
		const accord_tsl_report *l = &r->tsls[i];
		snprintf(buf, sizeof buf, "%s (%s), sequence %lu, issued %s; signed by %s; %zu of %zu services used",
			 l->operator_name, l->territory, l->sequence, when(l->issued, t, sizeof t), l->signer,
			 l->n_used, l->n_services);
		row(f, l->file, buf);
	}
	fputs("</dl>\n", f);
}

void accord_report_write_html(const accord_report *r, FILE *f)
{
	char t[48];
	size_t n_main = 0;

	const char *label = r->has_descriptor ? accord_tlp_label(r->descriptor.tlp) : "";

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      /* Nothing may be fetched or run, even if escaping failed somewhere. */
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	      "<title>", f);
	if (label[0])
		fprintf(f, "%s ", label);
	fputs("Verification report: ", f);
	esc(f, r->has_descriptor && r->descriptor.title[0] ? r->descriptor.title : r->package);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	tlp_banner(r, f);
	fputs("<main>\n<h1>Verification report: ", f);
	esc(f, r->has_descriptor && r->descriptor.title[0] ? r->descriptor.title : r->package);
	fputs("</h1>\n", f);
	verdict(r, f);
	package(r, f);
	documents(r, f);
	fputs("<h2>Signatures</h2>\n", f);
	for (size_t i = 0; i < r->n_sigs; i++)
		if (r->sigs[i].master < 0) {
			signature(r, i, f);
			n_main++;
		}
	if (!n_main)
		fputs("<p class=\"problem\">No signature: nobody has signed this package.</p>\n", f);
	parties(r, f);
	warnings(r, f);
	trusted_lists(r, f);
	fputs("<footer>", f);
	if (label[0]) /* FIRST: the label in the header and the footer */
		fprintf(f, "<span class=\"tlp-foot\">%s</span> ", label);
	fprintf(f, "Checked offline by accord %s on %s.</footer>\n</main>\n</body>\n</html>\n",
		accord_version(), when(time(NULL), t, sizeof t));
}

int accord_report_save_html(const accord_report *r, const char *path, accord_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	accord_report_write_html(r, f);
	if (fclose(f) != 0 || !buf) {
		free(buf);
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	}
	rc = accord_file_write_atomic(path, buf, len, 0644, 0, err);
	free(buf);
	return rc;
}
