/* SPDX-License-Identifier: MIT
 *
 * The connection lock: SQLite's serialized threading mode for PostgreSQL connections.
 *
 * SQLite holds its connection mutex in every call on a connection and its statements, so
 * threads that share one connection take turns.  The shim does the same (ls_enter and
 * ls_leave in shim.h, called by the generated forwarders).  Most apps never share a
 * connection between threads, and an uncontended recursive mutex still costs two atomic
 * read-modify-writes per call, about 5 ns: 5% of a streamed scan that reads four columns a
 * row (docs/benchmarks.md).  So the lock is biased.  The thread that opens a connection
 * owns the bias.  It enters with a plain store of its nesting depth, a compiler barrier
 * and a plain load of the revoking flag.  The first call from any other thread takes the
 * mutex, sets the flag, runs membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), which makes
 * every thread of the process pass a full memory barrier, and then waits until the
 * owner's depth is 0.  The barrier closes the Dekker race: either the owner's load sees
 * the flag (and it takes the mutex too, behind the revoker), or the revoker's load sees
 * the owner's depth (and waits for its call to end).  The bias is then cleared for good:
 * a connection shared once pays the mutex from then on.
 *
 * Without membarrier (an old kernel, a sandbox that refuses it) no connection is biased.
 */
#include <linux/membarrier.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

int ls_config_threading;

static pthread_once_t barrier_once = PTHREAD_ONCE_INIT;
static bool barrier_ok;

static void barrier_register(void)
{
    barrier_ok = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
}

/* A full memory barrier on every running thread of the process. */
static void heavy_barrier(void)
{
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0)
        return;
    /* not registered in this process (cannot happen: the registration is made before any
     * bias and kept across fork): register and try again; failing that, wait long enough
     * for any store buffer to drain */
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0
        && syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0)
        return;
    struct timespec ms = { 0, 1000000 };
    nanosleep(&ms, NULL);
}

/* See shim.h. */
void ls_conn_mutex_init(ls_conn *c, int open_flags)
{
    c->serialized = (open_flags & SQLITE_OPEN_FULLMUTEX)
                    || (!(open_flags & SQLITE_OPEN_NOMUTEX)
                        && ls_config_threading != SQLITE_CONFIG_MULTITHREAD);
    if (ls_config_threading == SQLITE_CONFIG_SINGLETHREAD)
        c->serialized = false;   /* SQLite ignores the open flags then: no mutexes at all */
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&c->mu, &a);
    pthread_mutexattr_destroy(&a);
    atomic_init(&c->bias_depth, 0);
    atomic_init(&c->revoking, false);
    pthread_once(&barrier_once, barrier_register);
    atomic_init(&c->bias, c->serialized && barrier_ok ? ls_thread_id() : 0);
}

/* See shim.h. */
void ls_conn_lock_slow(ls_conn *c)
{
    pthread_mutex_lock(&c->mu);
    /* Biased to another thread (never to this one: an owner that saw the flag comes here
     * only after the revoker, which holds the mutex, has cleared the bias). */
    if (atomic_load_explicit(&c->bias, memory_order_relaxed) == 0)
        return;
    atomic_store_explicit(&c->revoking, true, memory_order_seq_cst);
    heavy_barrier();
    /* the owner is inside a call: wait for it to leave, as a mutex would */
    for (int n = 0; atomic_load_explicit(&c->bias_depth, memory_order_acquire) != 0; n++) {
        if (n < 64) {
            sched_yield();
        } else {
            struct timespec t = { 0, 50000 };
            nanosleep(&t, NULL);
        }
    }
    atomic_store_explicit(&c->bias, 0, memory_order_relaxed);
}
