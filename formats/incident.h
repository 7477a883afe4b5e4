/* formats/incident.h — incident reports inside a package: IODEF v2 (RFC 7970) and STIX 2.1
 * bundles recognised by their bytes, their media types, and the checks `accord pack
 * --kind incident-report` makes before packing them. Bytes only: no trust decisions. */
#ifndef ACCORD_FORMATS_INCIDENT_H
#define ACCORD_FORMATS_INCIDENT_H
#include "util/internal.h"

typedef enum {
	ACCORD_INCIDENT_NONE = 0, /* not an incident report: packed like any document */
	ACCORD_INCIDENT_IODEF,    /* XML whose root element is IODEF-Document */
	ACCORD_INCIDENT_STIX      /* a JSON object of "type": "bundle" */
} accord_incident_format;

/* IODEF has no registered media type (RFC 7970 registers its XML namespace and schema
 * only): the +xml form CSIRT tools use. STIX's is registered by OASIS with its version. */
#define ACCORD_IODEF_MEDIA_TYPE "application/iodef+xml"
#define ACCORD_STIX_MEDIA_TYPE "application/stix+json;version=2.1"
#define ACCORD_IODEF_NS "urn:ietf:params:xml:ns:iodef-2.0"

/* What the first bytes of a file (up to 64 KiB of it) say it is. */
accord_incident_format accord_incident_sniff(const unsigned char *head, size_t len);

/* The incident IDs (IODEF IncidentID) of the reports packed, for the descriptor: the
 * first met and the first that differs from it ("" when none). */
typedef struct accord_incident_ids {
	char first[256];
	char other[256];
} accord_incident_ids;

/* Check a whole report; where names it in errors. ACCORD_ERR_FORMAT says the line (IODEF)
 * or the object (STIX) and the rule broken. When ids is not NULL, the IncidentID of each
 * Incident of a valid IODEF report goes into it (white space around it trimmed; one longer
 * than 255 bytes or holding a control character is refused: then --incident-id gives it). */
int accord_iodef_validate(const unsigned char *buf, size_t len, const char *where,
			  accord_incident_ids *ids, accord_error *err) ACCORD_WUR;
int accord_stix_validate(const unsigned char *buf, size_t len, const char *where,
			 accord_error *err) ACCORD_WUR;

/* Whether a whole JSON text is an object of "type": "bundle": 1 yes, 0 no, -1 not JSON. */
int accord_stix_is_bundle(const unsigned char *buf, size_t len);

/* A file about to be packed: *media_type is the report's media type (NULL when the file is
 * not a report); when validate is set, a report that breaks a rule is refused, and the
 * IncidentIDs of a valid IODEF report go into ids (when not NULL). */
int accord_incident_file_check(const char *path, int validate, const char **media_type,
			       accord_incident_ids *ids, accord_error *err) ACCORD_WUR;

#endif
