/* util/banned.h — functions that overflow or truncate silently, made to fail at compile
 * time (git's habit): use snprintf (checked), memcpy with a known length, or strdup. */
#ifndef ACCORD_BANNED_H
#define ACCORD_BANNED_H
#ifndef ACCORD_INTERNAL
#error "util/banned.h is private to libaccord"
#endif

#define BANNED(func) sorry_##func##_is_banned_in_accord

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)

#endif
