/*
 * staged_load.h
 *		The keep-the-good-rows loader (doc/etl.md, "SQL-only path"):
 *		load_staged(target, batch [, staging]) in staged_load.c, and the
 *		turning of one refused row into an import_reject row in
 *		staged_reject.c; what both share is in staged_rows.c.
 *
 * The triggers are the one source of every verdict: the loader never checks
 * a row itself.  It inserts a range of staged rows in one statement inside a
 * subtransaction; when the statement fails with a data error (class 22 or
 * 23) it splits the range until the failing row stands alone, and records
 * that row with the error it raised.
 */
#ifndef QUARANTINE_STAGED_LOAD_H
#define QUARANTINE_STAGED_LOAD_H

#include "postgres.h"

/* One column the load writes: a column of the staging table and the target. */
typedef struct LoadColumn
{
	char *name;
	Oid	  type;	  /* the target column's type */
	int32 typmod; /* and its typmod */
	Oid	  staged; /* the staging column's type */
} LoadColumn;

/* One call of load_staged. */
typedef struct StagedLoad
{
	const char *target;	 /* person, entry, control or lab_test */
	char	   *staging; /* the staging table, quoted and qualified */
	char	   *batch;
	int			ncolumns;
	LoadColumn *columns;
	Datum		caller_scope; /* CallerScope(), for the rejects */
	bool		caller_scope_null;
	bool		numbered; /* the staging table has batch and row_no */
} StagedLoad;

/* The temporary table holding the rows of one load (created per call). */
#define LOAD_WORK_TABLE "pg_temp.quarantine_load_work"

/*
 * Write the work row with ordinal n whole to import_reject, with the rule
 * named by the error it raised (staged_reject.c).  Runs inside the load's
 * SPI connection; the error is a data error (class 22 or 23).
 */
extern void RecordReject(const StagedLoad *load, int n,
						 const ErrorData *error);

/*
 * Write one reject with the owner's rights (import_reject is written by the
 * extension only).  Every value was computed as the caller: the owner's
 * statement reads no relation of the caller and evaluates nothing of its
 * (doc/security.md, "The owner-rights rule").  A reject recorded before
 * (same target, batch, row number, rule and row) is not written again.
 */
extern void InsertReject(const StagedLoad *load, Datum row_no,
						 bool row_no_null, const char *rule,
						 const char *message, const char *detail,
						 const char *hint, const char *sqlstate, Datum row);

/*
 * Run fn(arg) in an internal subtransaction: NULL when it returned; the error
 * when it raised a data error (class 22 or 23), the subtransaction rolled
 * back; any other error is raised again (staged_load.c).
 */
extern ErrorData *CatchDataError(void (*fn)(void *), void *arg);

/* SQL of the staged row of work row w as jsonb ($1 the batch). */
extern char *StagedRowSql(const StagedLoad *load);

/* The rule name of an error a staged row raised (see doc/etl.md). */
extern char *RejectRule(const StagedLoad *load, const ErrorData *error,
						const char *const *values);

#endif /* QUARANTINE_STAGED_LOAD_H */
