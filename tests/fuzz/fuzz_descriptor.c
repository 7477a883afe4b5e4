/* tests/fuzz/fuzz_descriptor.c — libFuzzer target: parsing the package descriptor
 * (accord-package.xml), and writing back what was accepted. */
#include "tests/fuzz/fuzz.h"
#include "formats/container.h"

FUZZ_INIT_ACCORD_ONLY

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	accord_descriptor d, d2;
	unsigned char *xml = NULL;
	size_t len = 0;
	accord_error err;

	memset(&err, 0, sizeof err);
	memset(&d, 0, sizeof d);
	memset(&d2, 0, sizeof d2);
	if (accord_descriptor_parse(data, size, "fuzz", &d, &err) != ACCORD_OK) {
		accord_descriptor_clear(&d);
		return 0;
	}
	/* Round trip: an accepted descriptor must serialise and parse again to the
	 * same parties. */
	if (accord_descriptor_to_xml(&d, &xml, &len, &err) == ACCORD_OK) {
		if (accord_descriptor_parse(xml, len, "fuzz-again", &d2, &err) != ACCORD_OK) {
			fprintf(stderr, "descriptor round trip refused: %s: %s\n", err.where, err.why);
			abort();
		}
		/* The writer spells out a quorum of 0 ("all") as the number of parties. */
		unsigned q = d.quorum ? d.quorum : (unsigned)d.n_parties;
		unsigned q2 = d2.quorum ? d2.quorum : (unsigned)d2.n_parties;
		if (d2.n_parties != d.n_parties || d2.kind != d.kind || q2 != q ||
		    strcmp(d2.title, d.title) || strcmp(d2.reference, d.reference) ||
		    strcmp(d2.incident_id, d.incident_id) || d2.tlp != d.tlp)
			abort();
		for (size_t i = 0; i < d.n_parties; i++)
			if (strcmp(d.parties[i].name, d2.parties[i].name) ||
			    strcmp(d.parties[i].fingerprint, d2.parties[i].fingerprint) ||
			    strcmp(d.parties[i].ca_fingerprint, d2.parties[i].ca_fingerprint))
				abort();
		accord_descriptor_clear(&d2);
		free(xml);
	}
	accord_descriptor_clear(&d);
	return 0;
}
