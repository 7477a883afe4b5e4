/* cli/cmd_tsa.c — `accord tsa`: set up and run an RFC 3161 timestamp authority (file
 * mode or HTTP) and check its replies. Parses options and prints; tsa/ does the work. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/help.h"
#include "cli/service.h"

static const char tsa_usage[] =
	"usage: accord tsa VERB [OPTIONS]\n"
	"\n"
	"An RFC 3161 timestamp authority: files across an air gap, or HTTP.\n"
	"\n"
	"Verbs:\n"
	"  init    create a TSA in a folder (key, certificate, settings)\n"
	"  stamp   answer one request file\n"
	"  serve   answer requests over HTTP\n"
	"  verify  check a timestamp reply (or token) over a file\n"
	"\n"
	"`accord tsa VERB --help` (or `accord help tsa VERB`) describes each.\n"
	"Exit codes: 0 done / valid, 1 refused or invalid, 3 usage or I/O error.\n";

static const cli_subverb_doc tsa_docs[] = {
	{"init",
	 "usage: accord tsa init --dir DIR --name NAME [--ca-key K --ca-cert C]\n"
	 "                       [--ca-passphrase-file F] [--passphrase-file F]\n"
	 "                       [--weak-passphrase] [--algo ALGO]\n"
	 "\n"
	 "Creates a TSA in DIR: tsa.key, tsa.crt (critical EKU timeStamping; issued by\n"
	 "the CA when given, else self-signed), chain.pem, tsa.conf and serial.\n"
	 HELP_OPTIONS SVC_HELP_DIR("TSA") SVC_HELP_NAME HELP_CA_KEY_CERT(" (with --ca-cert)")
	 HELP_CA_PASSFILE HELP_PASSFILE HELP_WEAK
	 "      --algo ecdsa-p256|ed25519|rsa3072  the key's algorithm (default p256)\n"
	 HELP_HELP "\n"
	 "tsa.conf sets the policy OID, the accuracy, the signature hash and whether\n"
	 "tokens name the TSA. Serial numbers are 128 bits: a random prefix chosen at\n"
	 "init and a counter saved (fsync) before each token is issued, so they never\n"
	 "repeat.\n"
	 HELP_SERVICE_PASSPHRASES},
	{"stamp",
	 "usage: accord tsa stamp --dir DIR --request REQ.tsq|- -o REPLY.tsr|- [--force]\n"
	 "                        [--passphrase-file F]\n"
	 "\n"
	 "Answers one request file (an air-gapped hand-over; - is standard input or\n"
	 "output). A bad request gets a rejection reply written and exit status 1.\n"
	 HELP_OPTIONS SVC_HELP_DIR("TSA") SVC_HELP_ANSWER("REQ.tsq ", "REPLY.tsr  ")
	 HELP_PASSFILE HELP_HELP "\n"
	 "    accord timestamp request c.asice -o - |\n"
	 "        accord tsa stamp --dir tsa --request - -o - |\n"
	 "        accord timestamp attach c.asice --reply -\n"},
	{"serve",
	 "usage: accord tsa serve --dir DIR --listen ADDR:PORT [--passphrase-file F]\n"
	 "\n"
	 "Answers POST application/timestamp-query over HTTP until SIGINT or SIGTERM;\n"
	 "prints \"listening on ADDR:PORT\" to stderr once ready.\n"
	 HELP_OPTIONS SVC_HELP_DIR("TSA") SVC_HELP_LISTEN HELP_PASSFILE HELP_HELP},
	{"verify",
	 "usage: accord tsa verify --reply REPLY.tsr|- --data FILE|- [--trust CA.pem]...\n"
	 "                         [--untrusted CERT.pem]...\n"
	 "\n"
	 "Checks a timestamp reply (or a bare token) over FILE: its signature, the TSA\n"
	 "certificate's path to the trust anchors as of genTime, the critical\n"
	 "timeStamping EKU and the ESS binding.\n"
	 HELP_OPTIONS
	 "      --reply REPLY.tsr    the reply or token; - is standard input (required)\n"
	 "      --data FILE          the data it timestamps; - reads standard input\n"
	 "                           (required; only one of the two can be -)\n"
	 "      --trust CA.pem       a trust anchor; repeatable (without any: the trust\n"
	 "                           store)\n"
	 "      --untrusted CERT.pem  an intermediate certificate to build the path with;\n"
	 "                           repeatable\n"
	 HELP_HELP "\n"
	 "Exit codes: 0 valid, 1 invalid, 3 usage or I/O error.\n"},
	{NULL, NULL},
};

static int tsa_open(const char *dir, const char *pass, void **svc, accord_error *err)
{
	accord_tsa *tsa = NULL;
	int rc = accord_tsa_open(dir, pass, &tsa, err);

	*svc = tsa;
	return rc;
}

static void tsa_close(void *svc)
{
	accord_tsa_free(svc);
}

static int tsa_stamp(void *svc, const char *request, const char *out, int force, accord_error *err)
{
	return accord_tsa_stamp_file(svc, request, out, force, err);
}

static int tsa_serve(void *svc, const char *listen, accord_error *err)
{
	accord_tsa_set_ready_callback(svc, cli_print_listening, NULL);
	return accord_tsa_serve(svc, listen, err);
}

static void tsa_created(const cli_service_opts *o)
{
	printf("TSA '%s' created in %s (tsa.key, tsa.crt%s, tsa.conf, serial)\n", o->name, o->dir,
	       o->ca_key ? ", chain.pem" : "");
}

static const cli_service tsa_service = {
	.group = "tsa", .usage = tsa_usage, .docs = tsa_docs, .who = "TSA", .answer_verb = "stamp",
	.answer_what = "timestamp reply", .refused = "the TSA answered", .refusal = "rejection",
	.init = accord_tsa_init, .created = tsa_created, .open = tsa_open, .close = tsa_close,
	.answer_file = tsa_stamp, .serve = tsa_serve,
};

static int tsa_verify_cmd(int argc, char **argv)
{
	static const int allowed[] = {SVC_REPLY, SVC_DATA, SVC_TRUST, SVC_UNTRUSTED, 0};
	cli_service_opts o;
	accord_error err;
	accord_tst_result r;
	cli_pipe io;
	const char *data;
	char when[40];
	int rc;

	accord_error_clear(&err);
	memset(&io, 0, sizeof io);
	if ((rc = cli_service_parse(&tsa_service, "verify", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc < 0 ? EXIT_VALID : rc;
	if (!o.reply || !o.data)
		return cli_usage_error("tsa verify", "--reply and --data are required");
	if (!strcmp(o.reply, "-") && !strcmp(o.data, "-"))
		return cli_usage_error("tsa verify", "only one of --reply and --data can be - (standard input)");
	data = o.data;
	if ((rc = cli_stdin_file(&io, &o.reply, CLI_SMALL_FILE_MAX)) != 0 ||
	    (rc = cli_stdin_file(&io, &data, UINT64_MAX)) != 0)
		return cli_pipe_close(&io, rc);
	if (o.n_trust == 0)
		cli_store_warnings();
	rc = accord_tsa_verify_reply(o.reply, data, &(accord_tsa_verify_options){
					     .trust = o.trust, .n_trust = o.n_trust,
					     .use_store = o.n_trust == 0, .untrusted = o.untrusted,
					     .n_untrusted = o.n_untrusted}, &r, &err);
	cli_pipe_rename(&io, &err);
	cli_pipe_close(&io, EXIT_TROUBLE); /* nothing to copy */
	if (rc != ACCORD_OK)
		return cli_fail(&err);
	if (r.valid) {
		accord_time_format(r.gen_time, when, sizeof when);
		printf("valid: timestamp of %s by '%s' at %s (genTime %s)\n", o.data, r.tsa_name, when,
		       r.gen_time_text);
		printf("  serial %s, policy %s, imprint %s%s\n", r.serial_hex, r.policy, r.imprint_alg,
		       r.has_accuracy ? "" : ", no accuracy stated");
		if (r.has_accuracy)
			printf("  accuracy %us %ums %uus\n", r.accuracy_seconds, r.accuracy_millis,
			       r.accuracy_micros);
		rc = EXIT_VALID;
	} else {
		printf("invalid: %s: %s\n", accord_subindication_name(r.sub_indication), r.reason);
		rc = EXIT_INVALID;
	}
	accord_tst_result_clear(&r);
	return rc;
}

int cmd_tsa(int argc, char **argv)
{
	if (argc < 2) {
		fputs(tsa_usage, stderr);
		return EXIT_TROUBLE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(tsa_usage, stdout);
		return EXIT_VALID;
	}
	if (cli_wants_help(argc - 1, argv + 1))
		return cli_subverb_help(tsa_usage, tsa_docs, argv[1]);
	if (!strcmp(argv[1], "verify"))
		return tsa_verify_cmd(argc - 1, argv + 1);
	return cli_service_main(&tsa_service, argc, argv);
}
