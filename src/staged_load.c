/*
 * staged_load.c
 *		load_staged(target regclass, batch text [, staging regclass])
 *		→ (staged, accepted, rejected, loaded): the rows of one batch of
 *		<target>_staging written into person, entry, control or lab_test,
 *		every good row kept and every bad row recorded (see staged_load.h).
 *
 * The load in steps, all as the caller (so grants, row security and the
 * audit log see the caller), except the ledger and the rejects, which are
 * log tables read and written with the owner's rights.  Those owner
 * statements get every value as a parameter computed as the caller: they
 * never read the caller's staging table or the work table (which the
 * caller owns), and a staging table may hold only columns of built-in types
 * or types of the extension, so that no cast, output function or operator
 * of the caller's runs, even as the caller (doc/security.md):
 *
 * 1. The batch's distinct staged rows go into a temporary work table, each
 *    judged against the ledger: already loaded (skipped), without a usable
 *    row number (refused: staged_row_no), or to load, numbered (load_n) in
 *    row_no order, densely 1..N, N the rows to load.
 * 2. The rows to load are inserted range by range, each range one INSERT
 *    ... SELECT in an internal subtransaction (as PL/pgSQL's exception
 *    blocks do).  The first range is 1..N.  When it fails with a data error
 *    the subtransaction is rolled back and the range split: at the row the
 *    INSERT was at when the error was raised (load_staged_mark tells) when
 *    that row is not the range's last, else in quarters.  A failing single
 *    row is recorded in import_reject.  So a clean batch costs one INSERT,
 *    and each bad row a few more statements, not a re-insert of the batch.
 *    Any other error (access, deadlock, out of memory, cancel) is raised
 *    again as it came: nothing is written.
 * 3. The ledger load_accept gets every row written.
 */
#include "staged_load.h"

#include "query_context.h"
#include "quarantine.h"
#include "records.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "parser/parse_relation.h"
#include "rewrite/rewriteHandler.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(load_staged);
PG_FUNCTION_INFO_V1(load_staged_mark);

/* The tables load_staged writes. */
static const char *const loadable[] = {"person", "entry", "control",
									   "lab_test", NULL};

/* The staged row the running INSERT is at (load_staged_mark). */
static int32 mark_n = 0;
static int32 mark_row_no = 0;

/*
 * load_staged_mark(n, row_no) → n: called in the INSERT's row source for
 * each row it hands to the insert, after any sort, so that when the INSERT
 * fails the last mark is the row being inserted (or, for an error at the
 * end of the statement, the last row).
 */
Datum
load_staged_mark(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	mark_n = PG_GETARG_INT32(0);
	mark_row_no = PG_ARGISNULL(1) ? 0 : PG_GETARG_INT32(1);
	PG_RETURN_INT32(mark_n);
}

/* The target's name when it is one of the loadable tables, else an error. */
static const char *
LoadableTarget(Oid relid)
{
	const char *name = get_rel_name(relid);

	if (name != NULL && get_rel_namespace(relid) == QuarantineNamespace())
	{
		for (int i = 0; loadable[i] != NULL; i++)
			if (strcmp(loadable[i], name) == 0)
				return loadable[i];
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("load_staged cannot load into %s",
					name ? name : "an unknown table"),
			 errdetail("The target given is relation %u (%s).", relid,
					   name ? name : "no such relation"),
			 errhint("The target is quarantine.person, quarantine.entry, "
					 "quarantine.control or quarantine.lab_test.")));
	pg_unreachable();
}

/*
 * The staging relation must exist (a regclass may outlive its table) and be
 * a table: the load reads its rows back by ctid.
 */
static void
RequireStagingTable(Oid relid)
{
	char relkind = get_rel_relkind(relid);

	if (get_rel_name(relid) == NULL)
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
						errmsg("staging relation %u does not exist", relid),
						errhint("Name the table the batch was copied into.")));
	if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("staging relation \"%s\" is not a table",
						get_rel_name(relid)),
				 errhint("Copy the batch into a table (a temporary one will "
						 "do) and name it.")));
}

