/* tests/fuzz/fuzz_xml.c — libFuzzer target: the safe XML reader every outside XML goes
 * through (DOCTYPE refused, no entities, depth and node limits), then the tree helpers
 * and every C14N method over the whole document (as verification may be asked to). */
#include "tests/fuzz/fuzz.h"
#include <libxml/xmlmemory.h>
#include "formats/xml_safe.h"
#include "formats/c14n.h"

FUZZ_INIT_ACCORD_ONLY

static const char *const methods[] = {
	ACCORD_C14N_10, ACCORD_C14N_10_COMMENTS, ACCORD_C14N_11,
	ACCORD_C14N_11_COMMENTS, ACCORD_C14N_EXC, ACCORD_C14N_EXC_COMMENTS,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, e;
	accord_error err;
	size_t sum = 0;

	memset(&err, 0, sizeof err);
	if (accord_xml_parse(data, size, "fuzz", &doc, &err) != ACCORD_OK)
		return 0;
	root = xmlDocGetRootElement(doc);
	if (root) {
		/* The last input byte picks the method, so the corpus covers all six
		 * without six times the work per input. */
		const char *m = methods[(size ? data[size - 1] : 0) % 6];
		unsigned char *out = NULL;
		size_t len = 0;
		if (accord_c14n_node(root, m, size > 1 && (data[size - 2] & 1) ? "ds xades #default" : NULL,
				     &out, &len, &err) == ACCORD_OK)
			xmlFree(out);
		for (e = accord_xml_first_element(root); e; e = accord_xml_next_element(e)) {
			char *t = accord_xml_text(e);
			if (t) {
				sum += strlen(t);
				xmlFree(t);
			}
			sum += accord_xml_is(e, "http://www.w3.org/2000/09/xmldsig#", "Signature");
		}
	}
	xmlFreeDoc(doc);
	fuzz_sink += sum;
	return 0;
}
