/* examples/verify.c — verify a package with the installed libaccord, nothing else:
 *
 *   cc verify.c $(pkg-config --cflags --libs accord) -o verify
 *   ./verify PACKAGE [TRUST.pem...]
 *
 * Prints the verdict ("valid", "invalid" or "incomplete"), then one line per signature
 * (Id, indication, sub-indication or "-", signer), and exits 0 (valid), 1 (invalid),
 * 2 (incomplete) or 3 (the package could not be read). The trust anchors are the files
 * or folders given; the user's trust store is not read. README's "The library" shows
 * this program; tests/cli/library.sh builds it against a staged `make install`. */
#include <stdio.h>
#include <accord.h>

int main(int argc, char **argv)
{
	static const char *verdict[] = {"valid", "invalid", "incomplete"};
	accord_verify_options opt = {.trust = (const char *const *)argv + 2,
				     .n_trust = argc > 2 ? (size_t)argc - 2 : 0, .no_trust_store = 1};
	accord_report *report = NULL;
	accord_error err;
	int rc = 3;

	if (argc < 2 || accord_init(&err) != ACCORD_OK)
		return 3;
	if (accord_verify(argv[1], &opt, &report, &err) != ACCORD_OK) {
		fprintf(stderr, "verify: %s: %s\n", err.where, err.why);
	} else {
		rc = (int)report->status; /* ACCORD_PACKAGE_VALID 0, _INVALID 1, _INCOMPLETE 2 */
		puts(verdict[rc]);
		for (size_t i = 0; i < report->n_sigs; i++) {
			const accord_sig_report *s = &report->sigs[i];
			printf("%s %s %s %s\n", s->id, accord_indication_name(s->indication),
			       s->subindication ? accord_subindication_name(s->subindication) : "-",
			       s->signer);
		}
		accord_report_free(report);
	}
	accord_deinit();
	return rc;
}
