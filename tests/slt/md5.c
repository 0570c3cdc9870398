/* SPDX-License-Identifier: MIT
 *
 * MD5 as RFC 1321 specifies it, written for the sqllogictest runner (see md5.h).  The 64 round
 * constants are the integer parts of |sin(i + 1)| * 2^32, computed once at first use.
 */
#include "md5.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static uint32_t K[64];
static int k_ready;

static const unsigned char SHIFT[64] = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

static uint32_t rotl(uint32_t x, unsigned s) { return (x << s) | (x >> (32 - s)); }

static void compress(uint32_t h[4], const unsigned char block[64])
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] | (uint32_t)block[4 * i + 1] << 8 |
               (uint32_t)block[4 * i + 2] << 16 | (uint32_t)block[4 * i + 3] << 24;
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        uint32_t t = d;
        d = c;
        c = b;
        b = b + rotl(a + f + K[i] + w[g], SHIFT[i]);
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

void slt_md5_init(slt_md5 *m)
{
    if (!k_ready) {
        for (int i = 0; i < 64; i++)
            K[i] = (uint32_t)floor(fabs(sin((double)(i + 1))) * 4294967296.0);
        k_ready = 1;
    }
    m->h[0] = 0x67452301u;
    m->h[1] = 0xefcdab89u;
    m->h[2] = 0x98badcfeu;
    m->h[3] = 0x10325476u;
    m->len = 0;
    m->used = 0;
}

void slt_md5_update(slt_md5 *m, const void *data, size_t n)
{
    const unsigned char *p = data;
    m->len += n;
    while (n > 0) {
        size_t take = 64 - m->used;
        if (take > n)
            take = n;
        memcpy(m->buf + m->used, p, take);
        m->used += take;
        p += take;
        n -= take;
        if (m->used == 64) {
            compress(m->h, m->buf);
            m->used = 0;
        }
    }
}

void slt_md5_final_hex(slt_md5 *m, char hex[33])
{
    uint64_t bits = m->len * 8;
    unsigned char pad = 0x80, zero = 0, lenle[8];
    slt_md5_update(m, &pad, 1);
    while (m->used != 56)
        slt_md5_update(m, &zero, 1);
    for (int i = 0; i < 8; i++)
        lenle[i] = (unsigned char)(bits >> (8 * i));
    slt_md5_update(m, lenle, 8);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            snprintf(hex + 8 * i + 2 * j, 3, "%02x", (unsigned)((m->h[i] >> (8 * j)) & 0xff));
    hex[32] = '\0';
}
