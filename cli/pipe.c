/* cli/pipe.c — `-` for a file the verbs read or write: standard input spooled into a
 * private temporary file (the readers seek, a pipe cannot), or a private temporary file
 * the verb writes and that is then copied to standard output. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"

static int make_dir(cli_pipe *s)
{
	const char *tmp = getenv("TMPDIR");

	if (s->dir[0])
		return 0;
	snprintf(s->dir, sizeof s->dir, "%s/accord-pipe-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir)) { /* mode 0700: nobody else sees what goes through */
		cli_message("-: cannot make a private temporary folder in %s: %s",
			    tmp && *tmp ? tmp : "/tmp", strerror(errno));
		s->dir[0] = '\0';
		return EXIT_TROUBLE;
	}
	return 0;
}

int cli_stdin_file(cli_pipe *s, const char **path, uint64_t max)
{
	char buf[65536];
	uint64_t total = 0;
	int fd;

	if (strcmp(*path, "-") != 0)
		return 0;
	if (s->in[0]) {
		cli_message("-: standard input can be read only once");
		return EXIT_TROUBLE;
	}
	if (isatty(STDIN_FILENO)) {
		cli_message("-: standard input is a terminal: pipe the file in (or name it)");
		return EXIT_TROUBLE;
	}
	if (make_dir(s))
		return EXIT_TROUBLE;
	snprintf(s->in, sizeof s->in, "%s/stdin", s->dir);
	fd = open(s->in, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		cli_message("-: cannot make a temporary file: %s", strerror(errno));
		return EXIT_TROUBLE;
	}
	for (;;) {
		ssize_t r = read(STDIN_FILENO, buf, sizeof buf), w = 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			cli_message("-: cannot read standard input: %s", strerror(errno));
			close(fd);
			return EXIT_TROUBLE;
		}
		if (r == 0)
			break;
		total += (uint64_t)r;
		if (total > max) {
			close(fd);
			cli_message("-: standard input is longer than %llu bytes (the limit for it): "
				    "refused", (unsigned long long)max);
			return EXIT_INVALID;
		}
		while (w < r) {
			ssize_t n = write(fd, buf + w, (size_t)(r - w));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				cli_message("-: cannot write the temporary file: %s", strerror(errno));
				close(fd);
				return EXIT_TROUBLE;
			}
			w += n;
		}
	}
	if (close(fd) < 0) {
		cli_message("-: cannot write the temporary file: %s", strerror(errno));
		return EXIT_TROUBLE;
	}
	*path = s->in;
	return 0;
}

int cli_stdout_file(cli_pipe *s, const char **path, const char *name)
{
	if (strcmp(*path, "-") != 0)
		return 0;
	if (make_dir(s))
		return EXIT_TROUBLE;
	snprintf(s->out, sizeof s->out, "%s/%s", s->dir, name);
	*path = s->out;
	return 0;
}

FILE *cli_pipe_say(const cli_pipe *s)
{
	return s->out[0] ? stderr : stdout;
}

const char *cli_pipe_shown(const cli_pipe *s, const char *path)
{
	if (s->out[0] && !strcmp(path, s->out))
		return "standard output";
	return s->in[0] && !strcmp(path, s->in) ? "standard input" : path;
}

void cli_pipe_rename(const cli_pipe *s, accord_error *err)
{
	const char *names[2] = {s->in, s->out};

	for (int i = 0; i < 2; i++) {
		char *fields[2] = {err->where, err->why};
		size_t caps[2] = {sizeof err->where, sizeof err->why}, nl = strlen(names[i]);
		if (!nl)
			continue;
		for (int f = 0; f < 2; f++) {
			char *hit;
			while ((hit = strstr(fields[f], names[i])) != NULL) {
				size_t rest = strlen(hit + nl) + 1;
				if (hit + 1 + rest > fields[f] + caps[f])
					break;
				hit[0] = '-';
				memmove(hit + 1, hit + nl, rest);
			}
		}
	}
}

int cli_pipe_close(cli_pipe *s, int rc)
{
	if (rc == 0 && s->out[0]) {
		char buf[65536];
		size_t n;
		FILE *f = fopen(s->out, "rb");
		if (!f) {
			cli_message("-: cannot read back %s: %s", s->out, strerror(errno));
			rc = EXIT_TROUBLE;
		}
		while (f && !rc && (n = fread(buf, 1, sizeof buf, f)) > 0)
			if (fwrite(buf, 1, n, stdout) != n)
				rc = EXIT_TROUBLE;
		if (f) {
			if (ferror(f))
				rc = EXIT_TROUBLE;
			fclose(f);
			if (fflush(stdout) != 0)
				rc = EXIT_TROUBLE;
			if (rc)
				cli_message("-: cannot write standard output: %s", strerror(errno));
		}
	}
	if (s->dir[0]) {
		DIR *d = opendir(s->dir);
		struct dirent *e;
		char p[sizeof s->dir + 260];
		while (d && (e = readdir(d)) != NULL) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(p, sizeof p, "%s/%s", s->dir, e->d_name);
			unlink(p);
		}
		if (d)
			closedir(d);
		rmdir(s->dir);
	}
	memset(s, 0, sizeof *s);
	return rc;
}

uint64_t cli_package_size_max(const accord_limits *l)
{
	uint64_t t = l->max_total_size;

	/* the documents' bytes and an eighth more for the zip's headers and signatures */
	return t > UINT64_MAX / 2 ? UINT64_MAX : t + t / 8 + (1u << 20);
}