/* A column of the staging table that must be there with this type. */
static void
RequireStagingColumn(Relation staging, const char *name, Oid type)
{
	AttrNumber attnum = attnameAttNum(staging, name, false);

	if (attnum == InvalidAttrNumber)
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
						errmsg("staging table %s has no column \"%s\"",
							   RelationGetRelationName(staging), name),
						errhint("A staging table has columns batch text and "
								"row_no int and columns of the target.")));
	if (TupleDescAttr(RelationGetDescr(staging), attnum - 1)->atttypid != type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of staging table %s has type "
						"%s, expected %s",
						name, RelationGetRelationName(staging),
						format_type_be(TupleDescAttr(RelationGetDescr(staging),
													 attnum - 1)
										   ->atttypid),
						format_type_be(type))));
}

/*
 * A column of the staging table must be of a type of pg_catalog or of the
 * extension: reading the staged rows (to_jsonb of the row for a reject, its
 * text for the ledger's hash) would otherwise call the casts and output
 * functions of a type the caller made.
 */
static void
RequireTrustedType(Relation staging, Form_pg_attribute att)
{
	HeapTuple tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(att->atttypid));
	Oid		  nsp;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", att->atttypid);
	nsp = ((Form_pg_type) GETSTRUCT(tup))->typnamespace;
	ReleaseSysCache(tup);
	if (nsp == PG_CATALOG_NAMESPACE || nsp == QuarantineNamespace())
		return;
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column \"%s\" of staging table %s has type %s, which "
					"load_staged does not read",
					NameStr(att->attname), RelationGetRelationName(staging),
					format_type_be_qualified(att->atttypid)),
			 errdetail("A staging column is of a built-in type or a type of "
					   "schema quarantine."),
			 errhint("Stage the column as text, as the <target>_staging "
					 "tables do.")));
}

/*
 * The columns of the load: every column of the staging table but batch and
 * row_no, each a column of the target that a client may write.  A column
 * the staging table lacks is not written (it takes its default).
 */
static void
LoadColumns(StagedLoad *load, Oid targetid, Oid stagingid)
{
	Relation  target = table_open(targetid, AccessShareLock);
	Relation  staging = table_open(stagingid, AccessShareLock);
	TupleDesc desc = RelationGetDescr(staging);

	/*
	 * A staging table has both batch and row_no, or neither: then the whole
	 * table is the batch named by the call, its rows numbered 1..N in the
	 * table's physical order (the order a COPY into a new table wrote them).
	 */
	load->numbered =
		attnameAttNum(staging, "batch", false) != InvalidAttrNumber ||
		attnameAttNum(staging, "row_no", false) != InvalidAttrNumber;
	if (load->numbered)
	{
		RequireStagingColumn(staging, "batch", TEXTOID);
		RequireStagingColumn(staging, "row_no", INT4OID);
	}
	load->columns = palloc(sizeof(LoadColumn) * desc->natts);
	load->ncolumns = 0;
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		const char		 *name = NameStr(att->attname);
		AttrNumber		  tattnum;
		Form_pg_attribute tatt;
		LoadColumn		 *c;

		if (att->attisdropped)
			continue;
		RequireTrustedType(staging, att);
		if (strcmp(name, "batch") == 0 || strcmp(name, "row_no") == 0)
			continue;
		tattnum = attnameAttNum(target, name, false);
		if (tattnum == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of staging table %s is not a "
							"column of %s",
							name, RelationGetRelationName(staging),
							load->target)));
		tatt = TupleDescAttr(RelationGetDescr(target), tattnum - 1);
		if (tatt->attgenerated ||
			tatt->attidentity == ATTRIBUTE_IDENTITY_ALWAYS)
			ereport(ERROR, (errcode(ERRCODE_GENERATED_ALWAYS),
							errmsg("column \"%s\" of %s cannot be loaded",
								   name, load->target),
							errdetail("It is generated.")));
		c = &load->columns[load->ncolumns++];
		c->name = pstrdup(name);
		c->type = tatt->atttypid;
		c->typmod = tatt->atttypmod;
		c->staged = att->atttypid;
	}
	table_close(staging, AccessShareLock);
	table_close(target, AccessShareLock);
}

/*
 * The type's own name, schema-qualified: pg_catalog.bpchar, not
 * "character", which would mean char(1) and cut a longer value short.
 */
static char *
QualifiedTypeName(Oid type)
{
	HeapTuple	 tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(type));
	Form_pg_type form;
	char		*name;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", type);
	form = (Form_pg_type) GETSTRUCT(tup);
	name = quote_qualified_identifier(get_namespace_name(form->typnamespace),
									  NameStr(form->typname));
	ReleaseSysCache(tup);
	return name;
}

