/*
 * control_ops.c
 *		Audited operations on the records: correct_control_start,
 *		revert_to_centralized, merge_persons.
 *
 * Each operation is a plain UPDATE through SPI, so every trigger rule still
 * applies; the operation only supplies what a client cannot (permission to
 * move control_start, the note of the control_event row).
 */
#include "rules/control_rules.h"
#include "triggers/triggers.h"
#include "records/query_context.h"
#include "records/record_locks.h"
#include "records/records.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(control_correct_start);
PG_FUNCTION_INFO_V1(control_revert_to_centralized);
PG_FUNCTION_INFO_V1(person_merge_persons);

bool		control_start_correction = false;
const char *control_event_note = NULL;

/* ---------- helpers ---------- */

static void
RequireReason(text *reason, const char *fname)
{
	char *s = text_to_cstring(reason);

	if (s[strspn(s, " \t\r\n")] == '\0')
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("%s needs a reason", fname),
						errdetail("The reason is empty."),
						errhint("Say why; it is kept in control_event.")));
}

/* Run an UPDATE of control with the audit note set; return rows changed. */
static uint64
UpdateControl(const char *sql, int nargs, Oid *types, Datum *values,
			  const char *note, bool correction)
{
	uint64 processed = 0;
	int	   rc;

	PG_TRY();
	{
		control_event_note = note;
		control_start_correction = correction;
		rc = SPI_execute_with_args(sql, nargs, types, values, NULL, false, 0);
		if (rc != SPI_OK_UPDATE && rc != SPI_OK_UPDATE_RETURNING)
			elog(ERROR, "update of control failed: %s",
				 SPI_result_code_string(rc));
		processed = SPI_processed;
	}
	PG_FINALLY();
	{
		control_event_note = NULL;
		control_start_correction = false;
	}
	PG_END_TRY();
	return processed;
}

static void
NoSuchControl(int64 control_id)
{
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("control %lld does not exist", (long long) control_id),
			 errhint("Check the control_id.")));
}

/* ---------- correct_control_start ---------- */

/*
 * correct_control_start(control_id, ts, reason): the one way to move
 * control_start (control_start_fixed), recorded in control_event with the
 * reason.  Every other rule (control_dates) still applies.
 */
Datum
control_correct_start(PG_FUNCTION_ARGS)
{
	int64		control_id = PG_GETARG_INT64(0);
	TimestampTz ts = PG_GETARG_TIMESTAMPTZ(1);
	text	   *reason = PG_GETARG_TEXT_PP(2);
	Oid			types[2] = {INT8OID, TIMESTAMPTZOID};
	Datum values[2] = {Int64GetDatum(control_id), TimestampTzGetDatum(ts)};
	QueryContext qc;

	RequireReason(reason, "correct_control_start");
	QuerySpiConnect(&qc, AS_CALLER);
	if (UpdateControl("UPDATE quarantine.control SET control_start = $2 "
					  " WHERE control_id = $1",
					  2, types, values, text_to_cstring(reason), true) == 0)
		NoSuchControl(control_id);
	QuerySpiFinish(&qc);
	PG_RETURN_VOID();
}

/* ---------- revert_to_centralized ---------- */

/*
 * The plan with every home-isolation segment made centralized, adjacent
 * segments of one kind joined: 7c+7h -> 14c, 7c+7h+7m -> 14c+7m.
 */
static IsolationPlan
PlanWithoutHome(IsolationPlan plan)
{
	PlanSegment	  segs[PLAN_MAX_SEGMENTS];
	int			  n = PlanSegments(plan, segs);
	IsolationPlan result;
	int			  out = 0;

	for (int i = 0; i < n; i++)
	{
		if (segs[i].phase == PHASE_HOME)
			segs[i].phase = PHASE_CENTRALIZED;
		if (out > 0 && segs[out - 1].phase == segs[i].phase &&
			segs[out - 1].days + segs[i].days <= PLAN_MAX_DAYS)
			segs[out - 1].days += segs[i].days;
		else
			segs[out++] = segs[i];
	}
	if (!PlanFromSegments(segs, out, &result))
		elog(ERROR, "no plan from the segments of %s", PlanFormat(plan));
	return result;
}

