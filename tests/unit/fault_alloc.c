/* SPDX-License-Identifier: MIT
 *
 * The allocation wrappers behind fault_alloc.h, installed with -Wl,--wrap: a countdown
 * decides which call returns NULL; everything else goes to the real allocator.
 */
#include <stddef.h>

#include "fault_alloc.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *ptr, size_t size);

static long countdown;   /* 0: off; else calls left until the failing one */
static int persist;      /* keep failing once the countdown has fired */
static long failures;

void fault_alloc_arm(long n, int keep_failing)
{
    countdown = n;
    persist = keep_failing;
    failures = 0;
}

long fault_alloc_failures(void)
{
    return failures;
}

static int should_fail(void)
{
    if (countdown == 0)
        return 0;
    if (countdown > 1) {
        countdown--;
        return 0;
    }
    if (!persist)
        countdown = 0;
    failures++;
    return 1;
}

void *__wrap_malloc(size_t size)
{
    return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
    return should_fail() ? NULL : __real_realloc(ptr, size);
}
