/*
 * records.h
 *		Support shared by the triggers and functions on the record tables
 *		(person, entry, control, lab_test, verification, task): column maps,
 *		index probes and the trigger-call checks.
 */
#ifndef QUARANTINE_RECORDS_H
#define QUARANTINE_RECORDS_H

#include "rules/rules.h"
#include "records/query_context.h"
#include "rules/rule.h"

#include "access/genam.h"
#include "access/htup.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#define MAX_MAPPED_COLUMNS 32

/*
 * Attribute numbers of named columns of one table, looked up once and
 * forgotten on any relcache invalidation (so ALTER TABLE cannot leave a stale
 * map).  Declare a map static with its column names; call ColumnMapFor().
 */
typedef struct ColumnMap
{
	const char *const *names; /* NULL-terminated */
	Oid				   relid;
	bool			   valid;
	int				   attnum[MAX_MAPPED_COLUMNS];
} ColumnMap;

extern void ColumnMapFor(ColumnMap *map, Relation rel);
/* The same for table quarantine.relname, opened briefly when needed. */
extern void ColumnMapForTable(ColumnMap *map, const char *relname);

/*
 * A probe of one index of the quarantine schema by equality on its leading
 * key columns, visiting the matching rows visible to SnapshotSelf (which sees
 * rows written earlier by the same statement, e.g. the same COPY).  Cheaper
 * than SPI on the per-row path of a trigger.
 */
typedef struct IndexProbe
{
	const char *indexname;
	bool		valid;
	Oid			indexoid;
	Oid			heapoid;
	int			nkeys;
	Oid			eqproc[INDEX_MAX_KEYS];
	Oid			collation[INDEX_MAX_KEYS];
	/* the (sub)transaction that holds the probe's locks (kept to its end) */
	LocalTransactionId locked_lxid;
	SubTransactionId   locked_subxid;
} IndexProbe;

/* Return false to stop the scan. */
typedef bool (*ProbeVisitor)(TupleTableSlot *slot, void *arg);

extern int ProbeIndex(IndexProbe *probe, int nkeys, const Datum *keys,
					  ProbeVisitor visit, void *arg);
/*
 * The same through a heap the caller opened (the table of
 * ProbeIndexHeap(probe)), which it then uses further, as lot_release locks
 * the row it found.
 */
extern Oid ProbeIndexHeap(IndexProbe *probe);
extern int ProbeIndexIn(IndexProbe *probe, Relation heap, int nkeys,
						const Datum *keys, ProbeVisitor visit, void *arg);

/*
 * Whether the row in slot was written by the current command (an earlier row
 * of the same INSERT or COPY): its id would not exist after the statement
 * fails, so a DETAIL names the input instead (issue #11 item 10).
 */
extern bool SlotWrittenByThisCommand(TupleTableSlot *slot);

/*
 * An index scan of one table of schema quarantine by equality on the leading
 * bigint column of an index (person_id), opened once and rescanned for many
 * keys under one MVCC snapshot: the set-based paths (refresh_codes, the feed
 * triggers) visit a million persons without reopening relations.
 */
typedef struct PersonScan
{
	Relation		heap;
	Relation		index;
	IndexScanDesc	scan;
	TupleTableSlot *slot;
	MemoryContext	cxt; /* where the scan lives; it allocates lazily */
} PersonScan;

extern void PersonScanOpen(PersonScan *s, const char *relname,
						   const char *indexname, Snapshot snapshot);
extern void PersonScanStart(PersonScan *s, int64 person_id);
extern bool PersonScanNext(PersonScan *s);
extern void PersonScanClose(PersonScan *s);
/* 42501 unless the current user may SELECT from the scanned table: the
 * SQL-callable readers check what a query of theirs would need. */
extern void PersonScanRequireSelect(PersonScan *s);

/*
 * A scan of one table by an index leading with person_id, for persons asked
 * in ascending order: it walks forward through the index, reading each entry's
 * person_id from the index tuple, and descends the tree afresh only when the
 * next person asked is more than a few entries ahead.  A statement's persons,
 * sorted, cost one pass over the stretch of the index they span, not one
 * descent each (the colour feed and its locks: health_facts.c, record_locks.c).
 */
typedef struct MergedScan
{
	PersonScan ps;
	bool	   started; /* positioned by a first seek */
	bool	   done;	/* no entry at or after the position */
	bool	   fetched; /* the heap row of the entry at hand was read */
	int64	   cur;		/* person_id of the entry at hand */
	int64	   want;	/* the person asked for */
} MergedScan;

extern void MergedScanBegin(MergedScan *m);
/* Position at the rows of person_id (ascending from call to call). */
extern void MergedScanStart(MergedScan *m, int64 person_id);
/* The next row of that person into m->ps.slot; false at its end. */
extern bool MergedScanNext(MergedScan *m);
extern void MergedScanClose(MergedScan *m);

