/* tests/fuzz/fuzz_tsl.c — libFuzzer target: the trusted list reader (ETSI TS 119 612:
 * the safe XML reader, the scheme, services and status history under limits, the shape
 * of the enveloped signature), then the canonicalisation verification runs on each
 * reference (the list less its signature, the signed properties) and on SignedInfo. */
#include "tests/fuzz/fuzz.h"
#include <libxml/xmlmemory.h>
#include "formats/tsl.h"
#include "formats/c14n.h"

FUZZ_INIT_ACCORD_ONLY

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	accord_tsl t;
	accord_error err;
	unsigned char *out = NULL;
	size_t len = 0, sum = 0;

	memset(&err, 0, sizeof err);
	if (accord_tsl_parse(data, size, "fuzz", &t, &err) != ACCORD_OK) {
		accord_tsl_clear(&t);
		return 0;
	}
	for (size_t i = 0; i < t.n_refs; i++)
		if (accord_c14n_node_without(t.refs[i].target, t.refs[i].enveloped ? t.signature : NULL,
					     t.refs[i].c14n, t.refs[i].prefixes, &out, &len, &err) == ACCORD_OK) {
			sum += len;
			xmlFree(out);
			out = NULL;
		}
	if (accord_c14n_node(t.signed_info, t.c14n_uri, t.c14n_prefixes, &out, &len, &err) == ACCORD_OK) {
		sum += len;
		xmlFree(out);
	}
	/* every service was read whole: certificates, statuses in bounds */
	for (size_t i = 0; i < t.n_services; i++) {
		if (t.services[i].n_statuses < 1 || t.services[i].n_statuses > ACCORD_TSL_MAX_HISTORY + 1 ||
		    t.services[i].n_certs + t.services[i].n_other_ids > ACCORD_TSL_MAX_IDS)
			abort();
		for (size_t k = 0; k < t.services[i].n_certs; k++)
			sum += t.services[i].cert_lens[k];
	}
	if (t.n_services > ACCORD_TSL_MAX_SERVICES || !t.n_refs || t.n_refs > 2 || !t.refs[0].enveloped)
		abort();
	accord_tsl_clear(&t);
	fuzz_sink = sum;
	return 0;
}
