/* util/json.h — the JSON writing shared by `accord verify --json` and `accord list --json`:
 * strings always valid UTF-8, absent values null (never ""), one fingerprint form. */
#ifndef ACCORD_UTIL_JSON_H
#define ACCORD_UTIL_JSON_H
#ifndef ACCORD_INTERNAL
#error "util/json.h is private to accord"
#endif

#include <stdio.h>
#include <time.h>
#include "accord/container.h"
#include "accord/error.h"

/* The "format" of each document; docs/<format with / as ->.schema.json describes it. */
#define ACCORD_JSON_VERIFY_FORMAT "accord-verify/1"
#define ACCORD_JSON_LIST_FORMAT "accord-list/1"

/* A JSON string; bytes that are not UTF-8 become U+FFFD, so hostile names stay parseable. */
void accord_json_string(FILE *f, const char *s);
/* "key": then the value, and a comma after it when comma is set. A NULL or empty text is
 * null; a time of 0 is null, else "YYYY-MM-DDTHH:MM:SSZ"; a fingerprint is written as
 * lower-case hex without separators (null when empty), whatever form it came in. */
void accord_json_text(FILE *f, const char *key, const char *value, int comma);
void accord_json_time(FILE *f, const char *key, time_t t, int comma);
void accord_json_fingerprint(FILE *f, const char *key, const char *fp, int comma);
void accord_json_bool(FILE *f, const char *key, int value, int comma);
void accord_json_uint(FILE *f, const char *key, unsigned long long value, int comma);
/* "descriptor": {"kind", "title", "reference", "incident_id", "tlp", "created"} or null
 * (d NULL), and a comma. */
void accord_json_descriptor(FILE *f, const accord_descriptor *d);
/* {"rule", "where", "message"}: a warning, in verify's findings and list's alike. */
void accord_json_finding(FILE *f, const char *rule, const char *where, const char *message);
/* The whole document for a package that could not be read at all:
 * {"format", "package", "status": "error", "exit_code", "error": {"kind", "where", "message"}}. */
void accord_json_write_error(FILE *f, const char *format, const char *package,
			     const accord_error *err, int exit_code);

#endif