/*
 * Point a read pointer of its own at the start of a trigger's transition
 * table, to read it with tuplestore_gettupleslot into a minimal-tuple slot
 * (several statement triggers read the same table).
 */
extern void TransitionTableStartReading(Tuplestorestate *rows);

/* 42704 for a table or index of the extension that is missing. */
extern void MissingRelation(const char *relname) pg_attribute_noreturn();

/* Column value of a slot by attribute number. */
static inline Datum
SlotValue(TupleTableSlot *slot, int attnum, bool *isnull)
{
	return slot_getattr(slot, attnum, isnull);
}

/*
 * Checks that fcinfo is a ROW trigger fired BEFORE (or AFTER) as declared, on
 * table quarantine.<table> and no other.
 */
extern TriggerData *RowTriggerData(FunctionCallInfo fcinfo, const char *fname,
								   const char *table, bool before);
/* The same for an AFTER statement trigger, on one of tables (NULL-ended). */
extern TriggerData *StatementTriggerData(FunctionCallInfo	fcinfo,
										 const char		   *fname,
										 const char *const *tables);

/*
 * Whether this session is pg_restore putting back dumped rows into rel, as a
 * role that could disable its triggers anyway (restore_mode.c): then a
 * trigger of the extension stores the row as it came (a BEFORE ROW trigger
 * returns TriggerRow(td) unchanged, a statement trigger does nothing).
 */
extern bool RestoringInto(Relation rel);

/* The tuple a BEFORE ROW trigger works on (new for INSERT/UPDATE). */
static inline HeapTuple
TriggerRow(TriggerData *td)
{
	return TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple
												 : td->tg_trigtuple;
}

/*
 * Whether the caller may see row key of quarantine.table under row-level
 * security (true where none applies).  The rules see every row through
 * index probes; this decides only what an error may tell about one found in
 * another jurisdiction.  It runs a query, so only on the error path.
 */
extern bool RowVisibleToCaller(const char *table, const char *keycol,
							   int64 key);

/*
 * 42501 unless the caller may see person person_id under row-level security:
 * for the SQL-callable functions that read a person's rows through index
 * scans (code_color, nat_proof_valid), which no policy filters.
 */
extern void RequirePersonInScope(int64 person_id);
/*
 * person_scope (doc/security.md): an operator reads and writes only the
 * persons of its jurisdictions, and the rows that follow them (42501).  The
 * extension checks it before row security would, so that the refusal names
 * its rule, table and column: jurisdiction, the person's own (when a person
 * row is written; NULL and person_id 0 when it has none), else person_id,
 * a person the caller does not see.  Nothing of the other district is told.
 */
extern bool PersonScope(int64 person_id, const char *jurisdiction,
						bool in_scope, Problem *p);
/* Whether jurisdiction code is one of the caller's (always, for a role row
 * security does not apply to). */
extern bool JurisdictionInCallerScope(const char *code);
/* person_scope on a row of rel whose column names person person_id. */
extern void RequirePersonRowInScope(int64 person_id, Relation rel,
									AttrNumber column);
/* person_scope on the row a BEFORE trigger of a table that follows the
 * person (entry, lab_test, verification) writes: on INSERT and on an UPDATE
 * that changes person_id; not for a quarantine_admin. */
extern void RequireWrittenPersonInScope(TriggerData *td);

/*
 * Whether site site_id lies in the caller's jurisdictions (operator_scope
 * and their children; every site for a role without row security), asked
 * with the caller's rights.
 */
extern bool SiteInCallerScope(int64 site_id);

/* Whether the current user is a superuser or acts as quarantine_admin. */
extern bool CallerIsAdmin(void);

/*
 * A refusal never tells an operator another district's facts: when row key
 * of table (the row a problem's DETAIL describes: another person's entry,
 * another district's control) is not one the caller may see, the DETAIL and
 * HINT are replaced by a sentence that names no value.  Runs on the error
 * path only.
 */
extern void HideIfUnseen(Problem *p, const char *table, const char *keycol,
						 int64 key);

/* Require, with HideIfUnseen on the row the problem describes. */
extern void RequireShown(bool ok, Problem *p, Relation rel, const char *table,
						 const char *keycol, int64 key);

/* Today as a local date in quarantine.timezone (transaction start time). */
extern DateADT LocalToday(void);

/*
 * Run one SQL statement through SPI with the trigger's transition tables, as
 * the extension owner, with $1 the caller's role name (query_context.h).
 */
extern void ExecuteWithTransitionTables(OwnerEntry entry, TriggerData *td,
										const char *sql, int nargs,
										Oid *argtypes, Datum *values,
										const char *nulls);

#endif /* QUARANTINE_RECORDS_H */
