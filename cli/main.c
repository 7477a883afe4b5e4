/* cli/main.c — `accord VERB ...`: finds the verb in the table and runs it. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static const struct verb {
	const char *name;
	cli_verb_fn fn;
	const char *summary;
} verbs[] = {
	{"keys", cmd_keys, "generate keys and certificates, run a small CA, manage the trust store"},
	{"new", cmd_new, "write a starting agreement or incident report (IODEF) to fill in"},
	{"pack", cmd_pack, "put documents and a package descriptor into an ASiC-E container"},
	{"add", cmd_add, "add documents to a package nobody has signed yet"},
	{"list", cmd_list, "show the documents of a package and who signed them"},
	{"extract", cmd_extract, "write the documents of a package into a folder, safely"},
	{"sign", cmd_sign, "add a XAdES signature to a package"},
	{"countersign", cmd_countersign, "endorse one existing signature with a countersignature"},
	{"remove", cmd_remove, "take a signature, or a document nobody signed yet, out of a package"},
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
		   "-o/--out names where a verb puts its result; - is standard input or output where\n"
		   "one file is read or written (accord pack -o - doc | accord verify -).\n\n"
		   "Exit codes: 0 success (verify: valid and complete), 1 invalid or refused input\n"
		   "(a wrong passphrase, a key that does not match its certificate), 2 incomplete or\n"
		   "indeterminate (verify), 3 usage or I/O error.\n"
		   "Passphrases come from --passphrase-file, the ACCORD_PASSPHRASE environment\n"
		   "variable, or the terminal; never from the command line.\n");
}

/* One line, with the nearest verb for a near miss. */
static void unknown_verb(const char *typed)
{
	const char *near = NULL;
	size_t best = 3;

	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		size_t d = cli_edit_distance(typed, verbs[i].name);
		if (d < best) {
			best = d;
			near = verbs[i].name;
		}
	}
	fprintf(stderr, "accord: %s: unknown verb%s%s%s (see accord --help)\n", typed,
		near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
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
		cli_set_verb(verbs[i].name);
		if (accord_init(&err) != ACCORD_OK)
			return cli_fail(&err);
		rc = verbs[i].fn(argc - 1, argv + 1);
		accord_deinit();
		return rc;
	}
	unknown_verb(argv[1]);
	return EXIT_TROUBLE;
}
