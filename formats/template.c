/* formats/template.c — `accord new`: starting documents to fill in, one per package kind:
 * a draft agreement (plain text) and an IODEF v2 incident report (RFC 7970) that already
 * carries what `accord pack --kind incident-report` checks, stamped with the time it was
 * made. Bytes only. */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "accord/container.h"
#include "util/internal.h"

static const char agreement[] =
	"DRAFT AGREEMENT\n"
	"Replace every [bracketed] part, then pack this file with the parties' certificates:\n"
	"  accord pack -o agreement.asice --kind agreement --title \"...\" --ref \"...\" \\\n"
	"              --party A.crt --party B.crt THIS-FILE\n"
	"\n"
	"Title:     [Agreement on the exchange of incident information]\n"
	"Reference: [2026/...]\n"
	"Drafted:   %s\n"
	"\n"
	"Between\n"
	"  1. [Organisation A, country], represented by [name, role], and\n"
	"  2. [Organisation B, country], represented by [name, role],\n"
	"hereafter \"the parties\".\n"
	"\n"
	"Article 1 - Purpose\n"
	"  [What the parties agree to do together.]\n"
	"\n"
	"Article 2 - Information exchanged\n"
	"  [Which information, in which format (for example IODEF, RFC 7970, or STIX 2.1),\n"
	"  through which channel, and how often.]\n"
	"\n"
	"Article 3 - Handling and confidentiality\n"
	"  [Traffic Light Protocol markings honoured, who may receive what, retention.]\n"
	"\n"
	"Article 4 - Points of contact\n"
	"  [Names, roles, e-mail addresses, telephone numbers, hours.]\n"
	"\n"
	"Article 5 - Duration and termination\n"
	"  [Start, duration, notice period.]\n"
	"\n"
	"Article 6 - Signatures\n"
	"  The parties sign this agreement with advanced electronic signatures (XAdES,\n"
	"  ETSI EN 319 132) in one ASiC-E package; it takes effect when every party\n"
	"  named above has signed (accord verify says VALID and COMPLETE).\n";

static const char incident_report[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!-- An incident report to fill in: IODEF v2 (RFC 7970). Replace every [bracketed]\n"
	"     part; keep what RFC 7970 requires (accord pack checks it): version 2.00, the\n"
	"     Incident's purpose, the IncidentID and its name, GenerationTime, a Contact with\n"
	"     role and type. Then pack it into a package of kind incident-report, giving\n"
	"     accord pack its TLP 2.0 marking (option tlp: clear, green, amber, amber+strict\n"
	"     or red). Marking: [TLP:AMBER]. Its IncidentID becomes the package's incident\n"
	"     ID; the restriction attribute below is IODEF's own, which pack does not copy. -->\n"
	"<IODEF-Document version=\"2.00\" xml:lang=\"en\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n"
	"  <!-- purpose: traceback, mitigation, reporting, watch or other -->\n"
	"  <Incident purpose=\"reporting\" restriction=\"amber\">\n"
	"    <!-- name: the domain of the CSIRT that numbers its incidents this way -->\n"
	"    <IncidentID name=\"[csirt.example.org]\">[INCIDENT-NUMBER]</IncidentID>\n"
	"    <DetectTime>%s</DetectTime>\n"
	"    <GenerationTime>%s</GenerationTime>\n"
	"    <Description>[What happened, in a few sentences.]</Description>\n"
	"    <Assessment occurrence=\"actual\">\n"
	"      <SystemImpact severity=\"medium\" type=\"unknown\"/>\n"
	"    </Assessment>\n"
	"    <!-- role: creator, reporter, admin, tech, irt, victim, ...; type: person or organization -->\n"
	"    <Contact role=\"creator\" type=\"organization\">\n"
	"      <ContactName>[Your CSIRT]</ContactName>\n"
	"      <Email><EmailTo>[csirt@example.org]</EmailTo></Email>\n"
	"    </Contact>\n"
	"  </Incident>\n"
	"</IODEF-Document>\n";

int accord_template_write(accord_kind kind, const char *path, int force, accord_error *err)
{
	char now[40], *buf = NULL;
	int len, rc;

	if (!path)
		return accord_err(err, ACCORD_ERR_USAGE, "new", "no output file");
	accord_time_format(time(NULL), now, sizeof now);
	switch (kind) {
	case ACCORD_KIND_AGREEMENT:
		len = asprintf(&buf, agreement, now);
		break;
	case ACCORD_KIND_INCIDENT_REPORT:
		len = asprintf(&buf, incident_report, now, now);
		break;
	default:
		return accord_err(err, ACCORD_ERR_USAGE, path, "no template for this kind");
	}
	if (len < 0)
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	rc = accord_file_write_atomic(path, buf, (size_t)len, 0644, !force, err);
	free(buf);
	return rc;
}
