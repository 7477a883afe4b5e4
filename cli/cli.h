/* cli/cli.h — the command-line front end: one file per verb, shared helpers. */
#ifndef ACCORD_CLI_H
#define ACCORD_CLI_H

#include <stdint.h>
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
/* `accord keys verify` (cli/cmd_keys_verify.c), argv[0] the verb. */
int cmd_keys_verify(int argc, char **argv);
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
int cmd_add(int argc, char **argv);
int cmd_new(int argc, char **argv);
/* `accord ocsp request|attach` (cli/cmd_ocsp_evidence.c), argv[0] the verb. */
int cmd_ocsp_request(int argc, char **argv);
int cmd_ocsp_attach(int argc, char **argv);

/* Every message is one line "accord VERB: WHERE: what is wrong" (lower case, no final
 * period). VERB is the one cli_set_verb named last (main names the verb, cli_getopt the
 * sub-verb: "keys generate"). */
void cli_set_verb(const char *verb);
/* Print "accord VERB: WHERE: WHY" to stderr and return the exit code for err->code. */
int cli_fail(const accord_error *err);
/* Print "accord VERB: MESSAGE" to stderr (a warning, a note). */
void cli_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "accord VERB: MESSAGE (see accord VERB --help)" for a usage error and return
 * EXIT_TROUBLE. */
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
/* The passphrase of a local service's key (--tsa-dir, --ocsp-dir DIR; what: "TSA",
 * "OCSP responder") from file, ACCORD_PASSPHRASE or the terminal; with none, the error
 * names DIR and option (--tsa-passphrase-file), not the signer's --passphrase-file. */
char *cli_service_passphrase_get(const char *file, const char *option, const char *what,
				 const char *dir, accord_error *err);
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
/* The ready callback of the servers: "listening on ADDR:PORT" on stderr (scripts wait
 * for it). */
void cli_print_listening(const char *listen, void *ud);
struct option;
/* The one option parser of every verb: getopt_long over opts, with one-line errors
 * ("accord VERB: --trsut: unknown option; did you mean --trust? (see accord VERB --help)",
 * exit 3 by the caller). An entry after another with the same code is a hidden alias:
 * it works, but messages name the first. */
typedef struct cli_parser {
	const char *verb;          /* "pack", "keys generate": names the verb in messages */
	const char *shortopts;     /* short options as getopt wants them ("o:"); -h is added */
	const struct option *opts; /* the long options, {NULL} ended */
	const int *allowed;        /* NULL: every option of opts; else the codes this verb
				      takes, 0-terminated (verbs sharing one table) */
	int no_operands;           /* an operand left after the options is an error */
	const char *usage;         /* when set, printed on stdout for -h, --help or --he... */
	int started;               /* 0 before the first call */
} cli_parser;
enum { CLI_OPT_END = -1, CLI_OPT_ERROR = -2, CLI_OPT_HELP = -3 };
/* The next option's code; CLI_OPT_HELP for -h/--help, CLI_OPT_END after the last (optind
 * is then the first operand), CLI_OPT_ERROR once the usage error was printed. */
int cli_getopt(cli_parser *p, int argc, char **argv);
/* Edits (insert, delete, change, swap two neighbours) from a to b; (size_t)-1 past 39
 * characters. */
size_t cli_edit_distance(const char *a, const char *b);

/* `-` for a file: standard input or standard output, through a private temporary folder
 * (mode 0700 under $TMPDIR, else /tmp) removed by cli_pipe_close. */
typedef struct cli_pipe {
	char dir[1024], in[1100], out[1100];
} cli_pipe;
/* When *path is "-": read standard input whole (at most max bytes, else refused with
 * exit 1; a terminal is refused) into the temporary folder and point *path at that copy.
 * Returns 0 or an exit code (the message printed). */
int cli_stdin_file(cli_pipe *s, const char **path, uint64_t max);
/* When *path is "-": point *path at a file NAME in the temporary folder, for the verb
 * to write; cli_pipe_close(s, 0) then copies it to standard output. 0 or an exit code. */
int cli_stdout_file(cli_pipe *s, const char **path, const char *name);
/* Where the verb says what it did: stderr when its output goes to standard output. */
FILE *cli_pipe_say(const cli_pipe *s);
/* PATH for what the verb says ("standard output" for the temporary output). */
const char *cli_pipe_shown(const cli_pipe *s, const char *path);
/* How much of standard input a small file (a request, a reply, a certificate) may take. */
#define CLI_SMALL_FILE_MAX (16u << 20)
/* How much of standard input a package may take: --max-total, an eighth more and 1 MiB
 * (zip headers, signatures). */
uint64_t cli_package_size_max(const accord_limits *l);
/* Name "-" instead of the temporary files in an error. */
void cli_pipe_rename(const cli_pipe *s, accord_error *err);
/* When rc is 0 (the verb succeeded), copy the output to standard output; then remove
 * the temporary folder. Returns rc, or an exit code when the copy failed. */
int cli_pipe_close(cli_pipe *s, int rc);

#endif
