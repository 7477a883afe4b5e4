/* cli/common.c — printing errors, exit codes and passphrase input for the CLI. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <gcrypt.h>
#include <gnutls/gnutls.h>
#include "cli/cli.h"

/* The verb messages are about ("pack", "keys generate"): set by main and by cli_getopt. */
static char current_verb[64];

void cli_set_verb(const char *verb)
{
	snprintf(current_verb, sizeof current_verb, "%s", verb ? verb : "");
}

int cli_exit_code(int code)
{
	switch (code) {
	case ACCORD_OK:
		return EXIT_VALID;
	case ACCORD_ERR_FORMAT:
	case ACCORD_ERR_LIMIT:
	case ACCORD_ERR_PASSPHRASE:   /* a wrong passphrase and a key that is not the */
	case ACCORD_ERR_KEY_MISMATCH: /* certificate's: the same class, refused input */
	case ACCORD_ERR_PERM:
	case ACCORD_ERR_UNSUPPORTED:
	case ACCORD_ERR_CRYPTO:
		return EXIT_INVALID;
	default:
		return EXIT_TROUBLE;
	}
}

/* "accord VERB: " (or "accord: " before a verb is known): every message starts so. */
static void print_prefix(void)
{
	if (current_verb[0])
		fprintf(stderr, "accord %s: ", current_verb);
	else
		fputs("accord: ", stderr);
}

int cli_fail(const accord_error *err)
{
	print_prefix();
	if (err->where[0])
		fprintf(stderr, "%s: ", err->where);
	fprintf(stderr, "%s\n", err->why[0] ? err->why : accord_strerror(err->code));
	return cli_exit_code(err->code);
}

void cli_message(const char *fmt, ...)
{
	va_list ap;

	print_prefix();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "accord %s: ", verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see accord %s --help)\n", verb);
	return EXIT_TROUBLE;
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

int cli_subverb_help(const char *group_usage, const cli_subverb_doc *docs, const char *verb)
{
	for (; docs && docs->name; docs++) {
		if (!strcmp(docs->name, verb)) {
			fputs(docs->help, stdout);
			return EXIT_VALID;
		}
	}
	fputs(group_usage, stdout);
	return EXIT_VALID;
}

/* Why a passphrase cannot be used, or NULL: longer than the limit, or holding a NUL
 * (a C string would silently end there). */