/*
 * The value written for column c of work row w: the staged value read as
 * the column's type (by its input function, as COPY reads it; the typmod,
 * e.g. char(3), is applied by the INSERT as an assignment), or the column's
 * default when the staged field is empty, as a COPY that leaves the column
 * out would write.
 */
static void
AppendValue(StringInfo sql, Relation target, const LoadColumn *c)
{
	AttrNumber attnum = attnameAttNum(target, c->name, false);
	Node	  *def = build_column_default(target, attnum);

	if (def != NULL)
		appendStringInfoString(sql, "COALESCE(");
	appendStringInfo(sql, "CAST(w.%s AS %s)", quote_identifier(c->name),
					 QualifiedTypeName(c->type));
	if (def != NULL)
		appendStringInfo(sql, ", %s)",
						 deparse_expression(def, NIL, false, false));
}

/* The INSERT of the work rows with load_n in [$1, $2]. */
static char *
InsertSql(const StagedLoad *load, Oid targetid)
{
	Relation	   target = table_open(targetid, AccessShareLock);
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfo(&sql, "INSERT INTO quarantine.%s (",
					 quote_identifier(load->target));
	for (int i = 0; i < load->ncolumns; i++)
		appendStringInfo(&sql, "%s%s", i ? ", " : "",
						 quote_identifier(load->columns[i].name));
	appendStringInfoString(&sql, ") SELECT ");
	for (int i = 0; i < load->ncolumns; i++)
	{
		if (i)
			appendStringInfoString(&sql, ", ");
		AppendValue(&sql, target, &load->columns[i]);
	}
	/*
	 * OFFSET 0 keeps the sub-select apart, and a volatile output of a
	 * sub-select is computed after its sort, row by row as the INSERT asks
	 * for rows: so the mark is the row in flight.
	 */
	appendStringInfoString(
		&sql, " FROM (SELECT x.*, quarantine.load_staged_mark(x.load_n, "
			  "x.row_no) AS load_mark "
			  "FROM " LOAD_WORK_TABLE " x "
			  "WHERE x.load_n OPERATOR(pg_catalog.>=) $1 "
			  "AND x.load_n OPERATOR(pg_catalog.<=) $2 "
			  "ORDER BY x.load_n OFFSET 0) w WHERE w.load_mark IS NOT NULL");
	table_close(target, AccessShareLock);
	return sql.data;
}

/*
 * 1. The work table: the batch's distinct staged rows (read as the caller;
 * the batch's ledger, read before as the owner, comes as $3 and $4) (exact repeats, a file
 * staged twice, collapse), the md5 of the row's text (as uuid, quick to
 * sort), and the verdict of the row number: NULL (to load), 'loaded' (the
 * same row is in the ledger), 'null', 'shared' (another row has the number)
 * or 'changed' (another row was loaded under the number).  load_n numbers
 * the rows to load densely, 1..N in (row_no, hash) order: a range of
 * load_n then has no gaps, so an error at the end of a statement (the mark
 * is the range's last row) is never mistaken for one raised at a row.
 */
