/* tests/fuzz/fuzz_manifest.c — libFuzzer target: META-INF/manifest.xml parsing, and
 * writing back what was accepted (it must serialise and parse again identically). */
#include "tests/fuzz/fuzz.h"
#include "formats/container.h"

FUZZ_INIT_ACCORD_ONLY

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	accord_manifest_item *items = NULL, *again = NULL;
	size_t n = 0, n2 = 0, len = 0;
	unsigned char *xml = NULL;
	accord_error err;

	memset(&err, 0, sizeof err);
	if (accord_manifest_parse(data, size, &items, &n, &err) != ACCORD_OK)
		return 0;
	/* Round trip: what the reader accepted, the writer must write and the reader
	 * accept again with the same entries. */
	if (accord_manifest_to_xml(items, n, &xml, &len, &err) == ACCORD_OK) {
		if (accord_manifest_parse(xml, len, &again, &n2, &err) != ACCORD_OK) {
			fprintf(stderr, "manifest round trip refused: %s: %s\n", err.where, err.why);
			abort();
		}
		if (n2 != n)
			abort();
		for (size_t i = 0; i < n; i++)
			if (strcmp(items[i].path, again[i].path) ||
			    strcmp(items[i].media_type, again[i].media_type))
				abort();
		accord_manifest_free(again, n2);
		free(xml);
	}
	accord_manifest_free(items, n);
	return 0;
}
