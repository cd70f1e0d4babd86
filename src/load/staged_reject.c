/*
 * staged_reject.c
 *		One staged row the triggers refused, written whole to import_reject
 *		with the rule its error names (see staged_load.h and doc/etl.md).
 *
 * The rule is the error's own CONSTRAINT field whenever it has one: every
 * trigger rule, CHECK, unique index and foreign key names itself.  Errors
 * PostgreSQL raises without one are named after the column, as
 * <table>_<column> (the name of the column's own CHECK where it has one):
 * a NULL in a NOT NULL column names its column; a malformed value (a date,
 * an enum label, a number, a char(3) too long) is found by reading the row's
 * values one by one with their types' input functions, the first one
 * refused names the column.  An error that names neither (none is known)
 * is <table>_row.
 */
#include "load/staged_load.h"

#include "records/query_context.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/resowner.h"

/*
 * Whether the input function of type reads value (with typmod, so that a
 * char(3) refuses four letters).  In a subtransaction, since an input
 * function may hold resources (catalog lookups) when it raises.  Only data
 * errors (class 22, or 23 from a domain's CHECK) mean "no"; anything else is
 * raised again.
 */
/* One value read by its type's input function, run by CatchDataError. */
typedef struct InputCall
{
	Oid			typinput;
	Oid			typioparam;
	int32		typmod;
	const char *value;
} InputCall;

static void
InputCallRun(void *arg)
{
	InputCall *c = arg;

	(void) OidInputFunctionCall(c->typinput, unconstify(char *, c->value),
								c->typioparam, c->typmod);
}

static bool
InputAccepts(Oid type, int32 typmod, const char *value)
{
	InputCall  c = {InvalidOid, InvalidOid, typmod, value};
	ErrorData *edata;

	getTypeInputInfo(type, &c.typinput, &c.typioparam);
	edata = CatchDataError(InputCallRun, &c);
	if (edata == NULL)
		return true;
	FreeErrorData(edata);
	return false;
}

char *
RejectRule(const StagedLoad *load, const ErrorData *error,
		   const char *const *values)
{
	if (error->constraint_name != NULL && error->constraint_name[0] != '\0')
		return pstrdup(error->constraint_name);
	if (error->column_name != NULL && error->column_name[0] != '\0')
		return psprintf("%s_%s", load->target, error->column_name);
	if (ERRCODE_TO_CATEGORY(error->sqlerrcode) == ERRCODE_DATA_EXCEPTION)
	{
		/* the first value its type refuses, in the INSERT's order */
		for (int i = 0; i < load->ncolumns; i++)
		{
			const LoadColumn *c = &load->columns[i];

			if (values[i] != NULL && c->staged == TEXTOID &&
				!InputAccepts(c->type, c->typmod, values[i]))
				return psprintf("%s_%s", load->target, c->name);
		}
	}
	return psprintf("%s_row", load->target);
}

/*
 * The reject with the owner's rights, every value a parameter ($1 batch,
 * $2 target, $3 rule, $4 message, $5 detail, $6 hint, $7 sqlstate, $8 the
 * row, $9 row_no, $10 the caller's scope): it reads only quarantine.person,
 * for the jurisdiction the reject belongs to (its row security): the row's
 * own jurisdiction (person, control), else the jurisdiction of the person
 * it names.  Set so that the district whose row it is sees it, and no other
 * (and only when the message was written for a view no wider than its own:
 * caller_scope).
 */
static const char reject_sql[] =
	"INSERT INTO quarantine.import_reject "
	"  (batch, row_no, rule, message, detail, hint, sqlstate, target, row, "
	"   caller_scope, jurisdiction) "
	"VALUES ($1, $9, $3, $4, $5, $6, $7, $2, $8, $10, "
	" COALESCE(CASE WHEN $2 OPERATOR(pg_catalog.=) ANY "
	"                    ('{person,control}'::pg_catalog.text[]) "
	"               THEN $8 OPERATOR(pg_catalog.->>) 'jurisdiction' END, "
	"  (SELECT p.jurisdiction FROM quarantine.person p "
	"    WHERE p.person_id OPERATOR(pg_catalog.=) "
	"     CASE WHEN ($8 OPERATOR(pg_catalog.->>) 'person_id') "
	"               OPERATOR(pg_catalog.~) '^[0-9]{1,18}$' "
	"          THEN ($8 OPERATOR(pg_catalog.->>) "
	"'person_id')::pg_catalog.int8 END))) "
	"ON CONFLICT DO NOTHING";