static char *
WorkSql(const StagedLoad *load)
{
	StringInfoData sql;
	const char *hash = "pg_catalog.md5(s::pg_catalog.text)::pg_catalog.uuid";
	const char *ctid = "s.ctid";

	if (!load->numbered)
	{
		/*
		 * No batch, no row_no: every row of the table, numbered in physical
		 * (ctid) order; the hash is of the staged row alone, as for a
		 * numbered table.
		 */
		hash = "s.load_hash";
		ctid = "s.load_ctid";
	}
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "CREATE TEMP TABLE quarantine_load_work AS "
					 "WITH staged AS (SELECT DISTINCT ON (s.row_no, %s) "
					 "%s AS load_hash, %s AS load_ctid, s.row_no",
					 hash, hash, ctid);
	for (int i = 0; i < load->ncolumns; i++)
		appendStringInfo(&sql, ", s.%s",
						 quote_identifier(load->columns[i].name));
	if (load->numbered)
		appendStringInfo(&sql,
						 " FROM %s s"
						 " WHERE s.batch OPERATOR(pg_catalog.=) $1 ",
						 load->staging);
	else
		appendStringInfo(&sql,
						 " FROM (SELECT u.*, u.ctid AS load_ctid, "
						 "pg_catalog.md5(u::pg_catalog.text)::pg_catalog.uuid "
						 "AS load_hash, "
						 "(pg_catalog.row_number() OVER (ORDER BY u.ctid))"
						 "::pg_catalog.int4 AS row_no FROM %s u) s ",
						 load->staging);
	appendStringInfo(&sql, " ORDER BY s.row_no, %s), ", hash);
	appendStringInfoString(
		&sql,
		"judged AS (SELECT t.*, "
		"  pg_catalog.count(*) OVER (PARTITION BY t.row_no) AS load_sharing, "
		"  pg_catalog.row_number() OVER (ORDER BY t.row_no, t.load_hash) "
		"    AS load_ordinal, "
		"  a.row_hash AS load_ledger_hash "
		"  FROM staged t LEFT JOIN ROWS FROM ("
		"    pg_catalog.unnest($3::pg_catalog.int4[]), "
		"    pg_catalog.unnest($4::pg_catalog.uuid[])) a(row_no, row_hash) "
		"    ON a.row_no OPERATOR(pg_catalog.=) t.row_no), "
		"verdicts AS (SELECT j.*, CASE "
		"  WHEN j.row_no IS NULL THEN 'null' "
		"  WHEN j.load_sharing OPERATOR(pg_catalog.>) 1 THEN 'shared' "
		"  WHEN j.load_ledger_hash IS NULL THEN NULL "
		"  WHEN j.load_ledger_hash OPERATOR(pg_catalog.=) j.load_hash "
		"    THEN 'loaded' "
		"  ELSE 'changed' END AS load_verdict FROM judged j) "
		"SELECT CASE WHEN v.load_verdict IS NULL "
		"  THEN (pg_catalog.row_number() OVER (PARTITION BY "
		"    v.load_verdict IS NULL ORDER BY "
		"v.load_ordinal))::pg_catalog.int4 "
		"  END AS load_n, v.* "
		"  FROM verdicts v");
	return sql.data;
}

/* Run one statement with (batch, target) as $1, $2 and more arguments. */
static uint64
RunWith(const char *sql, int nargs, Oid *argtypes, Datum *args, int expected,
		const char *what)
{
	int rc;

	rc = SPI_execute_with_args(sql, nargs, argtypes, args, NULL, false, 0);
	if (rc != expected)
		elog(ERROR, "load_staged: %s failed: %s", what,
			 SPI_result_code_string(rc));
	return SPI_processed;
}

/*
 * The batch's ledger, read with the owner's rights (the caller may see only
 * its own loads): its row numbers and hashes as an int4[] and a uuid[] in
 * args[2] and args[3], allocated in the caller's memory context.
 */
static void
ReadLedger(Datum *args)
{
	MemoryContext keep = CurrentMemoryContext;
	Oid			  argtypes[2] = {TEXTOID, TEXTOID};
	QueryContext  qc;
	bool		  isnull;

	QuerySpiConnect(&qc, OWNER_LOAD_STAGED);
	RunWith("SELECT COALESCE(pg_catalog.array_agg(a.row_no), '{}'), "
			"       COALESCE(pg_catalog.array_agg(a.row_hash), '{}') "
			"  FROM quarantine.load_accept a "
			" WHERE a.target OPERATOR(pg_catalog.=) $2 "
			"   AND a.batch OPERATOR(pg_catalog.=) $1",
			2, argtypes, args, SPI_OK_SELECT, "reading the ledger");
	MemoryContextSwitchTo(keep);
	for (int i = 0; i < 2; i++)
		args[2 + i] =
			datumCopy(SPI_getbinval(SPI_tuptable->vals[0],
									SPI_tuptable->tupdesc, i + 1, &isnull),
					  false, -1);
	QuerySpiFinish(&qc);
	MemoryContextSwitchTo(keep);
}

/*
 * Rows whose number is unusable, refused one by one: rule staged_row_no.
 * Read as the caller, each written by InsertReject.
 */
