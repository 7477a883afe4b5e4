/* accord/tsa.h — public API: tsa (to be filled in). */
#ifndef ACCORD_TSA_H
#define ACCORD_TSA_H
#include "accord/error.h"
#endif
