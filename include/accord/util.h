/* accord/util.h — public API: small helpers the library uses itself and offers to
 * applications (and to the accord CLI, which uses the public API only). */
#ifndef ACCORD_UTIL_H
#define ACCORD_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include "accord/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Release memory the library handed out with no object of its own: byte buffers
 * (*resp, *reply) and arrays (accord_container_signatures). NULL is accepted. */
void accord_free(void *p);

/* Lower-case hex without separators; out must hold 2*len+1 bytes. Thread-safe. */
void accord_hex(const unsigned char *in, size_t len, char *out);

/* Text from a package or a certificate made safe to print on a line: each control
 * character (below 0x20, and 0x7f) written as \xNN, so that it cannot forge a line of a
 * report; cut to fit out (n bytes, n >= 1). NULL in is "". Returns out. Thread-safe. */
const char *accord_text_shown(const char *in, char *out, size_t n);

/* Open path for reading when it is a regular file (symlinks followed), else refuse with
 * "not a regular file" (ACCORD_ERR_IO): opened non-blocking first, so a FIFO or a device
 * can never block the open itself. *fd_out is a blocking descriptor the caller closes;
 * *size (size may be NULL) its size. Thread-safe. */
int accord_file_open_regular(const char *path, int *fd_out, uint64_t *size,
			     accord_error *err) ACCORD_WUR;

#ifdef __cplusplus
}
#endif
#endif
