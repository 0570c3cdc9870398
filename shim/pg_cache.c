/* SPDX-License-Identifier: MIT
 *
 * The per-connection cache of statements prepared on the server, keyed by rewritten text
 * (uthash, bounded, least recently used first out).  A statement the app prepares again
 * (Python re-prepares on every execute past its own cache) reuses the server's Parse.  An
 * entry in use by a live statement is never evicted; evicted names are deallocated on the
 * server with the next exchange, at no extra round trip (pg_exec.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define uthash_nonfatal_oom(obj) ((void)(obj))
#include <uthash.h>

#include "pg.h"

#define LS_PREP_MAX 256

struct ls_prep {
    char *sql;
    char name[24];
    int refs;
    ls_prep_lean lean;  /* pg_pipe.c: the twin without RETURNING, deallocated with this */
    ls_prep_locked locked; /* pg_exec.c: the twin that takes the locks, likewise */
    unsigned gen;       /* ls_pgconn.schema_gen when prepared: its parameter types are the
                         * server's guess against that schema */
    bool stale;         /* out of the cache since DDL (in c->stale_preps); freed by its
                         * last release */
    ls_prep *next_stale;
    UT_hash_handle hh;
};

static void free_prep(ls_pgconn *c, ls_prep *p)
{
    if (c->rowid_from == p)
        c->rowid_from = NULL;
    ls_prep_dealloc_later(c, p->name);
    if (p->lean.name[0])
        ls_prep_dealloc_later(c, p->lean.name);
    if (p->locked.name[0])
        ls_prep_dealloc_later(c, p->locked.name);
    free(p->sql);
    free(p);
}

const char *ls_prep_name(const ls_prep *p)
{
    return p->name;
}

ls_prep_lean *ls_prep_lean_of(ls_prep *p)
{
    return &p->lean;
}

ls_prep_locked *ls_prep_locked_of(ls_prep *p)
{
    return &p->locked;
}

ls_prep *ls_prep_lookup(ls_pgconn *c, const char *sql)
{
    ls_prep *p = NULL;
    HASH_FIND_STR(c->preps, sql, p);
    if (!p)
        return NULL;
    if (p->gen != c->schema_gen) {
        /* DDL ran since it was prepared: a parameter the server typed against the old table
         * (text for a column now real) would be refused; prepared again by the caller */
        HASH_DELETE(hh, c->preps, p);
        c->n_preps--;
        if (p->refs > 0) {
            p->stale = true;
            p->next_stale = c->stale_preps;
            c->stale_preps = p;
        } else {
            free_prep(c, p);
        }
        return NULL;
    }
    /* most recently used goes to the end of the insertion order */
    HASH_DELETE(hh, c->preps, p);
    HASH_ADD_KEYPTR(hh, c->preps, p->sql, strlen(p->sql), p);
    p->refs++;
    return p;
}

void ls_prep_dealloc_later(ls_pgconn *c, const char *name)
{
    if (c->n_dealloc == c->cap_dealloc) {
        int cap = c->cap_dealloc ? c->cap_dealloc * 2 : 16;
        char **nd = realloc(c->dealloc, (size_t)cap * sizeof *nd);
        if (!nd)
            return; /* the server keeps one more statement until the session ends */
        c->dealloc = nd;
        c->cap_dealloc = cap;
    }
    char *copy = strdup(name);
    if (copy)
        c->dealloc[c->n_dealloc++] = copy;
}

static void evict(ls_pgconn *c)
{
    ls_prep *p, *tmp;
    HASH_ITER(hh, c->preps, p, tmp) {
        if (c->n_preps <= LS_PREP_MAX)
            break;
        if (p->refs > 0)
            continue;
        HASH_DELETE(hh, c->preps, p);
        c->n_preps--;
        free_prep(c, p);
    }
}

ls_prep *ls_prep_add(ls_pgconn *c, const char *sql, const char *name)
{
    ls_prep *p = NULL;
    HASH_FIND_STR(c->preps, sql, p);
    if (p)
        return NULL; /* another statement got there first: the caller keeps its own name */
    p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->sql = strdup(sql);
    if (!p->sql) {
        free(p);
        return NULL;
    }
    snprintf(p->name, sizeof p->name, "%s", name);
    p->refs = 1;
    p->gen = c->schema_gen;
    HASH_ADD_KEYPTR(hh, c->preps, p->sql, strlen(p->sql), p);
    if (!p->hh.tbl && c->preps != p) { /* out of memory inside uthash */
        free(p->sql);
        free(p);
        return NULL;
    }
    c->n_preps++;
    evict(c);
    return p;
}

void ls_prep_release(ls_pgconn *c, ls_prep *p)
{
    if (!p)
        return;
    if (p->refs > 0)
        p->refs--;
    if (p->stale && p->refs == 0) {
        for (ls_prep **q = &c->stale_preps; *q; q = &(*q)->next_stale)
            if (*q == p) {
                *q = p->next_stale;
                break;
            }
        free_prep(c, p);
    }
    evict(c);
}

void ls_prep_forget_all(ls_pgconn *c)
{
    ls_prep *p, *tmp;
    c->rowid_from = NULL;
    ls_lean_reset(c);   /* the session goes: its currval with it */
    HASH_ITER(hh, c->preps, p, tmp) {
        HASH_DELETE(hh, c->preps, p);
        free(p->sql);
        free(p);
    }
    c->n_preps = 0;
    while (c->stale_preps) {   /* the statements using them have let go (reconnection) */
        p = c->stale_preps;
        c->stale_preps = p->next_stale;
        free(p->sql);
        free(p);
    }
    for (int i = 0; i < c->n_dealloc; i++)
        free(c->dealloc[i]);
    c->n_dealloc = 0;
    free(c->dealloc);
    c->dealloc = NULL;
    c->cap_dealloc = 0;
}
