/* accord.h — the public API of libaccord: keys, containers, signatures,
 * verification, timestamps and OCSP. Every name is accord_<object>_<verb>.
 * Ownership: objects from _new and _open calls are freed with the matching _free. */
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