/* The same before ALTER EXTENSION ... UPDATE to 0.3.0 (no district yet). */
static const char reject_sql_0_2[] =
	"INSERT INTO quarantine.import_reject "
	"  (batch, row_no, rule, message, detail, hint, sqlstate, target, row) "
	"VALUES ($1, $9, $3, $4, $5, $6, $7, $2, $8)";

void
InsertReject(const StagedLoad *load, Datum row_no, bool row_no_null,
			 const char *rule, const char *message, const char *detail,
			 const char *hint, const char *sqlstate, Datum row)
{
	Oid			 argtypes[10] = {TEXTOID, TEXTOID, TEXTOID,	 TEXTOID, TEXTOID,
								 TEXTOID, TEXTOID, JSONBOID, INT4OID, TEXTARRAYOID};
	Datum		 args[10];
	char		 nulls[10] = "          ";
	QueryContext qc;
	int			 rc;

	args[0] = CStringGetTextDatum(load->batch);
	args[1] = CStringGetTextDatum(load->target);
	args[2] = CStringGetTextDatum(rule);
	args[3] = CStringGetTextDatum(message);
	if (detail)
		args[4] = CStringGetTextDatum(detail);
	else
		nulls[4] = 'n';
	if (hint)
		args[5] = CStringGetTextDatum(hint);
	else
		nulls[5] = 'n';
	args[6] = CStringGetTextDatum(sqlstate);
	args[7] = row;
	args[8] = row_no;
	if (row_no_null)
		nulls[8] = 'n';
	args[9] = load->caller_scope;
	if (load->caller_scope_null)
		nulls[9] = 'n';

	QuerySpiConnect(&qc, OWNER_LOAD_STAGED);
	rc = SPI_execute_with_args(
		QuarantineHasColumn("import_reject", "caller_scope") ? reject_sql
															 : reject_sql_0_2,
		10, argtypes, args, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "load_staged: writing a reject failed: %s",
			 SPI_result_code_string(rc));
	QuerySpiFinish(&qc);
}

/* The staged values of work row n, as text, in the load's column order. */
static const char **
StagedValues(const StagedLoad *load, int n)
{
	StringInfoData sql;
	Oid			   argtypes[1] = {INT4OID};
	Datum		   args[1] = {Int32GetDatum(n)};
	const char	 **values = palloc0(sizeof(char *) * Max(load->ncolumns, 1));

	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT 1");
	for (int i = 0; i < load->ncolumns; i++)
		appendStringInfo(&sql, ", w.%s",
						 quote_identifier(load->columns[i].name));
	appendStringInfoString(&sql,
						   " FROM " LOAD_WORK_TABLE
						   " w WHERE w.load_n OPERATOR(pg_catalog.=) $1");
	if (SPI_execute_with_args(sql.data, 1, argtypes, args, NULL, false, 1) !=
			SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "load_staged: staged row %d not found", n);
	for (int i = 0; i < load->ncolumns; i++)
		values[i] =
			SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 2);
	return values;
}

void
RecordReject(const StagedLoad *load, int n, const ErrorData *error)
{
	const char **values = StagedValues(load, n);
	char		*rule = RejectRule(load, error, values);
	Oid			 argtypes[2] = {TEXTOID, INT4OID};
	Datum		 args[2];
	Datum		 row_no, row;
	bool		 row_no_null, row_null;

	/* the staged row, whole, read back as the caller */
	args[0] = CStringGetTextDatum(load->batch);
	args[1] = Int32GetDatum(n);
	if (SPI_execute_with_args(
			psprintf("SELECT w.row_no, %s FROM " LOAD_WORK_TABLE
					 " w WHERE w.load_n OPERATOR(pg_catalog.=) $2",
					 StagedRowSql(load)),
			2, argtypes, args, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "load_staged: staged row %d not found", n);
	row_no = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
						   &row_no_null);
	row = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2,
						&row_null);
	if (row_null)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("staged row %d of batch \"%s\" changed during the "
						"load",
						n, load->batch),
				 errhint("Load the batch again once nobody writes it.")));
	InsertReject(load, row_no, row_no_null, rule, error->message,
				 error->detail, error->hint,
				 unpack_sql_state(error->sqlerrcode), row);
}
