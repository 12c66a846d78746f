#ifndef DRYDOCK_SETUP_H
#define DRYDOCK_SETUP_H

/*
 * Included first by every .c file of the library and the program: feature
 * macros, then the banned-functions list.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define _FILE_OFFSET_BITS 64

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#endif