static const char *passphrase_unusable(const char *p, size_t n)
{
	static char why[160];

	if (n > CLI_PASSPHRASE_MAX) {
		snprintf(why, sizeof why,
			 "the passphrase is longer than %d bytes (the limit; one trailing newline aside)",
			 CLI_PASSPHRASE_MAX);
		return why;
	}
	if (memchr(p, '\0', n)) {
		snprintf(why, sizeof why,
			 "the passphrase holds a NUL byte (at byte %zu): it cannot be used",
			 (size_t)((const char *)memchr(p, '\0', n) - p) + 1);
		return why;
	}
	/* GnuTLS refuses control characters in a key's password (RFC 8265 normalisation):
	 * say so before, not after a key was half made. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c == 0x7f) {
			snprintf(why, sizeof why,
				 "the passphrase holds a control character (byte %zu, 0x%02x; a "
				 "line break in a file other than the last): it cannot be used",
				 i + 1, c);
			return why;
		}
	}
	return NULL;
}

/* Cut one trailing "\n" or "\r\n". */
static size_t cut_newline(const char *p, size_t n)
{
	if (n && p[n - 1] == '\n') {
		n--;
		if (n && p[n - 1] == '\r')
			n--;
	}
	return n;
}

static char *passphrase_refuse(char *p, const char *where, int code, const char *why,
			       accord_error *err)
{
	if (p) {
		gnutls_memset(p, 0, CLI_PASSPHRASE_MAX + 3);
		gcry_free(p);
	}
	snprintf(err->where, sizeof err->where, "%s", where);
	snprintf(err->why, sizeof err->why, "%s", why);
	err->code = code;
	return NULL;
}

/* Reads up to a newline (or the end) into secure memory, without the newline; a line
 * longer than the limit is refused, not cut. */
static char *read_line_secure(int fd, accord_error *err)
{
	size_t cap = CLI_PASSPHRASE_MAX + 3, n = 0;
	char *buf = gcry_malloc_secure(cap), c;
	const char *why;

	if (!buf)
		return NULL;
	while (n + 1 < cap) {
		ssize_t r = read(fd, &c, 1);
		if (r <= 0 || c == '\n')
			break;
		buf[n++] = c;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	if ((why = passphrase_unusable(buf, n)) != NULL)
		return passphrase_refuse(buf, "passphrase", ACCORD_ERR_LIMIT, why, err);
	buf[n] = '\0';
	return buf;
}

/* The whole file is the passphrase, less one trailing newline ("\n" or "\r\n"). A file
 * group or others may read is refused like a key file; so is one that cannot be used
 * whole (a NUL in it, longer than CLI_PASSPHRASE_MAX), never cut. */
static char *read_passphrase_file(const char *file, accord_error *err)
{
	size_t cap = CLI_PASSPHRASE_MAX + 3, n = 0;
	char *buf = NULL;
	const char *why;
	struct stat st;
	int fd;

	if (accord_file_open_regular(file, &fd, NULL, err) != ACCORD_OK) {
		char reason[sizeof err->why];
		memcpy(reason, err->why, sizeof reason);
		reason[sizeof reason - 64] = '\0'; /* room for the words before it */
		snprintf(err->why, sizeof err->why, "cannot read passphrase file: %.*s",
			 (int)(sizeof reason - 64), reason);
		return NULL;
	}
	if (fstat(fd, &st) < 0 || (st.st_mode & (S_IRWXG | S_IRWXO))) {
		char why_mode[160];
		close(fd);
		snprintf(why_mode, sizeof why_mode,
			 "passphrase file is accessible by group or others (mode %04o); run chmod 600 on it",
			 (unsigned)(st.st_mode & 07777));
		return passphrase_refuse(NULL, file, ACCORD_ERR_PERM, why_mode, err);
	}
	buf = gcry_malloc_secure(cap);
	if (!buf) {
		close(fd);
		return passphrase_refuse(NULL, file, ACCORD_ERR_NOMEM, "out of secure memory", err);
	}
	while (n < cap - 1) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return passphrase_refuse(buf, file, ACCORD_ERR_IO, "cannot read passphrase file", err);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	n = cut_newline(buf, n);
	if ((why = passphrase_unusable(buf, n)) != NULL)
		return passphrase_refuse(buf, file, n > CLI_PASSPHRASE_MAX ? ACCORD_ERR_LIMIT
									 : ACCORD_ERR_FORMAT,
					 why, err);
	buf[n] = '\0';
	return buf;
}

static char *prompt_tty(const char *prompt, accord_error *err)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	struct termios old, noecho;
	char *p;

	if (fd < 0)
		return NULL;
	if (tcgetattr(fd, &old) < 0) {
		close(fd);
		return NULL;
	}
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)ECHO;
	if (write(fd, prompt, strlen(prompt)) < 0) {
		close(fd);
		return NULL;
	}
	tcsetattr(fd, TCSAFLUSH, &noecho);
	p = read_line_secure(fd, err);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* nothing to do: the prompt is cosmetic */
	}
	close(fd);
	return p;
}

char *cli_passphrase_get(const char *file, const char *prompt, int confirm, accord_error *err)
{
	const char *env = getenv("ACCORD_PASSPHRASE");
	char *p = NULL, *again;
	size_t n;

	err->code = ACCORD_OK;
	if (file) {
		return read_passphrase_file(file, err);
	} else if (env) {
		n = strlen(env);
		if (n > CLI_PASSPHRASE_MAX)
			return passphrase_refuse(NULL, "ACCORD_PASSPHRASE", ACCORD_ERR_LIMIT,
						 passphrase_unusable(env, n), err);
		p = gcry_malloc_secure(CLI_PASSPHRASE_MAX + 3);
		if (p)
			memcpy(p, env, n + 1);
	} else {
		p = prompt_tty(prompt, err);
		if (p && confirm) {
			again = prompt_tty("Repeat the passphrase: ", err);
			if (!again || strcmp(p, again) != 0) {
				cli_passphrase_free(again);
				cli_passphrase_free(p);
				snprintf(err->where, sizeof err->where, "passphrase");
				snprintf(err->why, sizeof err->why, "the two passphrases differ");
				err->code = ACCORD_ERR_USAGE;
				return NULL;
			}
			cli_passphrase_free(again);
		}
	}
	if (!p && err->code == ACCORD_OK) {
		snprintf(err->where, sizeof err->where, "passphrase");
		snprintf(err->why, sizeof err->why,
			 "no passphrase: give --passphrase-file, set ACCORD_PASSPHRASE or run on a terminal");
		err->code = ACCORD_ERR_USAGE;
	}
	return p;
}

