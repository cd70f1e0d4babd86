/*
 * pg_compat.h
 *		The differences between the PostgreSQL majors the extension supports
 *		(15 and 17), in one place, behind PG_VERSION_NUM.
 *
 * Each wrapper takes the arguments of the oldest supported major and adds
 * what a newer one needs; the .c files call only the wrappers.  Include it
 * after the server headers that declare the wrapped functions.  See
 * doc/platforms.md for what changed between the majors and what was tested.
 */
#ifndef PG_COMPAT_H
#define PG_COMPAT_H

#include "postgres.h"

/*
 * PostgreSQL 17: getIdentitySequence takes the open Relation (it resolves a
 * partition to its root) instead of the table's OID.
 */
#if PG_VERSION_NUM >= 170000
#define getIdentitySequence_compat(rel, attnum, missing_ok) \
	getIdentitySequence((rel), (attnum), (missing_ok))
#else
#define getIdentitySequence_compat(rel, attnum, missing_ok) \
	getIdentitySequence(RelationGetRelid(rel), (attnum), (missing_ok))
#endif

/*
 * PostgreSQL 16: ExecInsertIndexTuples takes onlySummarizing (true only for
 * a HOT update that needs only the summarizing indexes); a plain insert
 * passes false.
 */
#if PG_VERSION_NUM >= 160000
#define ExecInsertIndexTuples_compat(rri, slot, estate, update, noDupErr, \
									 specConflict, arbiterIndexes)        \
	ExecInsertIndexTuples((rri), (slot), (estate), (update), (noDupErr),  \
						  (specConflict), (arbiterIndexes), false)
#else
#define ExecInsertIndexTuples_compat(rri, slot, estate, update, noDupErr, \
									 specConflict, arbiterIndexes)        \
	ExecInsertIndexTuples((rri), (slot), (estate), (update), (noDupErr),  \
						  (specConflict), (arbiterIndexes))
#endif

/*
 * PostgreSQL 16: make_range takes an escontext for soft input errors; NULL
 * keeps the error hard, as before.
 */
#if PG_VERSION_NUM >= 160000
#define make_range_compat(typcache, lower, upper, empty) \
	make_range((typcache), (lower), (upper), (empty), NULL)
#else
#define make_range_compat(typcache, lower, upper, empty) \
	make_range((typcache), (lower), (upper), (empty))
#endif

/*
 * PostgreSQL 17: the backend's local transaction id moved into
 * PGPROC.vxid.
 */
#if PG_VERSION_NUM >= 170000
#define MyProcLocalTransactionId (MyProc->vxid.lxid)
#else
#define MyProcLocalTransactionId (MyProc->lxid)
#endif

/*
 * PostgreSQL 16: soft input errors.  An input function reports a malformed
 * value with errsave(fcinfo->context, ...), which raises as ereport(ERROR)
 * unless the caller passed an ErrorSaveContext (pg_input_is_valid, and on 17
 * COPY ... ON_ERROR ignore); then it records the error and the function
 * returns.  Before 16 there is no such context: errsave raises.
 */
#if PG_VERSION_NUM < 160000
#define errsave(context, ...) ereport(ERROR, __VA_ARGS__)
#endif

#endif /* PG_COMPAT_H */