/*
 * revert_to_centralized(control_id, reason): the Fujian guideline (八) — a
 * person on home isolation whose home fails verification goes back to
 * centralized isolation for the rest of the plan. Day 1 stays day 1; the home
 * verification is cleared. Returns the new plan.
 */
Datum
control_revert_to_centralized(PG_FUNCTION_ARGS)
{
	int64		  control_id = PG_GETARG_INT64(0);
	text		 *reason = PG_GETARG_TEXT_PP(1);
	Oid			  types[2] = {INT8OID, InvalidOid};
	Datum		  values[2];
	IsolationPlan plan;
	IsolationPlan reverted;
	ControlStatus status;
	Problem		  p = {0};
	bool		  isnull;
	int			  rc;
	QueryContext  qc;

	RequireReason(reason, "revert_to_centralized");
	QuerySpiConnect(&qc, AS_CALLER);
	values[0] = Int64GetDatum(control_id);
	rc = SPI_execute_with_args("SELECT plan, status "
							   "  FROM quarantine.control "
							   " WHERE control_id = $1 FOR UPDATE",
							   1, types, values, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading control failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		NoSuchControl(control_id);
	status = EnumLabelIndex(
		QE_CONTROL_STATUS,
		DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
									   SPI_tuptable->tupdesc, 2, &isnull)));
	plan = DatumGetIsolationPlan(SPI_getbinval(
		SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (!ControlRevertible(control_id, status, !isnull, plan, &p))
		RaiseProblem(&p, NULL);
	reverted = PlanWithoutHome(plan);
	types[1] = QuarantineTypeOid("isolation_plan");
	values[1] = IsolationPlanGetDatum(reverted);
	UpdateControl("UPDATE quarantine.control "
				  "   SET plan = $2, home_verified_at = NULL "
				  " WHERE control_id = $1",
				  2, types, values, text_to_cstring(reason), false);
	QuerySpiFinish(&qc);
	return IsolationPlanGetDatum(reverted);
}

/* ---------- merge_persons ---------- */

/* Tables whose person_id moves to the kept person, entries before controls
 * so that a moved control still points at an entry of its person. */
static const char *const person_children[] = {
	"entry", "control", "lab_test",		"verification",
	"task",	 "staff",	"health_check", NULL};

/*
 * merge_persons(keep, drop): doc/records.md — move every record of drop to
 * keep in one statement's transaction, record the merge, lose nothing. The
 * dropped row stays, marked merged_into = keep, so its document still resolves
 * (to keep). The control rules apply to the moved rows: two open controls
 * cannot be merged into one person (control_single_open) until one ends.
 */
Datum
person_merge_persons(PG_FUNCTION_ARGS)
{
	int64		   keep = PG_GETARG_INT64(0);
	int64		   drop = PG_GETARG_INT64(1);
	Oid			   types[2] = {INT8OID, INT8OID};
	Datum		   values[2] = {Int64GetDatum(keep), Int64GetDatum(drop)};
	StringInfoData moved;
	StringInfoData sql;
	int			   rc;
	QueryContext   qc;
	QueryContext   owner;

	if (keep == drop)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("cannot merge person %lld into itself",
							   (long long) keep),
						errhint("Name two different persons.")));
	RequireReadCommitted("merge_persons"); /* it moves rows after waiting */
	QuerySpiConnect(&qc, AS_CALLER);

	rc = SPI_execute_with_args(
		"SELECT person_id, merged_into FROM quarantine.person "
		" WHERE person_id IN ($1, $2) ORDER BY person_id FOR UPDATE",
		2, types, values, NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading person failed: %s", SPI_result_code_string(rc));
	if (SPI_processed != 2)
		ereport(ERROR, (errcode(ERRCODE_NO_DATA_FOUND),
						errmsg("persons %lld and %lld do not both exist",
							   (long long) keep, (long long) drop),
						errhint("Check the person_ids.")));
	for (int i = 0; i < 2; i++)
	{
		bool isnull;

		SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2,
					  &isnull);
		if (!isnull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("person %s was already merged",
							SPI_getvalue(SPI_tuptable->vals[i],
										 SPI_tuptable->tupdesc, 1)),
					 errhint("Merge into the person it was merged into.")));
	}

	/*
	 * At most one open medical referral per person (task_referral_open):
	 * when both have one, the dropped person's is closed as merged before
	 * the tasks move.
	 */
	rc = SPI_execute_with_args(
		"UPDATE quarantine.task SET done_at = pg_catalog.now(), "
		"       outcome = 'merged into person ' OPERATOR(pg_catalog.||) "
		"$1::pg_catalog.text "
		" WHERE person_id OPERATOR(pg_catalog.=) $2 "
		"   AND module OPERATOR(pg_catalog.=) 'medical_referral' "
		"   AND done_at IS NULL "
		"   AND EXISTS (SELECT 1 FROM quarantine.task k "
		"                WHERE k.person_id OPERATOR(pg_catalog.=) $1 "
		"                  AND k.module OPERATOR(pg_catalog.=) "
		"'medical_referral' AND k.done_at IS NULL)",
		2, types, values, NULL, false, 0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "closing a referral failed: %s",
			 SPI_result_code_string(rc));

	initStringInfo(&moved);
	initStringInfo(&sql);
	appendStringInfoChar(&moved, '{');
	for (int i = 0; person_children[i] != NULL; i++)
	{
		/* A table of a later version than the schema being upgraded. */
		if (!OidIsValid(
				get_relname_relid(person_children[i], QuarantineNamespace())))
			continue;
		resetStringInfo(&sql);
		appendStringInfo(&sql,
						 "UPDATE quarantine.%s SET person_id = $1 "
						 " WHERE person_id = $2",
						 person_children[i]);
		rc = SPI_execute_with_args(sql.data, 2, types, values, NULL, false, 0);
		if (rc != SPI_OK_UPDATE)
			elog(ERROR, "moving %s failed: %s", person_children[i],
				 SPI_result_code_string(rc));
		appendStringInfo(&moved, "%s\"%s\": " UINT64_FORMAT, i ? ", " : "",
						 person_children[i], SPI_processed);
	}
	appendStringInfoChar(&moved, '}');

	/* Persons merged into drop earlier now resolve to keep: no chains. */
	rc = SPI_execute_with_args("UPDATE quarantine.person SET merged_into = $1 "
							   " WHERE person_id = $2 OR merged_into = $2",
							   2, types, values, NULL, false, 0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "marking person failed: %s", SPI_result_code_string(rc));
	/* The log tables are written with the extension's rights. */
	QuerySpiConnect(&owner, OWNER_MERGE_PERSONS);
	rc = SPI_execute_with_args(
		"UPDATE quarantine.duplicate_candidate SET resolution = 'merged' "
		" WHERE (person_id, other_id) IN (($1, $2), ($2, $1))",
		2, types, values, NULL, false, 0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "resolving candidates failed: %s",
			 SPI_result_code_string(rc));
	{
		Oid	  t4[4] = {INT8OID, INT8OID, TEXTOID, TEXTOID};
		Datum v4[4] = {values[0], values[1], CStringGetTextDatum(moved.data),
					   CStringGetTextDatum(QueryCallerName(&owner))};

		rc = SPI_execute_with_args("INSERT INTO quarantine.person_merge "
								   "  (keep_id, drop_id, moved, by_role) "
								   "VALUES ($1, $2, $3::pg_catalog.jsonb, $4)",
								   4, t4, v4, NULL, false, 0);
		if (rc != SPI_OK_INSERT)
			elog(ERROR, "recording merge failed: %s",
				 SPI_result_code_string(rc));
	}
	QuerySpiFinish(&owner);
	QuerySpiFinish(&qc);
	PG_RETURN_VOID();
}
