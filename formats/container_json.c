/* formats/container_json.c — `accord list --json`: a container's descriptor, documents,
 * signature files and layout warnings as one JSON object (docs/accord-list-1.schema.json),
 * and the JSON object of a package that could not be read (for list and verify). */
#include <stdio.h>
#include "util/internal.h"
#include "util/json.h"
#include "accord/container.h"

static void json_party(FILE *f, const accord_party *p)
{
	fputc('{', f);
	accord_json_text(f, "name", p->name, 1);
	accord_json_fingerprint(f, "fingerprint", p->fingerprint, 1);
	accord_json_fingerprint(f, "ca_fingerprint", p->ca_fingerprint, 0);
	fputc('}', f);
}

static void json_document(FILE *f, const accord_document *doc)
{
	char hex[65];

	accord_hex(doc->sha256, sizeof doc->sha256, hex);
	fputc('{', f);
	accord_json_text(f, "name", doc->name, 1);
	accord_json_uint(f, "size", doc->size, 1);
	accord_json_text(f, "media_type", doc->media_type, 1);
	accord_json_fingerprint(f, "sha256", hex, 1);
	accord_json_bool(f, "descriptor", doc->is_descriptor, 0);
	fputc('}', f);
}

static void json_signature(FILE *f, const accord_signature_info *s)
{
	fputc('{', f);
	accord_json_text(f, "id", s->id, 1);
	accord_json_text(f, "file", s->file, 1);
	accord_json_text(f, "countersigns", s->master_id, 1);
	accord_json_text(f, "signer", s->signer, 1);
	accord_json_time(f, "claimed_time", s->signing_time, 1);
	accord_json_uint(f, "documents_covered", s->n_covered, 1);
	accord_json_text(f, "error", s->error, 0);
	fputc('}', f);
}

void accord_container_write_json(const accord_container *c, const char *package,
				 const accord_signature_info *sigs, size_t ns, FILE *f)
{
	const accord_descriptor *d = accord_container_descriptor(c);
	size_t n_parties = d ? d->n_parties : 0;

	fputc('{', f);
	accord_json_text(f, "format", ACCORD_JSON_LIST_FORMAT, 1);
	accord_json_text(f, "package", package, 1);
	accord_json_text(f, "status", "ok", 1);
	accord_json_uint(f, "exit_code", 0, 1);
	accord_json_descriptor(f, d);
	fputs("\"parties\":[", f);
	for (size_t i = 0; i < n_parties; i++) {
		if (i)
			fputc(',', f);
		json_party(f, &d->parties[i]);
	}
	fputs("],", f);
	accord_json_uint(f, "quorum", d && d->quorum ? d->quorum : n_parties, 1);
	fputs("\"documents\":[", f);
	for (size_t i = 0; i < accord_container_document_count(c); i++) {
		if (i)
			fputc(',', f);
		json_document(f, accord_container_document(c, i));
	}
	fputs("],\"signatures\":[", f);
	for (size_t i = 0; i < ns; i++) {
		if (i)
			fputc(',', f);
		json_signature(f, &sigs[i]);
	}
	fputs("],", f);
	accord_json_uint(f, "warnings", accord_container_note_count(c), 1);
	fputs("\"findings\":[", f);
	for (size_t i = 0; i < accord_container_note_count(c); i++) {
		const accord_container_note *note = accord_container_note_get(c, i);
		if (i)
			fputc(',', f);
		accord_json_finding(f, note->rule, note->where, note->message);
	}
	fputs("]}\n", f);
}

void accord_error_write_json(accord_json_doc doc, const char *package, const accord_error *err,
			     int exit_code, FILE *f)
{
	accord_json_write_error(f, doc == ACCORD_JSON_LIST ? ACCORD_JSON_LIST_FORMAT
							   : ACCORD_JSON_VERIFY_FORMAT,
				package, err, exit_code);
}
