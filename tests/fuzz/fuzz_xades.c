/* tests/fuzz/fuzz_xades.c — libFuzzer target: the strict XAdES parser of
 * META-INF/signatures*.xml and, on what it accepts, the canonicalisation that
 * verification runs (SignedInfo, SignedProperties, every countersignature). */
#include "tests/fuzz/fuzz.h"
#include <libxml/xmlmemory.h>
#include "formats/xades.h"
#include "formats/c14n.h"

FUZZ_INIT_ACCORD_ONLY

static size_t c14n(xmlNodePtr node, const char *uri, const char *prefixes)
{
	unsigned char *out = NULL;
	size_t len = 0;
	accord_error err;

	if (!node)
		return 0;
	memset(&err, 0, sizeof err);
	if (accord_c14n_node(node, uri, prefixes, &out, &len, &err) != ACCORD_OK)
		return 0;
	xmlFree(out);
	return len;
}

static size_t walk(const accord_xsig *s, int depth)
{
	size_t sum = 0;

	if (depth > 16)
		return 0;
	/* As verify/signature.c does: SignedInfo with the signature's own method, the
	 * SignedProperties with the transform of the reference that covers them (as
	 * written, possibly none), and the countersigned SignatureValue likewise. */
	sum += c14n(s->signed_info, s->c14n_uri, s->c14n_prefixes);
	for (size_t i = 0; i < s->n_refs; i++) {
		if (s->refs[i].is_signed_props)
			sum += c14n(s->signed_props, s->refs[i].transform,
				    s->refs[i].transform_prefixes);
		if (s->refs[i].is_countersigned && s->master)
			sum += c14n(s->master->sig_value_node, s->refs[i].transform,
				    s->refs[i].transform_prefixes);
	}
	if (s->sig_value_node)
		sum += c14n(s->sig_value_node, ACCORD_C14N_EXC, NULL);
	/* Signature timestamps cover the SignatureValue with their own method. */
	for (size_t i = 0; i < s->n_ts; i++)
		if (s->sig_value_node && s->ts_c14n && s->ts_c14n[i])
			sum += c14n(s->sig_value_node, s->ts_c14n[i], NULL);
	for (size_t i = 0; i < s->n_counters; i++)
		sum += walk(&s->counters[i], depth + 1);
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	accord_xsig_file f;
	accord_error err;
	size_t sum = 0;

	memset(&err, 0, sizeof err);
	memset(&f, 0, sizeof f);
	if (accord_xades_parse(data, size, "fuzz", &f, &err) == ACCORD_OK) {
		for (size_t i = 0; i < f.n_sigs; i++)
			sum += walk(&f.sigs[i], 0);
	}
	accord_xades_file_clear(&f);
	fuzz_sink += sum;
	return 0;
}
