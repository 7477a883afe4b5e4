/* cli/main.c — `accord VERB ...`: finds the verb in the table and runs it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"

static const struct verb {
	const char *name;
	cli_verb_fn fn;
	const char *summary;
} verbs[] = {
	{"keys", cmd_keys, "generate keys and certificates, run a small CA, manage the trust store"},
	{"pack", cmd_pack, "put documents and a package descriptor into an ASiC-E container"},
	{"list", cmd_list, "show the documents of a package and who signed them"},
	{"extract", cmd_extract, "write the documents of a package into a folder, safely"},
	{"sign", cmd_sign, "add a XAdES signature to a package"},
	{"countersign", cmd_countersign, "endorse one existing signature with a countersignature"},
	{"remove", cmd_remove, "take one signature out of a package"},
	{"verify", cmd_verify, "check a package offline: signatures, certificates, parties"},
	{"timestamp", cmd_timestamp, "request and attach RFC 3161 timestamps (air-gapped hand-over)"},
	{"extend", cmd_extend, "add long-term validation data (LT) or an archive timestamp (LTA)"},
	{"tsa", cmd_tsa, "run an RFC 3161 timestamp authority (files or HTTP)"},
	{"tsl", cmd_tsl, "make a trusted list (ETSI TS 119 612) of a CA, TSA and OCSP responder"},
	{"ocsp", cmd_ocsp, "run an RFC 6960 OCSP responder for an accord CA (files or HTTP)"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: accord VERB [OPTIONS] [ARGS]\n\nVerbs:\n");
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		fprintf(f, "  %-12s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(f, "\n`accord VERB --help` describes each verb.\n\n"
		   "Exit codes: 0 success (verify: valid and complete), 1 invalid or refused input,\n"
		   "2 incomplete or indeterminate (verify), 3 usage or I/O error.\n"
		   "Passphrases come from --passphrase-file, the ACCORD_PASSPHRASE environment\n"
		   "variable, or the terminal; never from the command line.\n");
}

int main(int argc, char **argv)
{
	accord_error err;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	/* `accord help VERB [SUBVERB]` is `accord VERB [SUBVERB] --help`. */
	if (!strcmp(argv[1], "help") && argc >= 3 && argc <= 4) {
		char *again[5] = {argv[0], argv[2], argc == 4 ? argv[3] : (char *)"--help",
				  argc == 4 ? (char *)"--help" : NULL, NULL};
		return main(argc, again);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_VALID;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("accord %s\n", accord_version());
		return EXIT_VALID;
	}
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		if (strcmp(argv[1], verbs[i].name) != 0)
			continue;
		accord_error_clear(&err);
		if (accord_init(&err) != ACCORD_OK)
			return cli_fail(&err);
		/* Progress of long work on a terminal only (-q turns it off): never into what
		 * scripts and tests capture. */
		accord_progress_enable(isatty(STDERR_FILENO));
		rc = verbs[i].fn(argc - 1, argv + 1);
		accord_deinit();
		return rc;
	}
	fprintf(stderr, "accord: unknown verb '%s' (see accord --help)\n", argv[1]);
	return EXIT_TROUBLE;
}
