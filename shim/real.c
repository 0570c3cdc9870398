/* SPDX-License-Identifier: MIT
 *
 * The real libsqlite3: loaded with dlopen (never linked, or our own definitions would shadow
 * it), every export looked up once into ls_real.  Nothing else lives here.
 *
 * The library is named by LITESHIFT_SQLITE_LIB (default "libsqlite3.so.0").  Loading happens
 * in a constructor; a call that arrives earlier goes through the slot's lazy stub, which
 * loads it through pthread_once.  A missing library or function leaves a failure stub in
 * the slot: the call returns its failure value and the reason goes to stderr once.
 *
 * Self-binding.  SQLite calls its own public functions through its PLT (Debian builds it
 * without -Bsymbolic), so with the shim loaded every internal sqlite3_mutex_enter,
 * sqlite3_free or sqlite3_value_type would make a detour through our forwarder.  Those calls
 * come from the real library and can only carry real handles, so after loading we point the
 * real library's own PLT slots (its JUMP_SLOT relocations against its own exported
 * functions) back at its own definitions, as if it had been linked with -Bsymbolic.  Address-
 * taken references (GLOB_DAT) are left alone, so function-pointer identity and the shared
 * data symbols are unchanged.  LITESHIFT_NO_SELFBIND=1 turns this off.  The effect is
 * measured in docs/benchmarks.md (tests/bench/passthrough.sh).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shim.h"
#include "log.h"
#include "capture.h"

static const char *const names[LS_FN_COUNT] = { LS_REAL_NAMES };
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static void *lib;
static const char *lib_path;

void ls_real_missing(const char *fn)
{
    static int told;
    if (!__atomic_exchange_n(&told, 1, __ATOMIC_RELAXED))
        fprintf(stderr, "liteshift: %s is not available in the real SQLite library %s\n", fn,
                lib_path ? lib_path : "libsqlite3.so.0");
}

#if defined(__x86_64__)
#define LS_JUMP_SLOT R_X86_64_JUMP_SLOT
#elif defined(__aarch64__)
#define LS_JUMP_SLOT R_AARCH64_JUMP_SLOT
#endif

#ifdef LS_JUMP_SLOT
struct relro_query {
    uintptr_t base;      /* l_addr of the library */
    uintptr_t lo, hi;    /* its PT_GNU_RELRO range, 0/0 when it has none */
};

static int find_relro(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct relro_query *q = arg;
    if (info->dlpi_addr != q->base)
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
            q->lo = q->base + info->dlpi_phdr[i].p_vaddr;
            q->hi = q->lo + info->dlpi_phdr[i].p_memsz;
        }
    return 1;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Point the real library's PLT slots for its own exported sqlite3 functions at those
 * functions.  Returns the number of slots rebound; 0 when nothing could be done. */