static void
RefuseRowNumbers(const StagedLoad *load, Datum *args)
{
	Oid			   argtypes[1] = {TEXTOID};
	SPITupleTable *rows;
	uint64		   nrows;

	RunWith(psprintf("SELECT w.row_no, w.load_verdict, %s "
					 "  FROM " LOAD_WORK_TABLE " w "
					 " WHERE w.load_verdict IN ('null', 'shared', 'changed') "
					 " ORDER BY w.row_no",
					 StagedRowSql(load)),
			1, argtypes, args, SPI_OK_SELECT, "reading row numbers");
	rows = SPI_tuptable;
	nrows = SPI_processed;
	for (uint64 i = 0; i < nrows; i++)
	{
		HeapTuple tup = rows->vals[i];
		bool	  row_no_null, verdict_null, row_null;
		Datum	  row_no = SPI_getbinval(tup, rows->tupdesc, 1, &row_no_null);
		char	 *verdict = TextDatumGetCString(
				SPI_getbinval(tup, rows->tupdesc, 2, &verdict_null));
		Datum		row = SPI_getbinval(tup, rows->tupdesc, 3, &row_null);
		const char *message;

		if (row_null)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("a staged row of batch \"%s\" changed during "
							"the load",
							load->batch),
					 errhint("Load the batch again once nobody writes it.")));
		if (strcmp(verdict, "null") == 0)
			message = "a staged row has no row number";
		else if (strcmp(verdict, "shared") == 0)
			message =
				psprintf(_Q("row number %d is staged twice with different "
							"values"),
						 DatumGetInt32(row_no));
		else
			message = psprintf(_Q("row number %d was loaded before with other "
								  "values"),
							   DatumGetInt32(row_no));
		InsertReject(load, row_no, row_no_null, "staged_row_no", message,
					 psprintf("Batch %s of %s.", load->batch, load->staging),
					 strcmp(verdict, "changed") == 0
						 ? "Stage the new rows under a new batch name or new "
						   "row numbers."
						 : "Give every row of the batch its own row_no.",
					 strcmp(verdict, "null") == 0 ? "23502" : "23505", row);
	}
}

/*
 * Run one statement with (batch, target[, int4[], uuid[]]) as $1, $2[, $3,
 * $4].
 */
static uint64
Run(const char *sql, int nargs, Datum *args, int expected, const char *what)
{
	Oid argtypes[4] = {TEXTOID, TEXTOID, INT4ARRAYOID, UUIDARRAYOID};

	return RunWith(sql, nargs, argtypes, args, expected, what);
}

/*
 * 3. The ledger: every row written, i.e. to load and not rejected (the
 * ordinals in args[2]).  Read as the caller, written as the owner.
 */
static void
WriteLedger(Datum *args)
{
	Datum ledger[5];
	Oid	  types[5] = {TEXTOID, TEXTOID, INT4ARRAYOID, UUIDARRAYOID, TEXTOID};
	bool  isnull;
	QueryContext qc;

	Run("SELECT $1, $2, "
		"  COALESCE(pg_catalog.array_agg(w.row_no ORDER BY w.load_n), '{}'), "
		"  COALESCE(pg_catalog.array_agg(w.load_hash ORDER BY w.load_n), "
		"'{}') "
		"  FROM " LOAD_WORK_TABLE " w "
		" WHERE w.load_n IS NOT NULL "
		"   AND NOT (w.load_n OPERATOR(pg_catalog.=) ANY ($3))",
		3, args, SPI_OK_SELECT, "reading the rows written");
	ledger[0] = args[0];
	ledger[1] = args[1];
	ledger[2] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3,
							  &isnull);
	ledger[3] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4,
							  &isnull);
	QuerySpiConnect(&qc, OWNER_LOAD_STAGED);
	ledger[4] = CStringGetTextDatum(QueryCallerName(&qc));
	RunWith(QuarantineHasColumn("load_accept", "loaded_by")
				? "INSERT INTO quarantine.load_accept "
				  "  (target, batch, row_no, row_hash, loaded_by) "
				  "SELECT $2, $1, a.row_no, a.row_hash, $5 "
				  "  FROM ROWS FROM (pg_catalog.unnest($3), "
				  "pg_catalog.unnest($4)) "
				  "       a(row_no, row_hash)"
				: "INSERT INTO quarantine.load_accept "
				  "  (target, batch, row_no, row_hash) "
				  "SELECT $2, $1, a.row_no, a.row_hash "
				  "  FROM ROWS FROM (pg_catalog.unnest($3), "
				  "pg_catalog.unnest($4)) "
				  "       a(row_no, row_hash)",
			5, types, ledger, SPI_OK_INSERT, "writing the ledger");
	QuerySpiFinish(&qc);
}

