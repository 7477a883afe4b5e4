/* accord/verify.h — public API: verify (to be filled in). */
#ifndef ACCORD_VERIFY_H
#define ACCORD_VERIFY_H
#include "accord/error.h"
#endif
