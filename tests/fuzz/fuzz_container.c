/* tests/fuzz/fuzz_container.c — libFuzzer target: reading a container (ZIP structure,
 * ASiC-E rules, manifest, descriptor) and listing its signatures, as `accord list` and
 * `accord verify` do (tolerant opening, with its notes) and as the writers do (strict). */
#include "tests/fuzz/fuzz.h"

FUZZ_INIT_ACCORD_ONLY

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	accord_limits lim;
	accord_container *c = NULL;
	accord_signature_info *info = NULL;
	accord_error err;
	size_t n = 0, sum = 0;
	const char *path = fuzz_write_file(data, size, ".asice");

	memset(&err, 0, sizeof err);
	/* The default limits, with the sizes lowered so that a bomb costs milliseconds,
	 * not seconds: the checks are the same code either way. */
	accord_limits_default(&lim);
	lim.max_entry_size = 8u << 20;
	lim.max_total_size = 32u << 20;
	for (int tolerant = 0; tolerant < 2; tolerant++) {
		int rc = tolerant ? accord_container_open_tolerant(path, &lim, &c, &err)
				  : accord_container_open(path, &lim, &c, &err);
		if (rc != ACCORD_OK)
			continue;
		for (size_t i = 0; i < accord_container_note_count(c); i++)
			sum += strlen(accord_container_note_get(c, i)->message);
		for (size_t i = 0; i < accord_container_document_count(c); i++) {
			const accord_document *d = accord_container_document(c, i);
			sum += strlen(d->name) + strlen(d->media_type) + d->sha256[0];
		}
		if (accord_container_descriptor(c))
			sum += accord_container_descriptor(c)->n_parties;
		for (size_t i = 0; i < accord_container_signature_file_count(c); i++)
			sum += strlen(accord_container_signature_file_name(c, i));
		if (accord_container_signatures(c, &info, &n, &err) == ACCORD_OK) {
			for (size_t i = 0; i < n; i++)
				sum += strlen(info[i].id) + strlen(info[i].signer) + strlen(info[i].error);
			free(info);
			info = NULL;
		}
		accord_container_free(c);
		c = NULL;
	}
	fuzz_sink += sum;
	return 0;
}