char *cli_new_passphrase_get(const char *file, const char *prompt, int allow_weak,
			     accord_error *err)
{
	char *p = cli_passphrase_get(file, prompt, 1, err);
	size_t chars = 0;

	if (!p || allow_weak || !*p) /* an empty one: the library refuses it, weak or not */
		return p;
	for (const unsigned char *c = (const unsigned char *)p; *c; c++)
		chars += (*c & 0xC0) != 0x80; /* UTF-8: count the characters, not the bytes */
	if (chars < CLI_PASSPHRASE_MIN) {
		cli_passphrase_free(p);
		snprintf(err->where, sizeof err->where, "%s", file ? file : "passphrase");
		snprintf(err->why, sizeof err->why,
			 "the passphrase for the new key is shorter than %d characters: choose a "
			 "longer one (or give --weak-passphrase)", CLI_PASSPHRASE_MIN);
		err->code = ACCORD_ERR_USAGE;
		return NULL;
	}
	return p;
}

char *cli_service_passphrase_get(const char *file, const char *option, const char *what,
				 const char *dir, accord_error *err)
{
	char prompt[96];
	char *p;

	snprintf(prompt, sizeof prompt, "Passphrase for the %s key: ", what);
	p = cli_passphrase_get(file, prompt, 0, err);
	if (!p && !file && err->code == ACCORD_ERR_USAGE) {
		snprintf(err->where, sizeof err->where, "%s", dir);
		snprintf(err->why, sizeof err->why,
			 "no passphrase for the %s key: give %s, set ACCORD_PASSPHRASE or run on a terminal",
			 what, option);
	}
	return p;
}

/* The CA key's passphrase: --ca-passphrase-file, ACCORD_CA_PASSPHRASE, else the same
 * source as the other key's (passfile, ACCORD_PASSPHRASE, the terminal). */
char *cli_ca_passphrase_get(const char *ca_passfile, const char *passfile, accord_error *err)
{
	const char *env = getenv("ACCORD_CA_PASSPHRASE");
	char *saved_copy, *p;
	const char *saved;

	if (ca_passfile)
		return cli_passphrase_get(ca_passfile, "Passphrase for the CA key: ", 0, err);
	if (!env)
		return cli_passphrase_get(passfile, "Passphrase for the CA key: ", 0, err);
	/* Reuse the environment path of cli_passphrase_get for secure memory. */
	saved = getenv("ACCORD_PASSPHRASE");
	saved_copy = saved ? strdup(saved) : NULL;
	setenv("ACCORD_PASSPHRASE", env, 1);
	p = cli_passphrase_get(NULL, "", 0, err);
	if (saved_copy) {
		setenv("ACCORD_PASSPHRASE", saved_copy, 1);
		memset(saved_copy, 0, strlen(saved_copy));
		free(saved_copy);
	} else {
		unsetenv("ACCORD_PASSPHRASE");
	}
	return p;
}

void cli_passphrase_free(char *p)
{
	if (!p)
		return;
	gnutls_memset(p, 0, strlen(p));
	gcry_free(p);
}

void cli_store_skipped(const char *path, const char *why, void *ud)
{
	(void)ud;
	cli_message("warning: %s: ignored, not trusted: %s", path, why);
}

void cli_store_warnings(void)
{
	char dir[4096];
	accord_error err;
	int optional = 0;

	accord_error_clear(&err);
	if (accord_truststore_locate(NULL, dir, sizeof dir, &optional, &err) == ACCORD_OK &&
	    accord_truststore_list(dir, &(accord_truststore_list_options){.skipped = cli_store_skipped,
									  .optional = optional},
				   &err) != ACCORD_OK) {
		/* the verb reading the store reports this error itself */
	}
}

/* Optimal string alignment distance (Levenshtein with adjacent transpositions), so
 * "trsut" is one edit from "trust"; long words are not worth comparing. */
size_t cli_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[40][40];

	if (la >= 40 || lb >= 40)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

static int option_taken(const cli_parser *p, int val)
{
	if (!p->allowed)
		return 1;
	for (const int *a = p->allowed; *a; a++)
		if (*a == val)
			return 1;
	return 0;
}

/* The name shown for an option: the first entry of the table with its code (later ones
 * with the same code are hidden aliases). */
static const char *option_name(const cli_parser *p, int val)
{
	for (const struct option *o = p->opts; o->name; o++)
		if (o->val == val)
			return o->name;
	return "";
}

/* Is NAME (as typed, perhaps abbreviated) a long option with code VAL? */
static int names_option(const cli_parser *p, const char *name, int val)
{
	for (const struct option *o = p->opts; o->name; o++)
		if (o->val == val && !strncmp(o->name, name, strlen(name)))
			return 1;
	return 0;
}

/* "; did you mean --x?" for the nearest option this verb takes, or "" when none is near;
 * an abbreviation of several options names two. Returns 1 for such an abbreviation. */
