/* SPDX-License-Identifier: MIT
 *
 * libpq, loaded when first needed.  Linking libpq would make every program that preloads
 * the shim load and relocate libpq and its two dozen dependencies (TLS, Kerberos, LDAP...)
 * at start, even in pass-through where PostgreSQL is never used: about 12 million
 * instructions (docs/benchmarks.md).  Instead every source of the shim (compat/'s copy
 * included) is compiled with this header forced in first (-include): each libpq function it
 * uses becomes a call through ls_pq, a table filled by ls_pq_load() with dlopen/dlsym on
 * the first PostgreSQL open (pg_conn.c).  No PostgreSQL handle exists before that, so no
 * call can reach an empty slot.  Adding a libpq call to the shim means adding its name to
 * LS_PQ_FUNCS and a #define below; the link (-z defs, no -lpq) fails until then.
 */
#ifndef LS_PQ_LAZY_H
#define LS_PQ_LAZY_H

/* Forced in before each file's own first line (shim/CMakeLists.txt), so it sets the feature
 * macro that real.c and capture.c define (identically) before their system headers. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <libpq-fe.h>

#define LS_PQ_FUNCS(X) \
    X(PQbackendPID) \
    X(PQcancel) \
    X(PQconsumeInput) \
    X(PQisBusy) \
    X(PQsocket) \
    X(PQclear) \
    X(PQcmdStatus) \
    X(PQcmdTuples) \
    X(PQconnectdbParams) \
    X(PQenterPipelineMode) \
    X(PQexitPipelineMode) \
    X(PQerrorMessage) \
    X(PQexec) \
    X(PQfinish) \
    X(PQflush) \
    X(PQfname) \
    X(PQfreeCancel) \
    X(PQftable) \
    X(PQftablecol) \
    X(PQftype) \
    X(PQgetCancel) \
    X(PQgetResult) \
    X(PQgetisnull) \
    X(PQgetlength) \
    X(PQgetvalue) \
    X(PQmakeEmptyPGresult) \
    X(PQnfields) \
    X(PQnparams) \
    X(PQparamtype) \
    X(PQntuples) \
    X(PQpipelineStatus) \
    X(PQpipelineSync) \
    X(PQresultErrorField) \
    X(PQresultErrorMessage) \
    X(PQresultStatus) \
    X(PQsendDescribePrepared) \
    X(PQsendFlushRequest) \
    X(PQsendPrepare) \
    X(PQsendQueryParams) \
    X(PQsendQueryPrepared) \
    X(PQserverVersion) \
    X(PQsetNoticeProcessor) \
    X(PQsetNoticeReceiver) \
    X(PQsetResultAttrs) \
    X(PQsetSingleRowMode) \
    X(PQsetvalue) \
    X(PQstatus) \
    X(PQtransactionStatus)

/* One pointer per function, typed from libpq-fe.h's own prototype. */
struct ls_pq_api {
#define LS_PQ_MEMBER(f) __typeof__(f) *fn_##f;
    LS_PQ_FUNCS(LS_PQ_MEMBER)
#undef LS_PQ_MEMBER
};
extern struct ls_pq_api ls_pq;

/* Load libpq once (thread-safe).  0 when every function was found, else -1 with a reason
 * in the shim's log; callers answer SQLITE_CANTOPEN. */
int ls_pq_load(void);

#define PQbackendPID (ls_pq.fn_PQbackendPID)
#define PQcancel (ls_pq.fn_PQcancel)
#define PQconsumeInput (ls_pq.fn_PQconsumeInput)
#define PQisBusy (ls_pq.fn_PQisBusy)
#define PQsocket (ls_pq.fn_PQsocket)
#define PQclear (ls_pq.fn_PQclear)
#define PQcmdStatus (ls_pq.fn_PQcmdStatus)
#define PQcmdTuples (ls_pq.fn_PQcmdTuples)
#define PQconnectdbParams (ls_pq.fn_PQconnectdbParams)
#define PQenterPipelineMode (ls_pq.fn_PQenterPipelineMode)
#define PQexitPipelineMode (ls_pq.fn_PQexitPipelineMode)
#define PQerrorMessage (ls_pq.fn_PQerrorMessage)
#define PQexec (ls_pq.fn_PQexec)
#define PQfinish (ls_pq.fn_PQfinish)
#define PQflush (ls_pq.fn_PQflush)
#define PQfname (ls_pq.fn_PQfname)
#define PQfreeCancel (ls_pq.fn_PQfreeCancel)
#define PQftable (ls_pq.fn_PQftable)
#define PQftablecol (ls_pq.fn_PQftablecol)
#define PQftype (ls_pq.fn_PQftype)
#define PQgetCancel (ls_pq.fn_PQgetCancel)
#define PQgetResult (ls_pq.fn_PQgetResult)
#define PQgetisnull (ls_pq.fn_PQgetisnull)
#define PQgetlength (ls_pq.fn_PQgetlength)
#define PQgetvalue (ls_pq.fn_PQgetvalue)
#define PQmakeEmptyPGresult (ls_pq.fn_PQmakeEmptyPGresult)
#define PQnfields (ls_pq.fn_PQnfields)
#define PQnparams (ls_pq.fn_PQnparams)
#define PQparamtype (ls_pq.fn_PQparamtype)
#define PQntuples (ls_pq.fn_PQntuples)
#define PQpipelineStatus (ls_pq.fn_PQpipelineStatus)
#define PQpipelineSync (ls_pq.fn_PQpipelineSync)
#define PQresultErrorField (ls_pq.fn_PQresultErrorField)
#define PQresultErrorMessage (ls_pq.fn_PQresultErrorMessage)
#define PQresultStatus (ls_pq.fn_PQresultStatus)
#define PQsendDescribePrepared (ls_pq.fn_PQsendDescribePrepared)
#define PQsendFlushRequest (ls_pq.fn_PQsendFlushRequest)
#define PQsendPrepare (ls_pq.fn_PQsendPrepare)
#define PQsendQueryParams (ls_pq.fn_PQsendQueryParams)
#define PQsendQueryPrepared (ls_pq.fn_PQsendQueryPrepared)
#define PQserverVersion (ls_pq.fn_PQserverVersion)
#define PQsetNoticeProcessor (ls_pq.fn_PQsetNoticeProcessor)
#define PQsetNoticeReceiver (ls_pq.fn_PQsetNoticeReceiver)
#define PQsetResultAttrs (ls_pq.fn_PQsetResultAttrs)
#define PQsetSingleRowMode (ls_pq.fn_PQsetSingleRowMode)
#define PQsetvalue (ls_pq.fn_PQsetvalue)
#define PQstatus (ls_pq.fn_PQstatus)
#define PQtransactionStatus (ls_pq.fn_PQtransactionStatus)

#endif
