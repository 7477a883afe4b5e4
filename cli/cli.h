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
int cmd_remove(int argc, char **argv);
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
 * ACCORD_PASSPHRASE, else the terminal without echo (asked twice when confirm). A file
 * is the passphrase whole, less one trailing newline ("\n" or "\r\n"); it must not be
 * accessible by group or others. Nothing is ever cut: a passphrase longer than
 * CLI_PASSPHRASE_MAX bytes or holding a NUL is refused, from every source.
 * Returns a secret string freed with cli_passphrase_free, or NULL (err filled). */
enum { CLI_PASSPHRASE_MAX = 1024, CLI_PASSPHRASE_MIN = 8 };
char *cli_passphrase_get(const char *file, const char *prompt, int confirm, accord_error *err);
/* The passphrase for a new key (asked twice on a terminal): as cli_passphrase_get, and
 * shorter than CLI_PASSPHRASE_MIN characters is refused unless allow_weak
 * (--weak-passphrase). */
char *cli_new_passphrase_get(const char *file, const char *prompt, int allow_weak,
			     accord_error *err);
void cli_passphrase_free(char *p);
/* The CA key's: --ca-passphrase-file, ACCORD_CA_PASSPHRASE, else as for the other key. */
char *cli_ca_passphrase_get(const char *ca_passfile, const char *passfile, accord_error *err);

/* The trust store's ignored entries, as warnings on stderr: cli_store_skipped is the
 * accord_truststore_list callback; cli_store_warnings() tells them for the store the
 * verbs that read it use (verify, extend, tsa verify; quiet about errors: those verbs
 * report them). */
void cli_store_skipped(const char *path, const char *why, void *ud);
void cli_store_warnings(void);

/* Shared option parsing helpers. */
int cli_wants_help(int argc, char **argv);
/* `accord GROUP VERB --help`: the verb's part of the group's usage, and the group's notes. */
int cli_subverb_help(const char *group, const char *usage, const char *verb);
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

/* The limits every verb that reads or writes a package takes, with the same defaults
 * (accord_limits_default): their option table entries (codes CLI_OPT_LIMIT + 0..3), their
 * help lines, and cli_limit_option, which applies one to the process-wide limits
 * (accord_limits_set_default) that every reader and writer then uses. */
enum { CLI_OPT_LIMIT = 0x4c00 };
#define CLI_LIMIT_OPTIONS                                                   \
	{"max-entries", required_argument, NULL, CLI_OPT_LIMIT},            \
	{"max-size", required_argument, NULL, CLI_OPT_LIMIT + 1},           \
	{"max-total", required_argument, NULL, CLI_OPT_LIMIT + 2},          \
	{"max-ratio", required_argument, NULL, CLI_OPT_LIMIT + 3}
#define CLI_LIMITS_HELP                                                                     \
	"  --max-entries N      at most N entries in the package (default 100000)\n"           \
	"  --max-size BYTES     at most BYTES per entry, uncompressed (default 4G)\n"          \
	"  --max-total BYTES    at most BYTES for all entries (default 16G)\n"                 \
	"  --max-ratio N        at most N:1 compression per entry over 64K (default 1000)\n"
/* Apply limit option c (case CLI_OPT_LIMIT ... CLI_OPT_LIMIT + 3): 0, or EXIT_TROUBLE
 * after printing a usage error. */
int cli_limit_option(const char *verb, int c, const char *value);

#endif
