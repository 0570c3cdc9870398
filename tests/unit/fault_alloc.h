/* SPDX-License-Identifier: MIT
 *
 * Allocation fault injection for unit tests: executables linked with ls_fault_alloc (see
 * rewriter_core.cmake) route malloc, calloc and realloc of their own objects and static
 * libraries through wrappers that fail the n-th call on demand.
 */
#ifndef LS_FAULT_ALLOC_H
#define LS_FAULT_ALLOC_H

#include <stddef.h>

/* Make the n-th allocation from now fail (1 = the next one), and every one after it when
 * persist is nonzero; n = 0 disables injection. */
void fault_alloc_arm(long n, int persist);
/* Allocation failures injected since the last arm. */
long fault_alloc_failures(void);

#endif