static int suggest(const cli_parser *p, const char *typed, char *buf, size_t n)
{
	const char *best = NULL, *prefixed[2] = {NULL, NULL};
	size_t best_d = (size_t)-1, tl = strlen(typed), n_prefixed = 0;

	buf[0] = '\0';
	for (const struct option *o = p->opts; o->name; o++) {
		size_t d;
		if (!option_taken(p, o->val) || !strcmp(o->name, "help"))
			continue;
		if (tl && !strncmp(o->name, typed, tl) && option_name(p, o->val) == o->name &&
		    n_prefixed < 2)
			prefixed[n_prefixed++] = o->name;
		d = cli_edit_distance(typed, o->name);
		if (d <= (strlen(o->name) < 4 ? 1u : 2u) && d < best_d) {
			best_d = d;
			best = option_name(p, o->val);
		}
	}
	if (n_prefixed == 2) {
		snprintf(buf, n, "; did you mean --%s or --%s?", prefixed[0], prefixed[1]);
		return 1;
	}
	if (best)
		snprintf(buf, n, "; did you mean --%s?", best);
	return 0;
}

static int option_error(const cli_parser *p, const char *word, const char *what, const char *hint)
{
	cli_usage_error(p->verb, "%s: %s%s", word, what, hint);
	return CLI_OPT_ERROR;
}

/* `accord VERB --list-options` (hidden, for tests/cli/help.sh): the long options this
 * parser takes, one a line, hidden aliases left out; then exit 0. */
static void list_options(const cli_parser *p, int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (strcmp(argv[i], "--list-options"))
			continue;
		for (const struct option *o = p->opts; o->name; o++)
			if ((option_taken(p, o->val) || !strcmp(o->name, "help")) &&
			    option_name(p, o->val) == o->name)
				printf("--%s\n", o->name);
		fflush(stdout);
		exit(EXIT_VALID);
	}
}

int cli_getopt(cli_parser *p, int argc, char **argv)
{
	char shortopts[64], name[48], shown[52], hint[160];
	const char *word;
	int c;

	if (!p->started) {
		optind = 0; /* a full reset of getopt's state */
		opterr = 0;
		p->started = 1;
		cli_set_verb(p->verb);
		list_options(p, argc, argv);
	}
	snprintf(shortopts, sizeof shortopts, ":%sh", p->shortopts ? p->shortopts : "");
	c = getopt_long(argc, argv, shortopts, p->opts, NULL);
	if (c == -1) {
		if (p->no_operands && optind < argc)
			return option_error(p, argv[optind], "unexpected argument", "");
		return CLI_OPT_END;
	}
	if (c != '?' && c != ':') {
		if (c == 'h' || !strcmp(option_name(p, c), "help")) {
			if (p->usage)
				fputs(p->usage, stdout);
			return CLI_OPT_HELP;
		}
		if (option_taken(p, c))
			return c;
		snprintf(shown, sizeof shown, "--%s", option_name(p, c));
		return option_error(p, shown, "this option does not apply here", "");
	}
	/* What was typed: a long option ("--name" or "--name=value"), or one short letter
	 * (inside a group like "-xv", argv[optind - 1] is another word). */
	word = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	name[0] = '\0';
	if (!strncmp(word, "--", 2))
		snprintf(name, sizeof name, "%.*s", (int)strcspn(word + 2, "="), word + 2);
	if (name[0] && (optopt == 0 || names_option(p, name, optopt))) {
		snprintf(shown, sizeof shown, "--%s", name);
		if (c == ':')
			return option_error(p, shown, "needs a value", "");
		if (optopt)
			return option_error(p, shown, "takes no value", "");
		return option_error(p, shown, suggest(p, name, hint, sizeof hint) ? "ambiguous option"
										   : "unknown option", hint);
	}
	snprintf(shown, sizeof shown, "-%c", optopt > 32 && optopt < 127 ? optopt : '?');
	return option_error(p, shown, c == ':' ? "needs a value" : "unknown option", "");
}

int cli_limit_option(const char *verb, int c, const char *value)
{
	static const char *const names[] = {"max-entries", "max-size", "max-total", "max-ratio"};
	accord_limits lim;
	accord_error err;

	if (c < CLI_OPT_LIMIT || c >= CLI_OPT_LIMIT + 4)
		return cli_usage_error(verb, "unknown option");
	accord_error_clear(&err);
	accord_limits_default(&lim);
	if (accord_limits_set(&lim, names[c - CLI_OPT_LIMIT], value, &err) != ACCORD_OK)
		return cli_usage_error(verb, "--%s: %s", names[c - CLI_OPT_LIMIT], err.why);
	accord_limits_set_default(&lim);
	return 0;
}

void cli_print_listening(const char *listen, void *ud)
{
	(void)ud;
	fprintf(stderr, "listening on %s\n", listen);
	fflush(stderr);
}
