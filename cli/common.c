/* cli/common.c — printing errors, exit codes and passphrase input for the CLI. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <gnutls/gnutls.h>
#include "cli/cli.h"

int cli_exit_code(int code)
{
	switch (code) {
	case ACCORD_OK:
		return EXIT_VALID;
	case ACCORD_ERR_FORMAT:
	case ACCORD_ERR_LIMIT:
	case ACCORD_ERR_PASSPHRASE:
	case ACCORD_ERR_PERM:
	case ACCORD_ERR_UNSUPPORTED:
	case ACCORD_ERR_CRYPTO:
		return EXIT_INVALID;
	default:
		return EXIT_TROUBLE;
	}
}

int cli_fail(const accord_error *err)
{
	if (err->where[0])
		fprintf(stderr, "accord: %s: %s\n", err->where, err->why[0] ? err->why : accord_strerror(err->code));
	else
		fprintf(stderr, "accord: %s\n", err->why[0] ? err->why : accord_strerror(err->code));
	return cli_exit_code(err->code);
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

/* Reads one line into secure memory; strips the newline. */
static char *read_line_secure(int fd)
{
	size_t cap = 1024, n = 0;
	char *buf = gcry_malloc_secure(cap), c;

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
	buf[n] = '\0';
	return buf;
}

static char *prompt_tty(const char *prompt)
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
	p = read_line_secure(fd);
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

	if (file) {
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(err->where, sizeof err->where, "%s", file);
			snprintf(err->why, sizeof err->why, "cannot read passphrase file");
			err->code = ACCORD_ERR_IO;
			return NULL;
		}
		p = read_line_secure(fd);
		close(fd);
	} else if (env) {
		n = strlen(env);
		p = gcry_malloc_secure(n + 1);
		if (p)
			memcpy(p, env, n + 1);
	} else {
		p = prompt_tty(prompt);
		if (p && confirm) {
			again = prompt_tty("Repeat the passphrase: ");
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
	if (!p) {
		snprintf(err->where, sizeof err->where, "passphrase");
		snprintf(err->why, sizeof err->why,
			 "no passphrase: give --passphrase-file, set ACCORD_PASSPHRASE or run on a terminal");
		err->code = ACCORD_ERR_USAGE;
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

int cli_option_allowed(int c, int help_code, const int *allowed)
{
	if (c == help_code || c == 'h')
		return 1;
	for (; *allowed; allowed++)
		if (*allowed == c)
			return 1;
	return 0;
}

int cli_next_option(const char *sub, int argc, char **argv, const struct option *opts,
		    const int *allowed, int help_code, int *first)
{
	int c;

	if (*first) {
		optind = 0;
		opterr = 0;
		*first = 0;
	}
	c = getopt_long(argc, argv, "h", opts, NULL);
	if (c == -1) {
		if (optind < argc)
			return cli_usage_error(sub, "unexpected argument '%s'", argv[optind]), CLI_OPT_ERROR;
		return CLI_OPT_END;
	}
	if (c == '?' || !cli_option_allowed(c, help_code, allowed)) {
		cli_usage_error(sub, "unknown or misplaced option '%s'", argv[optind - 1]);
		return CLI_OPT_ERROR;
	}
	return c == 'h' ? help_code : c;
}

void cli_print_listening(const char *listen, void *ud)
{
	(void)ud;
	fprintf(stderr, "listening on %s\n", listen);
	fflush(stderr);
}
