/*
 * register_arrival.c
 *		One call registers an arrival (doc/application.md, "Registering an
 *		arrival"): the person found by document (person_for_doc) or created,
 *		an entry and a control, with the caller's rights.
 *
 * Each step is its own statement in one SPI connection, so each sees the
 * rows of the step before (a new command): the entry's row security finds
 * the person just written, which a single INSERT ... RETURNING chain of
 * CTEs cannot (its row security check runs on one snapshot and fails with
 * an unnamed 42501).  Every rule is the triggers' own: this function only
 * orders the writes, and names the rule of the two values it reads itself
 * (person_doc_no, control_plan) as the triggers and load_staged do.
 *
 * A document held by a person of another district: the operator does not
 * see that person, so the control follows rule control_scope (doc/security.md)
 * and is refused (42501) unless site_id is a site of the caller's own
 * jurisdictions; then the control is opened at that site without an entry
 * (an entry follows its person's row security: the person's district
 * records it).  The refusal names only the document the caller wrote.
 */
#include "control_rules.h"
#include "person_rules.h"
#include "records.h"

#include "access/relation.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(register_arrival);

enum
{
	A_DOC_KIND,
	A_DOC_NO,
	A_NAME,
	A_NATIONALITY,
	A_JURISDICTION,
	A_ENTERED_AT,
	A_PORT_KIND,
	A_SITE_ID,
	A_PLAN,
	A_NARGS
};

static Relation
OpenTable(const char *name)
{
	Oid relid = get_relname_relid(name, QuarantineNamespace());

	if (!OidIsValid(relid))
		MissingRelation(name);
	return relation_open(relid, AccessShareLock);
}

/* One statement as the caller; the first column of its one row, or NULL. */
static Datum
RunOne(const char *sql, int nargs, Oid *types, Datum *values,
	   const char *nulls, bool *isnull)
{
	int rc = SPI_execute_with_args(sql, nargs, types, values, nulls, false, 1);

	if (rc < 0)
		elog(ERROR, "register_arrival: %s failed: %s", sql,
			 SPI_result_code_string(rc));
	if (SPI_processed == 0)
	{
		*isnull = true;
		return (Datum) 0;
	}
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
						 isnull);
}

/*
 * The four steps, in the caller's SPI connection; out: person_id, entry_id,
 * control_id, plan, person_created.
 */
