#ifndef DRYDOCK_BANNED_H
#define DRYDOCK_BANNED_H

/*
 * Functions that are easy to misuse on untrusted input. Using one is a
 * compile error; use drydock_buf, snprintf, drydock_strnum_* instead.
 */

#define DRYDOCK_BANNED(func) sorry_##func##_is_banned_in_drydock

#undef strcpy
#define strcpy(x, y) DRYDOCK_BANNED(strcpy)
#undef strcat
#define strcat(x, y) DRYDOCK_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) DRYDOCK_BANNED(strncpy)
#undef sprintf
#define sprintf(...) DRYDOCK_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) DRYDOCK_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) DRYDOCK_BANNED(strtok)
#undef atoi
#define atoi(x) DRYDOCK_BANNED(atoi)
#undef atol
#define atol(x) DRYDOCK_BANNED(atol)
#undef gmtime
#define gmtime(x) DRYDOCK_BANNED(gmtime)
#undef localtime
#define localtime(x) DRYDOCK_BANNED(localtime)
#undef ctime
#define ctime(x) DRYDOCK_BANNED(ctime)
#undef asctime
#define asctime(x) DRYDOCK_BANNED(asctime)
#undef mktemp
#define mktemp(x) DRYDOCK_BANNED(mktemp)

#endif
