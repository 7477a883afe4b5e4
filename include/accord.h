/* accord.h — the public API of libaccord: keys, containers, signatures,
 * verification, timestamps and OCSP. Every name is accord_<object>_<verb>.
 * Build with `pkg-config --cflags --libs accord`; examples/verify.c is a whole program.
 *
 * Conventions every header follows (a function says so where it differs):
 * - Errors: a call returns ACCORD_OK (0) or a negative accord_code and fills the
 *   accord_error it is given (NULL is accepted) with where and why. A verdict is not an
 *   error: accord_verify returns ACCORD_OK with the verdict in its report.
 * - Ownership: an object a call hands out through an `**out` parameter is the caller's
 *   and is released with its own _free (accord_container_free, accord_report_free,
 *   accord_signer_free, accord_tsa_free, accord_ocsp_free); buffers and arrays handed out
 *   without an object of their own (responses, replies, signature lists) with
 *   accord_free. Every _free accepts NULL. Pointers a getter returns, and the arrays
 *   inside a report, belong to their object: valid until it is freed, never freed alone.
 *   Structs the caller owns that the library fills with memory (accord_tst_result) are
 *   emptied with their _clear. Strings from *_name functions are static.
 * - Threads: accord_init and accord_deinit are not thread-safe: call them from one
 *   thread, before the others start and after they end. Every other function may run in
 *   several threads at once on different objects (packages, containers, reports,
 *   signers); one object is used by one thread at a time, except accord_tsa_respond and
 *   accord_ocsp_respond, which serialise concurrent calls on the same TSA or responder.
 *   Writers lock the package file against other writers, in this process or another. */
#ifndef ACCORD_H
#define ACCORD_H

#include "accord/error.h"
#include "accord/keys.h"
#include "accord/container.h"
#include "accord/sign.h"
#include "accord/verify.h"
#include "accord/tsa.h"
#include "accord/tsl.h"
#include "accord/ocsp.h"
#include "accord/util.h"

#endif