static void
RegisterSteps(Oid doc_kind_type, const Datum *arg, const char *nul,
			  Relation person_rel, Relation control_rel, Datum *out,
			  bool *outnull)
{
	ColumnContext column;
	bool		  isnull;
	int64		  person_id = 0;
	bool		  created = false;
	bool		  visible = false;
	bool		  has_entry = false;
	int64		  entry_id = 0;
	Datum		  d;

	/* 1. The person the document names, as the caller sees it. */
	{
		Oid	  types[3] = {doc_kind_type, TEXTOID, BPCHAROID};
		Datum v[3] = {arg[A_DOC_KIND], arg[A_DOC_NO], arg[A_NATIONALITY]};
		char  n[3] = {nul[A_DOC_KIND], nul[A_DOC_NO], nul[A_NATIONALITY]};

		ColumnContextPush(&column, person_rel);
		column.column = get_attnum(RelationGetRelid(person_rel), "doc_no");
		d = RunOne("SELECT quarantine.person_for_doc($1, $2, $3), "
				   "quarantine.normalize_doc($1, $2), "
				   "quarantine.identity_scope($1, $3)",
				   3, types, v, n, &isnull);
		ColumnContextPop(&column);
		if (!isnull)
		{
			person_id = DatumGetInt64(d);
			visible = true;
		}
		else if (SPI_processed == 1 && nul[A_DOC_KIND] == ' ' &&
				 nul[A_DOC_NO] == ' ')
		{
			/* Not seen: another district's, or nobody's. */
			char *doc =
				SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
			char *scope =
				SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
			int64 holder = PersonHoldingDocument(arg[A_DOC_KIND], doc,
												 scope ? scope : "");

			if (holder != 0)
			{
				int64 site_id =
					nul[A_SITE_ID] == ' ' ? DatumGetInt64(arg[A_SITE_ID]) : 0;
				Problem p = {0};

				if (!ControlScope(holder, false, site_id != 0, site_id,
								  site_id != 0 && SiteInCallerScope(site_id),
								  &p))
				{
					/* name what the caller wrote, not the other person */
					p.message = psprintf(
						_Q("document %s belongs to a person outside your "
						   "jurisdictions"),
						doc);
					ProblemColumn(&p, get_attnum(RelationGetRelid(control_rel),
												 "site_id"));
					RaiseProblem(&p, control_rel);
				}
				person_id = holder;
			}
		}
	}

	/* 2. Or a new person (the person triggers check every value). */
	if (person_id == 0)
	{
		Oid	  types[5] = {doc_kind_type, TEXTOID, TEXTOID, BPCHAROID, TEXTOID};
		Datum v[5] = {arg[A_DOC_KIND], arg[A_DOC_NO], arg[A_NAME],
					  arg[A_NATIONALITY], arg[A_JURISDICTION]};
		char  n[5] = {nul[A_DOC_KIND], nul[A_DOC_NO], nul[A_NAME],
					  nul[A_NATIONALITY], nul[A_JURISDICTION]};

		d = RunOne("INSERT INTO quarantine.person "
				   "(doc_kind, doc_no, name, nationality, jurisdiction) "
				   "VALUES ($1, $2, $3, $4, $5) RETURNING person_id",
				   5, types, v, n, &isnull);
		person_id = DatumGetInt64(d);
		created = visible = true; /* row security let the caller write it */
	}

	/* 3. The entry, for a person the caller sees. */
	if (visible)
	{
		Oid	  types[3] = {INT8OID, TIMESTAMPTZOID, TEXTOID};
		Datum v[3] = {Int64GetDatum(person_id), arg[A_ENTERED_AT],
					  arg[A_PORT_KIND]};
		char  n[3] = {' ', nul[A_ENTERED_AT], nul[A_PORT_KIND]};

		d = RunOne("INSERT INTO quarantine.entry "
				   "(person_id, entered_at, port_kind) "
				   "VALUES ($1, $2, coalesce($3, 'air')) RETURNING entry_id",
				   3, types, v, n, &isnull);
		entry_id = DatumGetInt64(d);
		has_entry = true;
	}

	/* 4. The control: pending, the policy plan unless one is given. */
	{
		Oid	  types[5] = {INT8OID, INT8OID, INT8OID, TEXTOID, TIMESTAMPTZOID};
		Datum v[5] = {Int64GetDatum(person_id), Int64GetDatum(entry_id),
					  arg[A_SITE_ID], arg[A_PLAN], arg[A_ENTERED_AT]};
		char  n[5] = {' ', has_entry ? ' ' : 'n', nul[A_SITE_ID], nul[A_PLAN],
					  nul[A_ENTERED_AT]};
		int	  rc;

		ColumnContextPush(&column, control_rel);
		column.column = get_attnum(RelationGetRelid(control_rel), "plan");
		rc = SPI_execute_with_args(
			"INSERT INTO quarantine.control "
			"(person_id, entry_id, site_id, plan, quarantine_start) "
			"VALUES ($1, $2, $3, $4::quarantine.isolation_plan, "
			"CASE WHEN $2 IS NULL THEN quarantine.local_date($5) END) "
			"RETURNING control_id, plan",
			5, types, v, n, false, 1);
		ColumnContextPop(&column);
		if (rc != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
			elog(ERROR, "register_arrival: control insert failed: %s",
				 SPI_result_code_string(rc));
		out[2] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
							   &isnull);
		out[3] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2,
							   &outnull[3]);
	}
	out[0] = Int64GetDatum(person_id);
	out[1] = Int64GetDatum(entry_id);
	outnull[1] = !has_entry;
	out[4] = BoolGetDatum(created);
}

Datum
register_arrival(PG_FUNCTION_ARGS)
{
	Oid		  doc_kind_type = get_fn_expr_argtype(fcinfo->flinfo, A_DOC_KIND);
	Datum	  arg[A_NARGS];
	char	  nul[A_NARGS];
	TupleDesc desc;
	Datum	  out[5];
	bool	  outnull[5] = {false, false, false, false, false};
	QueryContext qc;
	Relation	 person_rel;
	Relation	 control_rel;

	MemoryContext outer = CurrentMemoryContext;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "register_arrival must return a composite");
	desc = BlessTupleDesc(desc);
	for (int i = 0; i < A_NARGS; i++)
	{
		arg[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
		nul[i] = PG_ARGISNULL(i) ? 'n' : ' ';
	}

	person_rel = OpenTable("person");
	control_rel = OpenTable("control");
	QuerySpiConnect(&qc, AS_CALLER);

	/*
	 * An error of a step is the triggers' own, with its rule, table and
	 * column: raised again without the CONTEXT of the statement inside.
	 */
	PG_TRY();
	{
		RegisterSteps(doc_kind_type, arg, nul, person_rel, control_rel, out,
					  outnull);
	}
	PG_CATCH();
	{
		ErrorData *edata;

		MemoryContextSwitchTo(outer);
		edata = CopyErrorData();
		FlushErrorState();
		edata->context = NULL;
		ReThrowError(edata);
	}
	PG_END_TRY();
	QuerySpiFinish(&qc);
	relation_close(control_rel, AccessShareLock);
	relation_close(person_rel, AccessShareLock);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, out, outnull)));
}
