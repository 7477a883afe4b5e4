/* accord/sign.h — public API: sign (to be filled in). */
#ifndef ACCORD_SIGN_H
#define ACCORD_SIGN_H
#include "accord/error.h"
#endif
