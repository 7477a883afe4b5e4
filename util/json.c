/* util/json.c — JSON values for the machine-readable reports (see util/json.h). */
#include <ctype.h>
#include <string.h>
#include "util/internal.h"
#include "util/json.h"

void accord_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', f);
	while (*p) {
		size_t n = accord_utf8_length(p);
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else if (n == 0)
			fputs("\\ufffd", f);
		else
			fwrite(p, 1, n, f);
		p += n ? n : 1;
	}
	fputc('"', f);
}

static void key(FILE *f, const char *k)
{
	accord_json_string(f, k);
	fputc(':', f);
}

static void end(FILE *f, int comma)
{
	if (comma)
		fputc(',', f);
}

void accord_json_text(FILE *f, const char *k, const char *v, int comma)
{
	key(f, k);
	if (v && *v)
		accord_json_string(f, v);
	else
		fputs("null", f);
	end(f, comma);
}

void accord_json_time(FILE *f, const char *k, time_t t, int comma)
{
	struct tm tm;

	key(f, k);
	if (t && gmtime_r(&t, &tm)) {
		long long year = (long long)tm.tm_year + 1900;
		fprintf(f, "\"%s%04lld-%02d-%02dT%02d:%02d:%02dZ\"", year < 0 ? "-" : "",
			year < 0 ? -year : year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			tm.tm_sec);
	} else {
		fputs("null", f);
	}
	end(f, comma);
}

void accord_json_fingerprint(FILE *f, const char *k, const char *fp, int comma)
{
	char hex[129];
	size_t n = 0;

	for (const char *p = fp ? fp : ""; *p && n < sizeof hex - 1; p++)
		if (*p != ':' && *p != ' ')
			hex[n++] = (char)tolower((unsigned char)*p);
	hex[n] = '\0';
	accord_json_text(f, k, hex, comma);
}

void accord_json_bool(FILE *f, const char *k, int v, int comma)
{
	key(f, k);
	fputs(v ? "true" : "false", f);
	end(f, comma);
}

void accord_json_uint(FILE *f, const char *k, unsigned long long v, int comma)
{
	key(f, k);
	fprintf(f, "%llu", v);
	end(f, comma);
}

void accord_json_descriptor(FILE *f, const accord_descriptor *d)
{
	key(f, "descriptor");
	if (!d) {
		fputs("null,", f);
		return;
	}
	fputc('{', f);
	accord_json_text(f, "kind", accord_kind_name(d->kind), 1);
	accord_json_text(f, "title", d->title, 1);
	accord_json_text(f, "reference", d->reference, 1);
	accord_json_text(f, "incident_id", d->incident_id, 1);
	/* a TLP 2.0 value as pack writes it, or an unknown one as the descriptor has it */
	accord_json_text(f, "tlp", d->tlp == ACCORD_TLP_UNKNOWN ? d->tlp_text : accord_tlp_name(d->tlp), 1);
	accord_json_time(f, "created", d->created, 0);
	fputs("},", f);
}

void accord_json_finding(FILE *f, const char *rule, const char *where, const char *message)
{
	fputc('{', f);
	accord_json_text(f, "rule", rule, 1);
	accord_json_text(f, "where", where, 1);
	accord_json_text(f, "message", message, 0);
	fputc('}', f);
}

void accord_json_write_error(FILE *f, const char *format, const char *package,
			     const accord_error *err, int exit_code)
{
	fputc('{', f);
	accord_json_text(f, "format", format, 1);
	accord_json_text(f, "package", package, 1);
	accord_json_text(f, "status", "error", 1);
	fprintf(f, "\"exit_code\":%d,\"error\":{", exit_code);
	accord_json_text(f, "kind", accord_strerror(err->code), 1);
	accord_json_text(f, "where", err->where, 1);
	accord_json_text(f, "message", err->why[0] ? err->why : accord_strerror(err->code), 0);
	fputs("}}\n", f);
}
