/* cli/service.h — what `accord tsa` and `accord ocsp` share: a service folder with its
 * key, made by `init`, answering one request file (`tsa stamp`, `ocsp respond`) or HTTP
 * (`serve`). */
#ifndef ACCORD_CLI_SERVICE_H
#define ACCORD_CLI_SERVICE_H
#include "accord.h"
#include "cli/cli.h"

/* The Options lines the sub-verbs of both groups share (cli/help.h format). */
#define SVC_HELP_DIR(what) "      --dir DIR            the " what "'s folder (required)\n"
#define SVC_HELP_NAME "      --name NAME          its name, in its certificate (required)\n"
#define SVC_HELP_ANSWER(req, reply)                                                          \
	"      --request " req "  the request file; - reads standard input (required)\n"   \
	"  -o, --out " reply "    the answer; - is standard output (required)\n" \
	"      --force              replace the answer file if it exists\n"
#define SVC_HELP_LISTEN                                                                      \
	"      --listen ADDR:PORT   where to listen (required; port 0: any free port)\n"

/* The options of every sub-verb of both groups (one table; each sub-verb allows some). */
enum {
	SVC_OUT = 'o', SVC_DIR = 256, SVC_NAME, SVC_CA_KEY, SVC_CA_CERT, SVC_CA_PASSFILE,
	SVC_PASSFILE, SVC_ALGO, SVC_REQUEST, SVC_FORCE, SVC_LISTEN, SVC_REPLY, SVC_DATA,
	SVC_TRUST, SVC_UNTRUSTED, SVC_WEAK, SVC_HELP
};
#define SVC_MAX_LIST 32

typedef struct cli_service_opts {
	const char *dir, *name, *ca_key, *ca_cert, *ca_passfile, *passfile, *algo;
	const char *request, *out, *listen, *reply, *data;
	const char *trust[SVC_MAX_LIST], *untrusted[SVC_MAX_LIST];
	size_t n_trust, n_untrusted;
	int force, weak;
} cli_service_opts;

/* One service: its group's words and the library's calls (svc is the opened service). */
typedef struct cli_service {
	const char *group;       /* "tsa", "ocsp" */
	const char *usage;       /* the group's help */
	const cli_subverb_doc *docs; /* each sub-verb's help */
	const char *who;         /* "TSA", "responder": in prompts */
	const char *answer_verb; /* "stamp", "respond" */
	const char *answer_what; /* "timestamp reply", "OCSP response" */
	const char *refused;     /* the start of err.why when the service refused and wrote its
				    refusal (ACCORD_ERR_FORMAT) */
	const char *refusal;     /* what was written then: "rejection", "response" */
	int ca_required;         /* init needs --ca-key and --ca-cert */
	int (*init)(const char *dir, const accord_service_init_options *opt, accord_error *err);
	void (*created)(const cli_service_opts *o); /* prints what init made */
	int (*open)(const char *dir, const char *pass, void **svc, accord_error *err);
	void (*close)(void *svc);
	int (*answer_file)(void *svc, const char *request, const char *out, int force,
			   accord_error *err);
	int (*serve)(void *svc, const char *listen, accord_error *err); /* says when ready */
} cli_service;

/* Parse the options of `GROUP VERB` (argv[0] is VERB), allowed those in ALLOWED
 * (0-terminated). EXIT_VALID, or an exit code: help printed gives -1. */
int cli_service_parse(const cli_service *s, const char *verb, int argc, char **argv,
		      const int *allowed, cli_service_opts *o);
/* init, the answer verb and serve; other sub-verbs are the group's. */
int cli_service_main(const cli_service *s, int argc, char **argv);
#endif
