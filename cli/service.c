/* cli/service.c — the sub-verbs `accord tsa` and `accord ocsp` share: init (a key and a
 * certificate in the service's folder), answering one request file, serving HTTP. Parses
 * options and prints; tsa/ and ocsp/ do the work. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/service.h"

static const struct option long_opts[] = {
	{"dir", required_argument, NULL, SVC_DIR},
	{"name", required_argument, NULL, SVC_NAME},
	{"ca-key", required_argument, NULL, SVC_CA_KEY},
	{"ca-cert", required_argument, NULL, SVC_CA_CERT},
	{"ca-passphrase-file", required_argument, NULL, SVC_CA_PASSFILE},
	{"passphrase-file", required_argument, NULL, SVC_PASSFILE},
	{"algo", required_argument, NULL, SVC_ALGO},
	{"request", required_argument, NULL, SVC_REQUEST},
	{"out", required_argument, NULL, SVC_OUT},
	{"force", no_argument, NULL, SVC_FORCE},
	{"weak-passphrase", no_argument, NULL, SVC_WEAK},
	{"listen", required_argument, NULL, SVC_LISTEN},
	{"reply", required_argument, NULL, SVC_REPLY},
	{"data", required_argument, NULL, SVC_DATA},
	{"trust", required_argument, NULL, SVC_TRUST},
	{"untrusted", required_argument, NULL, SVC_UNTRUSTED},
	{"help", no_argument, NULL, SVC_HELP},
	{NULL, 0, NULL, 0},
};

int cli_service_parse(const cli_service *s, const char *verb, int argc, char **argv,
		      const int *allowed, cli_service_opts *o)
{
	char sub[64];
	cli_parser p = {.verb = sub, .shortopts = "o:", .opts = long_opts, .allowed = allowed,
			.no_operands = 1};
	int c;

	snprintf(sub, sizeof sub, "%s %s", s->group, verb);
	memset(o, 0, sizeof *o);
	while ((c = cli_getopt(&p, argc, argv)) >= 0) {
		switch (c) {
		case SVC_DIR: o->dir = optarg; break;
		case SVC_NAME: o->name = optarg; break;
		case SVC_CA_KEY: o->ca_key = optarg; break;
		case SVC_CA_CERT: o->ca_cert = optarg; break;
		case SVC_CA_PASSFILE: o->ca_passfile = optarg; break;
		case SVC_PASSFILE: o->passfile = optarg; break;
		case SVC_ALGO: o->algo = optarg; break;
		case SVC_REQUEST: o->request = optarg; break;
		case SVC_OUT: o->out = optarg; break;
		case SVC_FORCE: o->force = 1; break;
		case SVC_WEAK: o->weak = 1; break;
		case SVC_LISTEN: o->listen = optarg; break;
		case SVC_REPLY: o->reply = optarg; break;
		case SVC_DATA: o->data = optarg; break;
		case SVC_TRUST:
		case SVC_UNTRUSTED: {
			const char **list = c == SVC_TRUST ? o->trust : o->untrusted;
			size_t *n = c == SVC_TRUST ? &o->n_trust : &o->n_untrusted;
			if (*n >= SVC_MAX_LIST)
				return cli_usage_error(sub, "too many certificate files");
			list[(*n)++] = optarg;
			break;
		}
		}
	}
	if (c == CLI_OPT_HELP) {
		cli_subverb_help(s->usage, s->docs, verb);
		return -1;
	}
	return c == CLI_OPT_ERROR ? EXIT_TROUBLE : EXIT_VALID;
}

static int service_init(const cli_service *s, int argc, char **argv)
{
	static const int allowed[] = {SVC_DIR, SVC_NAME, SVC_CA_KEY, SVC_CA_CERT, SVC_CA_PASSFILE,
				      SVC_PASSFILE, SVC_ALGO, SVC_WEAK, 0};
	char sub[64], prompt[80];
	cli_service_opts o;
	accord_error err;
	accord_issuer issuer;
	accord_service_init_options init;
	char *pass = NULL, *ca_pass = NULL;
	int rc;

	snprintf(sub, sizeof sub, "%s init", s->group);
	accord_error_clear(&err);
	memset(&init, 0, sizeof init);
	if ((rc = cli_service_parse(s, "init", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc < 0 ? EXIT_VALID : rc;
	if (!o.dir || !o.name || (s->ca_required && (!o.ca_key || !o.ca_cert)))
		return cli_usage_error(sub, s->ca_required ? "--dir, --name, --ca-key and --ca-cert are required"
							   : "--dir and --name are required");
	if (!o.ca_key != !o.ca_cert)
		return cli_usage_error(sub, "--ca-key and --ca-cert go together");
	if (o.algo && accord_algo_from_name(o.algo, &init.algo) != ACCORD_OK)
		return cli_usage_error(sub, "unknown --algo '%s'", o.algo);
	if (o.ca_key) {
		ca_pass = cli_ca_passphrase_get(o.ca_passfile, o.passfile, &err);
		if (!ca_pass)
			return cli_fail(&err);
		memset(&issuer, 0, sizeof issuer);
		issuer.key_path = o.ca_key;
		issuer.cert_path = o.ca_cert;
		issuer.passphrase = ca_pass;
		init.ca = &issuer;
	}
	init.id.name = o.name;
	snprintf(prompt, sizeof prompt, "Passphrase for the new %s key: ", s->who);
	pass = cli_new_passphrase_get(o.passfile, prompt, o.weak, &err);
	init.passphrase = pass;
	if (!pass || s->init(o.dir, &init, &err) != ACCORD_OK) {
		rc = cli_fail(&err);
		goto out;
	}
	s->created(&o);
	rc = EXIT_VALID;
out:
	cli_passphrase_free(pass);
	cli_passphrase_free(ca_pass);
	return rc;
}

static int service_open(const cli_service *s, const cli_service_opts *o, void **svc,
			accord_error *err)
{
	char prompt[80], *pass;
	int rc;

	snprintf(prompt, sizeof prompt, "Passphrase for the %s key: ", s->who);
	pass = cli_passphrase_get(o->passfile, prompt, 0, err);
	if (!pass)
		return err->code ? err->code : ACCORD_ERR_USAGE;
	rc = s->open(o->dir, pass, svc, err);
	cli_passphrase_free(pass);
	return rc;
}

/* `tsa stamp` / `ocsp respond`: one request file (or standard input) answered into a
 * file (or standard output). */
