/* SPDX-License-Identifier: MIT
 *
 * MD5 (RFC 1321) for the sqllogictest runner: the reference runner reports large results as
 * "N values hashing to <md5 hex>", so the runner must compute the same digest.  Not a
 * security primitive.  Caller-owned state, no allocation.
 */
#ifndef LS_SLT_MD5_H
#define LS_SLT_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[4];
    uint64_t len;          /* bytes fed so far */
    unsigned char buf[64];
    size_t used;           /* bytes pending in buf */
} slt_md5;

void slt_md5_init(slt_md5 *m);
void slt_md5_update(slt_md5 *m, const void *data, size_t n);
/* Writes 32 lowercase hex digits and a NUL into hex. */
void slt_md5_final_hex(slt_md5 *m, char hex[33]);

#endif