static int selfbind(void)
{
    struct link_map *lm = NULL;
    if (dlinfo(lib, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
        return 0;
    const ElfW(Rela) *jmprel = NULL;
    size_t pltrelsz = 0;
    const ElfW(Sym) *symtab = NULL;
    const char *strtab = NULL;
    for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_JMPREL: jmprel = (const ElfW(Rela) *)d->d_un.d_ptr; break;
        case DT_PLTRELSZ: pltrelsz = d->d_un.d_val; break;
        case DT_SYMTAB: symtab = (const ElfW(Sym) *)d->d_un.d_ptr; break;
        case DT_STRTAB: strtab = (const char *)d->d_un.d_ptr; break;
        case DT_PLTREL: if (d->d_un.d_val != DT_RELA) return 0; break;
        }
    }
    if (!jmprel || !symtab || !strtab)
        return 0;
    /* sorted copy of our export names for bsearch */
    const char *sorted[LS_FN_COUNT];
    memcpy(sorted, names, sizeof sorted);
    qsort(sorted, LS_FN_COUNT, sizeof sorted[0], cmp_name);

    long page = sysconf(_SC_PAGESIZE);
    size_t n = pltrelsz / sizeof(ElfW(Rela));
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        const ElfW(Rela) *r = &jmprel[i];
        if (ELF64_R_TYPE(r->r_info) != LS_JUMP_SLOT)
            continue;
        uintptr_t slot = lm->l_addr + r->r_offset;
        if (slot < lo)
            lo = slot;
        if (slot + sizeof(void *) > hi)
            hi = slot + sizeof(void *);
    }
    if (hi <= lo)
        return 0;
    uintptr_t start = lo & ~(uintptr_t)(page - 1);
    size_t len = hi - start;
    /* Restore what was there: read-only inside RELRO (BIND_NOW builds), writable outside
     * (lazy binding writes these slots itself).  A range straddling the two is left alone. */
    struct relro_query q = { lm->l_addr, 0, 0 };
    dl_iterate_phdr(find_relro, &q);
    int restore;
    if (q.hi > q.lo && start >= (q.lo & ~(uintptr_t)(page - 1)) && hi <= q.hi)
        restore = PROT_READ;
    else if (q.hi <= q.lo || hi <= q.lo || start >= q.hi)
        restore = PROT_READ | PROT_WRITE;
    else
        return 0;
    if (mprotect((void *)start, len, PROT_READ | PROT_WRITE) != 0)
        return 0;
    int bound = 0;
    for (size_t i = 0; i < n; i++) {
        const ElfW(Rela) *r = &jmprel[i];
        if (ELF64_R_TYPE(r->r_info) != LS_JUMP_SLOT)
            continue;
        const ElfW(Sym) *sym = &symtab[ELF64_R_SYM(r->r_info)];
        if (sym->st_shndx == SHN_UNDEF || ELF64_ST_TYPE(sym->st_info) != STT_FUNC)
            continue;
        const char *name = strtab + sym->st_name;
        if (strncmp(name, "sqlite3", 7) != 0 ||
            !bsearch(&name, sorted, LS_FN_COUNT, sizeof sorted[0], cmp_name))
            continue;
        void **slot = (void **)(lm->l_addr + r->r_offset);
        *slot = (void *)(lm->l_addr + sym->st_value);
        bound++;
    }
    mprotect((void *)start, len, restore);
    return bound;
}
#else
static int selfbind(void)
{
    return 0;
}
#endif

static void load_all(void)
{
    const char *path = getenv("LITESHIFT_SQLITE_LIB");
    if (!path || !*path)
        path = "libsqlite3.so.0";
    lib_path = path;
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    void **slots = (void **)&ls_real; /* a struct of function pointers, one per export */
    if (!lib) {
        fprintf(stderr, "liteshift: cannot load the real SQLite library: %s\n", dlerror());
        for (int i = 0; i < LS_FN_COUNT; i++)
            slots[i] = ls_real_fail[i];
        return;
    }
    int missing = 0;
    for (int i = 0; i < LS_FN_COUNT; i++) {
        void *fn = dlsym(lib, names[i]);
        if (!fn)
            missing++;
        slots[i] = fn ? fn : ls_real_fail[i];
    }
    if (missing)
        ls_log(LS_LOG_WARN, 0, "%s lacks %d of the %d sqlite3 functions liteshift exports",
               path, missing, LS_FN_COUNT);
    ls_capture_install(); /* statement capture: swaps a few slots when LITESHIFT_CAPTURE is set */
    const char *no_sb = getenv("LITESHIFT_NO_SELFBIND");
    int bound = (no_sb && *no_sb && *no_sb != '0') ? 0 : selfbind();
    const char *use_pg = getenv("USE_POSTGRES");
    ls_log(LS_LOG_INFO, 0,
           "libliteshift loaded: real library %s (SQLite %s), %d self-calls rebound, "
           "USE_POSTGRES=%s",
           path, ls_real.sqlite3_libversion(), bound, use_pg ? use_pg : "(unset)");
}

void ls_real_load(void)
{
    pthread_once(&load_once, load_all);
}

/* See shim.h. */
void *ls_real_resolve(int index)
{
    ls_real_load();
    if (index < 0 || index >= LS_FN_COUNT)
        return NULL;
    return ((void **)&ls_real)[index];
}

__attribute__((constructor)) static void real_init(void)
{
    ls_real_load();
}
