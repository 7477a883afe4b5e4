/* tests/fuzz/fuzz.h — shared set-up of the libFuzzer targets: library initialisation
 * once per process, and a scratch file for the parsers that take a path. */
#ifndef ACCORD_FUZZ_H
#define ACCORD_FUZZ_H
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "accord.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where targets put what they read from results, so that the reads are not optimised
 * away (libFuzzer wants 0 from every input). */
static volatile size_t fuzz_sink __attribute__((unused));

/* A set-up failure is not a finding: say why and stop before fuzzing starts. */
static inline void fuzz_die(const char *what, const accord_error *err)
{
	fprintf(stderr, "fuzz set-up: %s: %s: %s\n", what, err ? err->where : "",
		err ? err->why : strerror(errno));
	exit(1);
}

static inline void fuzz_accord_init(void)
{
	accord_error err;

	memset(&err, 0, sizeof err);
	if (accord_init(&err))
		fuzz_die("accord_init", &err);
}

/* The whole LLVMFuzzerInitialize of a target that needs only the library set up. */
#define FUZZ_INIT_ACCORD_ONLY                                     \
	int LLVMFuzzerInitialize(int *argc, char ***argv)         \
	{                                                         \
		(void)argc;                                       \
		(void)argv;                                       \
		fuzz_accord_init();                               \
		return 0;                                         \
	}

/* Scratch space in memory (tmpfs) when there is one: the targets that take a path
 * rewrite one file per input, and a disk would slow every run down. */
static inline const char *fuzz_scratch_dir(void)
{
	struct stat st;
	const char *t = getenv("TMPDIR");

	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
		return "/dev/shm";
	return t && *t ? t : "/tmp";
}

static char fuzz_file_path[512];

static void fuzz_file_remove(void)
{
	if (fuzz_file_path[0])
		unlink(fuzz_file_path);
}

/* Write the input to this process's scratch file (one path, reused per input: each
 * -jobs worker is its own process, so the pid keeps them apart). */
static inline const char *fuzz_write_file(const uint8_t *data, size_t size, const char *suffix)
{
	int fd;
	size_t off = 0;

	if (!fuzz_file_path[0]) {
		snprintf(fuzz_file_path, sizeof fuzz_file_path, "%s/accord-fuzz-%ld%s",
			 fuzz_scratch_dir(), (long)getpid(), suffix);
		atexit(fuzz_file_remove);
	}
	fd = open(fuzz_file_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fuzz_die(fuzz_file_path, NULL);
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fuzz_die(fuzz_file_path, NULL);
		off += (size_t)w;
	}
	close(fd);
	return fuzz_file_path;
}

#endif
