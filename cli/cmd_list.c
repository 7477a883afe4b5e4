/* cli/cmd_list.c — `accord list`: the descriptor, the documents with their SHA-256,
 * and the signature files of a package. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/help.h"

static void list_usage(FILE *f)
{
	fputs("usage: accord list PACKAGE|- [--json] [LIMITS]\n"
	      "\n"
	      "Checks PACKAGE (every ASiC-E rule and the limits) and shows its kind, title,\n"
	      "reference, incident ID, TLP marking, parties and quorum, then each document\n"
	      "with its size, media type and SHA-256, then the signature files. It does not\n"
	      "judge the signatures (verify).\n"
	      HELP_OPTIONS
	      "      --json               print it as one JSON object\n"
	      HELP_LIMITS HELP_QUIET HELP_HELP
	      "\n"
	      "PACKAGE - reads it from standard input. A layout problem that does not change\n"
	      "what is signed (mimetype compressed, not first, with an extra field or missing;\n"
	      "a zip comment; a file the manifest does not list) is shown as a warning naming\n"
	      "its ETSI EN 319 162-1 rule; anything that cannot be read safely is refused\n"
	      "(exit 1).\n"
	      "--json: \"format\": \"accord-list/1\", described by docs/accord-list-1.schema.json;\n"
	      "a package that cannot be read gives \"status\": \"error\" with the error's kind,\n"
	      "where and message.\n",
	      f);
}

static const struct option limit_opts[] = {
	{"max-entries", required_argument, NULL, 'E'}, {"max-size", required_argument, NULL, 'S'},
	{"max-total", required_argument, NULL, 'T'},   {"max-ratio", required_argument, NULL, 'R'},
	{"json", no_argument, NULL, 'j'},              {"help", no_argument, NULL, 'h'},
	{"quiet", no_argument, NULL, 'q'},
	{NULL, 0, NULL, 0}};

static void list_show(const char *package, const accord_container *c,
		      const accord_signature_info *sigs, size_t ns)
{
	const accord_descriptor *d = accord_container_descriptor(c);
	char when[40], hex[65], buf[1100];
	size_t n = accord_container_document_count(c);

	printf("Package:    %s\n", package);
	if (d) {
		accord_time_format(d->created, when, sizeof when);
		printf("Kind:       %s\n", accord_kind_name(d->kind));
		printf("Title:      %s\n", accord_text_shown(d->title, buf, sizeof buf));
		if (d->reference[0])
			printf("Reference:  %s\n", accord_text_shown(d->reference, buf, sizeof buf));
		if (d->incident_id[0])
			printf("Incident:   %s\n", accord_text_shown(d->incident_id, buf, sizeof buf));
		if (d->tlp == ACCORD_TLP_UNKNOWN)
			printf("TLP:        '%s' (not a TLP 2.0 label; see the warning)\n",
			       accord_text_shown(d->tlp_text, buf, sizeof buf));
		else if (d->tlp != ACCORD_TLP_NONE)
			printf("TLP:        %s\n", accord_tlp_label(d->tlp));
		printf("Created:    %s\n", when);
		if (d->n_parties) {
			printf("Parties:    %zu, quorum %u\n", d->n_parties,
			       d->quorum ? d->quorum : (unsigned)d->n_parties);
			for (size_t i = 0; i < d->n_parties; i++)
				printf("  %-30s %s %s\n", d->parties[i].name,
				       d->parties[i].fingerprint[0] ? "sha256" : "CA sha256",
				       d->parties[i].fingerprint[0] ? d->parties[i].fingerprint
								    : d->parties[i].ca_fingerprint);
		}
	} else {
		printf("Descriptor: none (container made by other software)\n");
	}
	printf("\nDocuments:\n  %-32s %12s  %-28s %s\n", "NAME", "SIZE", "MEDIA TYPE", "SHA-256");
	for (size_t i = 0; i < n; i++) {
		const accord_document *doc = accord_container_document(c, i);
		accord_hex(doc->sha256, sizeof doc->sha256, hex);
		printf("  %-32s %12llu  %-28s %s%s\n", doc->name, (unsigned long long)doc->size,
		       doc->media_type, hex, doc->is_descriptor ? "  (descriptor)" : "");
	}
	/* Who signed what, as the signature files say (not verified: see accord verify). */
	printf("\nSignatures: %zu (not verified here; run accord verify)\n", ns);
	for (size_t i = 0; i < ns; i++) {
		const accord_signature_info *s = &sigs[i];
		if (s->error[0]) {
			printf("  %-14s unreadable: %s\n", s->file, s->error);
			continue;
		}
		if (s->signing_time)
			accord_time_format(s->signing_time, when, sizeof when);
		else
			snprintf(when, sizeof when, "(no time)");
		if (s->master_id[0])
			printf("    %-12s countersigns %s  by %s at %s\n", s->id, s->master_id,
			       s->signer, when);
		else
			printf("  %-14s by %s at %s, covers %zu of %zu data files  (%s)\n", s->id,
			       s->signer, when, s->n_covered, n, s->file);
	}
	if (accord_container_note_count(c)) {
		printf("\nWarnings: %zu (the container does not follow ETSI EN 319 162-1)\n",
		       accord_container_note_count(c));
		for (size_t i = 0; i < accord_container_note_count(c); i++) {
			const accord_container_note *note = accord_container_note_get(c, i);
			printf("  %s: %s\n    rule: %s\n", note->where, note->message, note->rule);
		}
	}
}

