/* formats/stix.c — a STIX 2.1 bundle (OASIS STIX Version 2.1) checked before packing:
 * well-formed JSON without duplicate keys (jansson), a bundle, and on every object of it
 * the common properties type, id and spec_version. */
#include <string.h>
#include <jansson.h>
#include "formats/incident.h"

/* Cyber-observable objects (STIX 2.1 section 6): spec_version is optional on them. */
static int is_observable(const char *type)
{
	static const char *const sco[] = {
		"artifact", "autonomous-system", "directory", "domain-name", "email-addr",
		"email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
		"network-traffic", "process", "software", "url", "user-account",
		"windows-registry-key", "x509-certificate",
	};

	for (size_t i = 0; i < sizeof sco / sizeof sco[0]; i++)
		if (!strcmp(type, sco[i]))
			return 1;
	return 0;
}

/* A type name: 3 to 250 of a-z, 0-9 and '-' (STIX 2.1, "type" common property). */
static int type_ok(const char *t)
{
	size_t n = strlen(t);

	if (n < 3 || n > 250)
		return 0;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

/* An identifier: "<type>--<UUID>", the UUID as 8-4-4-4-12 hex digits. */
static int id_ok(const char *id, const char *type)
{
	size_t tl = strlen(type);
	const char *u = id + tl + 2;

	if (strncmp(id, type, tl) || strncmp(id + tl, "--", 2) || strlen(u) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? u[i] != '-' : !strchr("0123456789abcdefABCDEF", u[i]))
			return 0;
	}
	return 1;
}

static const char *text(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* One object of the bundle (its index i, or -1 for the bundle itself). */
static int check_object(const json_t *o, long i, const char *where, accord_error *err)
{
	const char *type = text(o, "type"), *id = text(o, "id"), *ver = text(o, "spec_version");
	char what[400];

	if (i < 0)
		snprintf(what, sizeof what, "the bundle");
	else
		snprintf(what, sizeof what, "objects[%ld]%s%.300s%s", i, id ? " (" : "", id ? id : "", id ? ")" : "");
	if (!json_is_object(o))
		return accord_err(err, ACCORD_ERR_FORMAT, where, "%s is not a JSON object (STIX 2.1: a bundle holds objects)", what);
	if (!type)
		return accord_err(err, ACCORD_ERR_FORMAT, where, "%s has no \"type\" string (STIX 2.1 common property type: required)", what);
	if (!type_ok(type))
		return accord_err(err, ACCORD_ERR_FORMAT, where,
				  "%s: type \"%.100s\" is not 3 to 250 of a-z, 0-9 and '-' (STIX 2.1 common property type)", what, type);
	if (i < 0 && strcmp(type, "bundle"))
		return accord_err(err, ACCORD_ERR_FORMAT, where,
				  "the top-level object is of type \"%.100s\", not \"bundle\" (STIX 2.1 reports are exchanged as bundles)", type);
	if (i >= 0 && !strcmp(type, "bundle"))
		return accord_err(err, ACCORD_ERR_FORMAT, where, "%s: a bundle inside a bundle (STIX 2.1 Bundle: objects are not bundles)", what);
	if (!id)
		return accord_err(err, ACCORD_ERR_FORMAT, where, "%s has no \"id\" string (STIX 2.1 common property id: required)", what);
	if (!id_ok(id, type))
		return accord_err(err, ACCORD_ERR_FORMAT, where,
				  "%s: id is not \"%.100s--\" followed by a UUID (STIX 2.1 identifier)", what, type);
	if (i < 0) {
		/* STIX 2.0 bundles said spec_version; 2.1 bundles do not. */
		if (json_object_get(o, "spec_version"))
			return accord_err(err, ACCORD_ERR_FORMAT, where,
					  "the bundle has a \"spec_version\": a STIX 2.0 bundle (accord accepts STIX 2.1, whose bundles have none)");
		return ACCORD_OK;
	}
	if (!ver && json_object_get(o, "spec_version"))
		return accord_err(err, ACCORD_ERR_FORMAT, where, "%s: spec_version is not a string (STIX 2.1 common property spec_version)", what);
	if (!ver && !is_observable(type))
		return accord_err(err, ACCORD_ERR_FORMAT, where,
				  "%s has no \"spec_version\" (STIX 2.1 common property spec_version: required on every object but cyber-observables)", what);
	if (ver && strcmp(ver, "2.1"))
		return accord_err(err, ACCORD_ERR_FORMAT, where,
				  "%s: spec_version is \"%.20s\", not \"2.1\" (STIX 2.1 common property spec_version)", what, ver);
	return ACCORD_OK;
}

int accord_stix_is_bundle(const unsigned char *buf, size_t len)
{
	json_t *root = json_loadb((const char *)buf, len, JSON_DECODE_INT_AS_REAL, NULL);
	const char *type = root ? text(root, "type") : NULL;
	int yes = type && !strcmp(type, "bundle");

	if (!root)
		return -1;
	json_decref(root);
	return yes;
}

int accord_stix_validate(const unsigned char *buf, size_t len, const char *where, accord_error *err)
{
	json_error_t je;
	json_t *root, *objects;
	int rc;

	/* Two values for one key would let two readers see two reports: refused. */
	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &je);
	if (!root)
		return accord_err(err, ACCORD_ERR_FORMAT, where, "line %d, column %d: not valid JSON: %s (RFC 8259; STIX 2.1 is JSON)",
				  je.line, je.column, je.text);
	rc = check_object(root, -1, where, err);
	objects = json_object_get(root, "objects");
	if (rc == ACCORD_OK && objects && !json_is_array(objects))
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "the bundle's \"objects\" is not a list (STIX 2.1 Bundle)");
	for (size_t i = 0; rc == ACCORD_OK && i < json_array_size(objects); i++)
		rc = check_object(json_array_get(objects, i), (long)i, where, err);
	json_decref(root);
	return rc;
}
