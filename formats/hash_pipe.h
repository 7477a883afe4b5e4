/* formats/hash_pipe.h — hashing on a second thread while the reader inflates. */
#ifndef ACCORD_HASH_PIPE_H
#define ACCORD_HASH_PIPE_H
#include <stddef.h>
#include <gcrypt.h>
#include "util/internal.h" /* internal: refuses inclusion without ACCORD_INTERNAL */

/* Each buffer holds this many bytes; entries smaller than ACCORD_HASH_PIPE_MIN are hashed
 * inline (a hand-over per entry would cost more than it saves). */
#define ACCORD_HASH_PIPE_BUF (1024u * 1024)
#define ACCORD_HASH_PIPE_MIN (4u * 1024 * 1024)

typedef struct accord_hash_pipe accord_hash_pipe;

/* A thread that feeds md (owned by the caller, not touched by it until a drain). */
accord_hash_pipe *accord_hash_pipe_new(gcry_md_hd_t md);
/* The next buffer to fill (waits while all are being hashed). The same one until
 * submitted; submit(p, 0) or no submit leaves it to the next call. */
unsigned char *accord_hash_pipe_buffer(accord_hash_pipe *p);
void accord_hash_pipe_submit(accord_hash_pipe *p, size_t len);
/* Wait until everything submitted is in md (then md may be read or reset). */
void accord_hash_pipe_drain(accord_hash_pipe *p);
void accord_hash_pipe_free(accord_hash_pipe *p);

#endif