/* Column col (an int8) of the one row the last query returned. */
static int64
CountColumn(int col)
{
	bool  isnull;
	Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col,
							&isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

/* The insert of work rows lo..hi, run by CatchDataError. */
typedef struct InsertRange
{
	SPIPlanPtr plan;
	int		   lo;
	int		   hi;
} InsertRange;

static void
InsertRangeRun(void *arg)
{
	InsertRange *r = arg;
	Datum		 args[2] = {Int32GetDatum(r->lo), Int32GetDatum(r->hi)};
	int			 rc = SPI_execute_plan(r->plan, args, NULL, false, 0);

	if (rc != SPI_OK_INSERT)
		elog(ERROR, "load_staged: insert failed: %s",
			 SPI_result_code_string(rc));
}

/*
 * Insert the work rows lo..hi in a subtransaction.  True when written; false
 * with the data error in *error when the statement failed with one (and
 * wrote nothing); any other error is raised again.
 */
static bool
TryInsert(SPIPlanPtr plan, int lo, int hi, ErrorData **error)
{
	InsertRange r = {plan, lo, hi};

	mark_n = 0;
	mark_row_no = 0;
	*error = CatchDataError(InsertRangeRun, &r);
	return *error == NULL;
}

/* Which batch and row an error of the load happened at. */
typedef struct LoadErrorContext
{
	const StagedLoad *load;
} LoadErrorContext;

static void
LoadErrorCallback(void *arg)
{
	const StagedLoad *load = ((LoadErrorContext *) arg)->load;

	if (mark_n > 0)
		errcontext("load_staged of batch \"%s\" into %s, at staged row "
				   "row_no %d",
				   load->batch, load->target, mark_row_no);
	else
		errcontext("load_staged of batch \"%s\" into %s", load->batch,
				   load->target);
}

/* Parts a range is split into when its error names no row. */
#define SPLIT_PARTS 4

/* A stack of ranges still to insert, the lowest on top. */
typedef struct Range
{
	int lo;
	int hi;
} Range;

typedef struct Ranges
{
	Range *items;
	int	   count;
	int	   size;
} Ranges;

static void
Push(Ranges *r, int lo, int hi)
{
	if (lo > hi)
		return;
	if (r->count == r->size)
	{
		r->size *= 2;
		r->items = repalloc(r->items, sizeof(Range) * r->size);
	}
	r->items[r->count].lo = lo;
	r->items[r->count].hi = hi;
	r->count++;
}

/*
 * 2. Insert the work rows 1..n; the ordinals of the rows refused are
 * returned (as an int4[] Datum), their count in *rejected.
 */
static Datum
InsertAll(const StagedLoad *load, SPIPlanPtr plan, int n, int *rejected)
{
	Ranges				 ranges;
	Datum				*refused = palloc(sizeof(Datum) * Max(n, 1));
	int					 nrefused = 0;
	LoadErrorContext	 lec = {load};
	ErrorContextCallback callback;

	ranges.size = 64;
	ranges.count = 0;
	ranges.items = palloc(sizeof(Range) * ranges.size);
	Push(&ranges, 1, n);

	callback.callback = LoadErrorCallback;
	callback.arg = &lec;
	callback.previous = error_context_stack;
	error_context_stack = &callback;
	while (ranges.count > 0)
	{
		Range	   r = ranges.items[--ranges.count];
		ErrorData *error = NULL;
		int		   at;

		CHECK_FOR_INTERRUPTS();
		if (TryInsert(plan, r.lo, r.hi, &error))
			continue;
		at = mark_n;
		if (r.lo == r.hi)
		{
			RecordReject(load, r.lo, error);
			refused[nrefused++] = Int32GetDatum(r.lo);
		}
		else if (at >= r.lo && at < r.hi)
		{
			/* raised while inserting row `at`: it alone, and the rest */
			Push(&ranges, at + 1, r.hi);
			Push(&ranges, at, at);
			Push(&ranges, r.lo, at - 1);
		}
		else
		{
			/*
			 * At the end of the statement (a foreign key, a statement
			 * trigger): no row is known.  Quarters rather than halves: a
			 * failing part is written in vain, and a quarter of it costs
			 * less than a half.
			 */
			int size = r.hi - r.lo + 1;

			for (int part = SPLIT_PARTS - 1; part >= 0; part--)
				Push(&ranges, r.lo + (int) ((int64) size * part / SPLIT_PARTS),
					 r.lo + (int) ((int64) size * (part + 1) / SPLIT_PARTS) -
						 1);
		}
		FreeErrorData(error);
	}
	error_context_stack = callback.previous;
	mark_n = 0;
	*rejected = nrefused;
	return PointerGetDatum(
		construct_array(refused, nrefused, INT4OID, 4, true, TYPALIGN_INT));
}

Datum
load_staged(PG_FUNCTION_ARGS)
{
	Oid			 targetid = PG_GETARG_OID(0);
	StagedLoad	 load;
	Oid			 stagingid;
	TupleDesc	 desc;
	QueryContext qc;
	Datum		 args[4];
	SPIPlanPtr	 plan;
	Oid			 rangetypes[2] = {INT4OID, INT4OID};
	int64		 staged, before, to_load, bad_numbers;
	int			 refused = 0;
	Datum		 result[4];
	bool		 nulls[4] = {false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "load_staged must return a composite type");
	desc = BlessTupleDesc(desc);

	load.target = LoadableTarget(targetid);
	load.batch = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (PG_NARGS() > 2)
		stagingid = PG_GETARG_OID(2);
	else
	{
		stagingid = get_relname_relid(psprintf("%s_staging", load.target),
									  QuarantineNamespace());
		if (!OidIsValid(stagingid))
			MissingRelation(psprintf("%s_staging", load.target));
	}
	RequireStagingTable(stagingid);

	load.staging = quote_qualified_identifier(
		get_namespace_name(get_rel_namespace(stagingid)),
		get_rel_name(stagingid));
	QuerySpiConnect(&qc, AS_CALLER);
	LoadColumns(&load, targetid, stagingid);
	load.caller_scope = CallerScope(&load.caller_scope_null);
	args[0] = PointerGetDatum(cstring_to_text(load.batch));
	args[1] = PointerGetDatum(cstring_to_text(load.target));

	/* Loads of one batch into one table wait for each other. */
	Run("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended("
		"'quarantine.load_staged ' OPERATOR(pg_catalog.||) $2 "
		"OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) $1, 0))",
		2, args, SPI_OK_SELECT, "locking the batch");

	ReadLedger(args);
	Run(WorkSql(&load), 4, args, SPI_OK_UTILITY, "staging rows");
	Run("CREATE INDEX ON " LOAD_WORK_TABLE " (load_n)", 0, NULL,
		SPI_OK_UTILITY, "indexing");
	/* statistics of load_n only: the plans of the ranges need no more */
	Run("ANALYZE " LOAD_WORK_TABLE " (load_n)", 0, NULL, SPI_OK_UTILITY,
		"analyzing");
	Run("SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE "
		"load_verdict OPERATOR(pg_catalog.=) 'loaded'), "
		"pg_catalog.count(load_n) FROM " LOAD_WORK_TABLE,
		0, NULL, SPI_OK_SELECT, "counting");
	staged = CountColumn(1);
	before = CountColumn(2);
	to_load = CountColumn(3);
	bad_numbers = staged - before - to_load;
	if (bad_numbers > 0)
		RefuseRowNumbers(&load, args);

	if (to_load > 0)
	{
		plan = SPI_prepare(InsertSql(&load, targetid), 2, rangetypes);
		if (plan == NULL)
			elog(ERROR, "load_staged: preparing the insert failed: %s",
				 SPI_result_code_string(SPI_result));
		args[2] = InsertAll(&load, plan, (int) to_load, &refused);
		WriteLedger(args);
	}
	Run("DROP TABLE " LOAD_WORK_TABLE, 0, NULL, SPI_OK_UTILITY,
		"dropping the work table");
	QuerySpiFinish(&qc);

	result[0] = Int32GetDatum((int32) staged);
	result[1] = Int32GetDatum((int32) (before + to_load - refused));
	result[2] = Int32GetDatum((int32) (bad_numbers + refused));
	result[3] = Int32GetDatum((int32) (to_load - refused));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, result, nulls)));
}
