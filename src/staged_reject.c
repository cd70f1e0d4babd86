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
#include "staged_load.h"

#include "query_context.h"

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

/* The reject of work row $8, with the owner's rights (a log here). */
static char *
RejectSql(const StagedLoad *load)
{
	return psprintf(
		"INSERT INTO quarantine.import_reject "
		"  (batch, row_no, rule, message, detail, hint, sqlstate, target, "
		"row) "
		"SELECT $1, w.row_no, $3, $4, $5, $6, $7, $2, w.load_row "
		"  FROM (SELECT w.row_no, %s AS load_row FROM " LOAD_WORK_TABLE " w "
		"         WHERE w.load_n OPERATOR(pg_catalog.=) $8) w "
		" WHERE NOT EXISTS (SELECT 1 FROM quarantine.import_reject x "
		"        WHERE x.target OPERATOR(pg_catalog.=) $2 "
		"          AND x.batch OPERATOR(pg_catalog.=) $1 "
		"          AND x.row_no OPERATOR(pg_catalog.=) w.row_no "
		"          AND x.rule OPERATOR(pg_catalog.=) $3 "
		"          AND x.row OPERATOR(pg_catalog.=) w.load_row)",
		StagedRowSql(load));
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
	Oid			 argtypes[8] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID,
								TEXTOID, TEXTOID, TEXTOID, INT4OID};
	Datum		 args[8];
	char		 nulls[8] = "        ";
	QueryContext qc;
	int			 rc;

	args[0] = PointerGetDatum(cstring_to_text(load->batch));
	args[1] = PointerGetDatum(cstring_to_text(load->target));
	args[2] = PointerGetDatum(cstring_to_text(rule));
	args[3] = PointerGetDatum(cstring_to_text(error->message));
	if (error->detail)
		args[4] = PointerGetDatum(cstring_to_text(error->detail));
	else
		nulls[4] = 'n';
	if (error->hint)
		args[5] = PointerGetDatum(cstring_to_text(error->hint));
	else
		nulls[5] = 'n';
	args[6] =
		PointerGetDatum(cstring_to_text(unpack_sql_state(error->sqlerrcode)));
	args[7] = Int32GetDatum(n);

	/* import_reject is a log here: written with the owner's rights */
	QuerySpiConnect(&qc, true);
	rc = SPI_execute_with_args(RejectSql(load), 8, argtypes, args, nulls,
							   false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "load_staged: writing a reject failed: %s",
			 SPI_result_code_string(rc));
	QuerySpiFinish(&qc);
}
