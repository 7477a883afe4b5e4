/* cli/cli.h — the command-line front end: one file per verb, shared helpers. */
#ifndef ACCORD_CLI_H
#define ACCORD_CLI_H

#include <stdio.h>
#include "accord.h"

/* Exit codes scripts rely on (documented in README.md and `accord --help`). */
enum {
	EXIT_VALID = 0,      /* success; for verify: valid and complete */
	EXIT_INVALID = 1,    /* invalid signature, refused or malformed input */
	EXIT_INCOMPLETE = 2, /* verify: incomplete (quorum not met) or indeterminate */
	EXIT_TROUBLE = 3     /* usage, I/O or other operational error */
};

typedef int (*cli_verb_fn)(int argc, char **argv);

int cmd_keys(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_countersign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_timestamp(int argc, char **argv);
int cmd_extend(int argc, char **argv);
int cmd_tsa(int argc, char **argv);
int cmd_tsl(int argc, char **argv);
int cmd_ocsp(int argc, char **argv);
/* `accord ocsp request|attach` (cli/cmd_ocsp_evidence.c), argv[0] the verb. */
int cmd_ocsp_request(int argc, char **argv);
int cmd_ocsp_attach(int argc, char **argv);

/* Print "accord: WHERE: WHY" to stderr and return the exit code for err->code. */
int cli_fail(const accord_error *err);
/* Print "accord: MESSAGE" for a usage error and return EXIT_TROUBLE. */
int cli_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Map a library code to an exit code. */
int cli_exit_code(int code);

/* Passphrase, never from argv: --passphrase-file F, else the environment variable
 * ACCORD_PASSPHRASE, else the terminal without echo (asked twice when confirm).
 * Returns a secret string freed with cli_passphrase_free, or NULL (err filled). */
char *cli_passphrase_get(const char *file, const char *prompt, int confirm, accord_error *err);
void cli_passphrase_free(char *p);
/* The CA key's: --ca-passphrase-file, ACCORD_CA_PASSPHRASE, else as for the other key. */
char *cli_ca_passphrase_get(const char *ca_passfile, const char *passfile, accord_error *err);

/* Shared option parsing helpers. */
int cli_wants_help(int argc, char **argv);
/* Verbs with sub-verbs share one option table: is option c one this sub-verb takes
 * (allowed is 0-terminated; help is always allowed)? */
int cli_option_allowed(int c, int help_code, const int *allowed);
/* The next option of a sub-verb SUB (getopt_long with opts; *first set to 1 before the
 * first call): its code (-h gives help_code), CLI_OPT_END after the last (an operand left
 * over is a usage error), or CLI_OPT_ERROR once a usage error was printed. */
/* The ready callback of the servers: "listening on ADDR:PORT" on stderr (scripts wait
 * for it). */
void cli_print_listening(const char *listen, void *ud);
struct option;
enum { CLI_OPT_END = -1, CLI_OPT_ERROR = -2 };
int cli_next_option(const char *sub, int argc, char **argv, const struct option *opts,
		    const int *allowed, int help_code, int *first);

#endif