int cmd_list(int argc, char **argv)
{
	accord_limits lim;
	accord_error err;
	accord_container *c = NULL;
	accord_signature_info *sigs = NULL;
	size_t ns = 0;
	int opt, json = 0, rc;
	cli_parser p = {.verb = "list", .shortopts = "q", .opts = limit_opts};
	cli_pipe io;
	const char *package;

	accord_error_clear(&err);
	accord_limits_default(&lim);
	if (cli_wants_help(argc, argv)) {
		list_usage(stdout);
		return EXIT_VALID;
	}
	while ((opt = cli_getopt(&p, argc, argv)) >= 0) {
		const char *name = NULL;
		if (opt == 'j') {
			json = 1;
			continue;
		}
		if (opt == 'q') {
			accord_progress_enable(0);
			continue;
		}
		for (size_t i = 0; limit_opts[i].name; i++)
			if (limit_opts[i].val == opt)
				name = limit_opts[i].name;
		if (accord_limits_set(&lim, name, optarg, &err) != ACCORD_OK)
			return cli_usage_error("list", "--%s: %s", name, err.why);
	}
	if (opt == CLI_OPT_HELP) {
		list_usage(stdout);
		return EXIT_VALID;
	}
	if (opt == CLI_OPT_ERROR)
		return EXIT_TROUBLE;
	accord_limits_set_default(&lim); /* the XML and manifest limits follow them */
	if (optind != argc - 1)
		return cli_usage_error("list", "give exactly one PACKAGE");
	memset(&io, 0, sizeof io);
	package = argv[optind];
	if ((rc = cli_stdin_file(&io, &package, cli_package_size_max(&lim))) != 0) {
		cli_pipe_close(&io, EXIT_TROUBLE); /* nothing to copy */
		return rc;
	}
	rc = accord_container_open_tolerant(package, &lim, &c, &err);
	if (rc == ACCORD_OK)
		rc = accord_container_signatures(c, &sigs, &ns, &err);
	cli_pipe_rename(&io, &err);
	cli_pipe_close(&io, EXIT_TROUBLE); /* nothing to copy */
	if (rc != ACCORD_OK) {
		rc = cli_fail(&err);
		if (json) /* programs get a parseable answer with the reason (also on stderr) */
			accord_error_write_json(ACCORD_JSON_LIST, argv[optind], &err, rc, stdout);
		goto out;
	}
	if (json)
		accord_container_write_json(c, argv[optind], sigs, ns, stdout);
	else
		list_show(argv[optind], c, sigs, ns);
	rc = EXIT_VALID;
out:
	accord_free(sigs);
	accord_container_free(c);
	return rc;
}