static int service_answer(const cli_service *s, int argc, char **argv)
{
	static const int allowed[] = {SVC_DIR, SVC_REQUEST, SVC_OUT, SVC_FORCE, SVC_PASSFILE, 0};
	char sub[64];
	cli_service_opts o;
	accord_error err;
	cli_pipe io;
	void *svc = NULL;
	int rc;

	snprintf(sub, sizeof sub, "%s %s", s->group, s->answer_verb);
	accord_error_clear(&err);
	memset(&io, 0, sizeof io);
	if ((rc = cli_service_parse(s, s->answer_verb, argc, argv, allowed, &o)) != EXIT_VALID)
		return rc < 0 ? EXIT_VALID : rc;
	if (!o.dir || !o.request || !o.out)
		return cli_usage_error(sub, "--dir, --request and -o are required");
	if (service_open(s, &o, &svc, &err) != ACCORD_OK)
		return cli_fail(&err);
	if ((rc = cli_stdin_file(&io, &o.request, CLI_SMALL_FILE_MAX)) != 0 ||
	    (rc = cli_stdout_file(&io, &o.out, "answer.der")) != 0) {
		s->close(svc);
		return cli_pipe_close(&io, rc);
	}
	rc = s->answer_file(svc, o.request, o.out, o.force, &err);
	s->close(svc);
	cli_pipe_rename(&io, &err);
	if (rc == ACCORD_OK) {
		fprintf(cli_pipe_say(&io), "%s written to %s\n", s->answer_what,
			cli_pipe_shown(&io, o.out));
	} else if (rc == ACCORD_ERR_FORMAT && !strncmp(err.why, s->refused, strlen(s->refused))) {
		/* the refusal was written: it is the answer, on standard output too */
		cli_message("%s: request refused, %s written to %s: %s", err.where, s->refusal,
			    cli_pipe_shown(&io, o.out), err.why);
		return cli_pipe_close(&io, 0) ? EXIT_TROUBLE : cli_exit_code(rc);
	} else {
		cli_fail(&err);
	}
	return cli_pipe_close(&io, cli_exit_code(rc));
}

static int service_serve(const cli_service *s, int argc, char **argv)
{
	static const int allowed[] = {SVC_DIR, SVC_LISTEN, SVC_PASSFILE, 0};
	char sub[64];
	cli_service_opts o;
	accord_error err;
	void *svc = NULL;
	int rc;

	snprintf(sub, sizeof sub, "%s serve", s->group);
	accord_error_clear(&err);
	if ((rc = cli_service_parse(s, "serve", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc < 0 ? EXIT_VALID : rc;
	if (!o.dir || !o.listen)
		return cli_usage_error(sub, "--dir and --listen are required");
	if (service_open(s, &o, &svc, &err) != ACCORD_OK)
		return cli_fail(&err);
	rc = s->serve(svc, o.listen, &err);
	s->close(svc);
	if (rc != ACCORD_OK)
		return cli_fail(&err);
	fprintf(stderr, "stopped\n");
	return EXIT_VALID;
}

int cli_service_main(const cli_service *s, int argc, char **argv)
{
	if (!strcmp(argv[1], "init"))
		return service_init(s, argc - 1, argv + 1);
	if (!strcmp(argv[1], s->answer_verb))
		return service_answer(s, argc - 1, argv + 1);
	if (!strcmp(argv[1], "serve"))
		return service_serve(s, argc - 1, argv + 1);
	return cli_usage_error(s->group, "%s: unknown verb", argv[1]);
}
