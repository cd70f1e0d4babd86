/*
 * monitoring.c
 *		Daily health monitoring and the daily report (doc/monitoring.md; the
 *		Fujian guideline 七: *		a person isolated at home is followed up every day, temperature and
 *		symptoms, and a fever goes to hospital at once; the port-city notice 四: the
 *		staff's daily "zero report"; the district notes: the districts report to the
 *		province every day).
 *
 * The rules of a check are pure functions (arrival.c holds the symptom
 * vocabulary and the temperature range they share with an arrival; the time
 * rule is here); the triggers raise them.  A fever or a symptom issues one
 * medical_referral task, set-based per statement; a unique partial index on
 * task makes it one even when two reports arrive at once.  A district's
 * daily report is frozen by submit_daily_report into daily_report_submission,
 * which nobody may change.  doc/monitoring.md has every definition.
 */
#include "records/query_context.h"
#include "records/record_locks.h"
#include "records/records.h"
#include "rules/rule.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/array.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(health_check_before_write);
PG_FUNCTION_INFO_V1(health_check_after_insert);
PG_FUNCTION_INFO_V1(medical_referral_due);
PG_FUNCTION_INFO_V1(medical_referral_close);
PG_FUNCTION_INFO_V1(daily_report_submission_immutable);
PG_FUNCTION_INFO_V1(submit_daily_report);

/* A referral is issued only for a report at most this old (doc/monitoring.md). */
#define REFERRAL_MAX_AGE_SECONDS (24 * 60 * 60)

/* ---------- the rules ---------- */

/*
 * health_check_time: a check happened in the record years and not more than
 * five minutes after now (a clock a little ahead is tolerated; a report of
 * tomorrow is a typing error).  23514 either way (doc/monitoring.md).
 */
bool
HealthCheckTime(TimestampTz at, TimestampTz now, Problem *p)
{
	if (!PlausibleInstant(at, "health_check_time", "check time", p))
	{
		p->sqlstate = ERRCODE_CHECK_VIOLATION;
		return false;
	}
	if (at <= now + (TimestampTz) HEALTH_CHECK_AHEAD_SECONDS * USECS_PER_SEC)
		return true;
	return Flag(
		p, "health_check_time", ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("check time %s is in the future"), timestamptz_to_str(at)),
		psprintf(_Q("It is %s; a check may lie at most %d minutes ahead."),
				 timestamptz_to_str(now), HEALTH_CHECK_AHEAD_SECONDS / 60),
		pstrdup(_Q("Record the time the temperature was taken.")));
}

/*
 * Whether a report at checked_at with these values issues a referral at
 * now: a fever or a symptom (HealthCheckAlarming), reported within the last
 * 24 hours (an older one is history, not an emergency).
 */
static bool
ReferralDue(TimestampTz checked_at, TimestampTz now, bool has_temp,
			double temperature, ArrayType *symptoms)
{
	if (checked_at <
		now - (TimestampTz) REFERRAL_MAX_AGE_SECONDS * USECS_PER_SEC)
		return false;
	return HealthCheckAlarming(has_temp, temperature, symptoms);
}

/* The text of a numeric temperature, and its value. */
static double
TemperatureOf(Datum numeric, char **shown)
{
	*shown = DatumGetCString(DirectFunctionCall1(numeric_out, numeric));
	return strtod(*shown, NULL);
}

/*
 * medical_referral_due(checked_at, temperature, symptoms) → boolean, for the
 * set-based referral statement and for clients: the referral rule at the
 * statement's now().  Not strict: NULL temperature is "not measured", NULL
 * symptoms "none reported".
 */
Datum
medical_referral_due(PG_FUNCTION_ARGS)
{
	double	   temperature = 0;
	ArrayType *symptoms = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);
	Problem	   p = {0};

	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);
	if (!PG_ARGISNULL(1))
	{
		char *shown;

		temperature = TemperatureOf(PG_GETARG_DATUM(1), &shown);
		Require(HealthCheckTemperature(temperature, shown, &p), &p, NULL);
	}
	if (symptoms != NULL)
		Require(HealthCheckSymptoms(symptoms, &p), &p, NULL);
	PG_RETURN_BOOL(ReferralDue(PG_GETARG_TIMESTAMPTZ(0),
							   GetCurrentStatementStartTimestamp(),
							   !PG_ARGISNULL(1), temperature, symptoms));
}

/* ---------- health_check triggers ---------- */

enum
{
	H_CHECKED_AT,
	H_TEMPERATURE,
	H_SYMPTOMS
};
static const char *const check_columns[] = {"checked_at", "temperature",
											"symptoms", NULL};
static ColumnMap		 check_map = {.names = check_columns};

/* BEFORE INSERT OR UPDATE FOR EACH ROW on health_check: the three rules. */
Datum
health_check_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td = RowTriggerData(fcinfo, "health_check_before_write",
									 "health_check", true);
	Relation	 rel = td->tg_relation;
	TupleDesc	 desc = RelationGetDescr(rel);
	HeapTuple	 row = TriggerRow(td);
	const int	*att;
	bool		 isnull;
	Datum		 d;
	Problem		 p = {0};

	/* A restore stores the rows as they were written (doc/operations.md). */
	if (RestoringInto(rel))
		return PointerGetDatum(row);
	ColumnMapFor(&check_map, rel);
	att = check_map.attnum;

	d = heap_getattr(row, att[H_CHECKED_AT], desc, &isnull);
	if (!isnull && !HealthCheckTime(DatumGetTimestampTz(d),
									GetCurrentStatementStartTimestamp(), &p))
	{
		ProblemColumn(&p, att[H_CHECKED_AT]);
		RaiseProblem(&p, rel);
	}

	d = heap_getattr(row, att[H_TEMPERATURE], desc, &isnull);
	if (!isnull)
	{
		char  *shown;
		double t = TemperatureOf(d, &shown);

		Require(HealthCheckTemperature(t, shown, &p), &p, rel);
	}

	d = heap_getattr(row, att[H_SYMPTOMS], desc, &isnull);
	if (!isnull && !HealthCheckSymptoms(DatumGetArrayTypeP(d), &p))
	{
		ProblemColumn(&p, att[H_SYMPTOMS]);
		RaiseProblem(&p, rel);
	}
	return PointerGetDatum(row);
}

/* The columns of new_rows the referral statement reads. */
enum
{
	R_PERSON_ID,
	R_CHECKED_AT,
	R_TEMPERATURE,
	R_SYMPTOMS
};
static const char *const referral_columns[] = {
	"person_id", "checked_at", "temperature", "symptoms", NULL};
static ColumnMap referral_map = {.names = referral_columns};

/*
 * medical_referral_due of every row of new_rows, in C and in the order the
 * rows were written (the same rule, the same refusal of an unknown symptom or
 * an implausible temperature, as the SQL function would give): the persons
 * and check times of the rows that call for a referral, into two arrays.
 * False when none does.
 */
static bool
ReferralsDue(TriggerData *td, Datum *persons, Datum *times)
{
	Relation		rel = td->tg_relation;
	TupleTableSlot *slot;
	TimestampTz		now = GetCurrentStatementStartTimestamp();
	const int	   *att;
	Datum		   *ids = NULL;
	Datum		   *ats = NULL;
	int				n = 0;
	int				size = 0;

	ColumnMapFor(&referral_map, rel);
	att = referral_map.attnum;
	slot =
		MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
	TransitionTableStartReading(td->tg_newtable);
	while (tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
	{
		bool	   isnull;
		Datum	   at = slot_getattr(slot, att[R_CHECKED_AT], &isnull);
		bool	   has_temp;
		double	   temperature = 0;
		ArrayType *symptoms = NULL;
		Datum	   d;
		Problem	   p = {0};

		if (isnull)
			continue; /* medical_referral_due: no time, no referral */
		d = slot_getattr(slot, att[R_TEMPERATURE], &isnull);
		has_temp = !isnull;
		if (has_temp)
		{
			char *shown;

			temperature = TemperatureOf(d, &shown);
			Require(HealthCheckTemperature(temperature, shown, &p), &p, NULL);
		}
		d = slot_getattr(slot, att[R_SYMPTOMS], &isnull);
		if (!isnull)
		{
			symptoms = DatumGetArrayTypeP(d);
			Require(HealthCheckSymptoms(symptoms, &p), &p, NULL);
		}
		if (!ReferralDue(DatumGetTimestampTz(at), now, has_temp, temperature,
						 symptoms))
			continue;
		if (n == size)
		{
			size = size == 0 ? 64 : size * 2;
			ids = ids ? repalloc(ids, sizeof(Datum) * size)
					  : palloc(sizeof(Datum) * size);
			ats = ats ? repalloc(ats, sizeof(Datum) * size)
					  : palloc(sizeof(Datum) * size);
		}
		/* person_id is NOT NULL */
		ids[n] = slot_getattr(slot, att[R_PERSON_ID], &isnull);
		ats[n] = at;
		n++;
	}
	ExecDropSingleTupleTableSlot(slot);
	if (n == 0)
		return false;
	*persons = PointerGetDatum(construct_array(
		ids, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	*times = PointerGetDatum(
		construct_array(ats, n, TIMESTAMPTZOID, sizeof(TimestampTz),
						FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	return true;
}

/*
 * AFTER INSERT FOR EACH STATEMENT on health_check (new_rows): one
 * medical_referral per person whose reports of the statement call for one,
 * issued and due at the first such report, unless the person already has an
 * open referral or is in medical care.  The unique index task_referral_open
 * decides between two statements at once (ON CONFLICT waits for the other's
 * row, then skips).  The task trigger fills due_at and the jurisdiction.
 * The rule is decided in C over the rows (ReferralsDue); the statement runs
 * only when some row calls for a referral, over those rows alone, so a COPY
 * of a day's normal reports plans and runs no SQL.  A medical control is
 * open: the redundant control_status_open lets the planner read the partial
 * index control_open_status instead of every control (doc/benchmarks.md).
 */
Datum
health_check_after_insert(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"health_check", NULL};
	TriggerData				*td =
		StatementTriggerData(fcinfo, "health_check_after_insert", tables);
	Oid	  argtypes[2] = {INT8ARRAYOID, TIMESTAMPTZARRAYOID};
	Datum values[2];

	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event) || td->tg_newtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("health_check_after_insert: must fire after insert, "
						"with transition table new_rows")));
	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(NULL);
	if (!ReferralsDue(td, &values[0], &values[1]))
		return PointerGetDatum(NULL);
	ExecuteWithTransitionTables(
		OWNER_REFERRAL_TRIGGER, td,
		"INSERT INTO quarantine.task (module, person_id, issued_at) "
		"SELECT 'medical_referral', n.person_id, pg_catalog.min(n.checked_at) "
		"  FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) "
		"       AS n(person_id, checked_at) "
		" WHERE NOT EXISTS (SELECT 1 FROM quarantine.control c "
		"                    WHERE c.person_id OPERATOR(pg_catalog.=) "
		"n.person_id "
		"                      AND c.status OPERATOR(pg_catalog.=) "
		"'medical'::quarantine.control_status "
		"                      AND quarantine.control_status_open(c.status)) "
		" GROUP BY n.person_id ORDER BY n.person_id "
		"ON CONFLICT (person_id) WHERE module OPERATOR(pg_catalog.=) "
		"'medical_referral'::pg_catalog.text AND done_at IS NULL DO NOTHING",
		2, argtypes, values, NULL);
	return PointerGetDatum(NULL);
}

/*
 * AFTER INSERT or AFTER UPDATE FOR EACH STATEMENT on control: a control that
 * moves to medical (or is recorded in medical) closes its person's open
 * referral; the outcome says so.
 */
Datum
medical_referral_close(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"control", NULL};
	TriggerData				*td =
		StatementTriggerData(fcinfo, "medical_referral_close", tables);
	const char *moved;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(NULL);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) && td->tg_oldtable != NULL &&
		td->tg_newtable != NULL)
		moved = "SELECT n.person_id FROM new_rows n JOIN old_rows o "
				"    ON o.control_id OPERATOR(pg_catalog.=) n.control_id "
				" WHERE n.status OPERATOR(pg_catalog.=) "
				"'medical'::quarantine.control_status "
				"   AND o.status OPERATOR(pg_catalog.<>) "
				"'medical'::quarantine.control_status";
	else if (TRIGGER_FIRED_BY_INSERT(td->tg_event) && td->tg_newtable != NULL)
		moved = "SELECT n.person_id FROM new_rows n "
				" WHERE n.status OPERATOR(pg_catalog.=) "
				"'medical'::quarantine.control_status";
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("medical_referral_close: must fire after insert or "
						"update, with transition tables")));
	ExecuteWithTransitionTables(
		OWNER_REFERRAL_CLOSE_TRIGGER, td,
		psprintf("UPDATE quarantine.task t "
				 "   SET done_at = pg_catalog.now(), outcome = 'medical' "
				 " WHERE t.module OPERATOR(pg_catalog.=) "
				 "'medical_referral'::pg_catalog.text "
				 "   AND t.done_at IS NULL "
				 "   AND t.person_id IN (%s)",
				 moved),
		0, NULL, NULL, NULL);
	return PointerGetDatum(NULL);
}

/* ---------- daily_report_submission ---------- */

/*
 * BEFORE UPDATE OR DELETE FOR EACH ROW and BEFORE TRUNCATE on
 * daily_report_submission: a submitted report is what the province
 * received; nobody changes it (rule daily_report_submission_immutable).  A
 * correction is a new version (submit_daily_report).
 */
Datum
daily_report_submission_immutable(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	 rel;
	Problem		 p = {0};

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("daily_report_submission_immutable: not called by "
						"trigger manager")));
	rel = td->tg_relation;
	if (strcmp(RelationGetRelationName(rel), "daily_report_submission") != 0 ||
		RelationGetNamespace(rel) != QuarantineNamespace() ||
		!TRIGGER_FIRED_BEFORE(td->tg_event) ||
		TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("daily_report_submission_immutable: fired on %s, not "
						"before update, delete or truncate of "
						"quarantine.daily_report_submission",
						RelationGetRelationName(rel))));
	Flag(
		&p, "daily_report_submission_immutable", ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("a submitted daily report cannot be %s"),
				 TRIGGER_FIRED_BY_UPDATE(td->tg_event)	 ? _Q("updated")
				 : TRIGGER_FIRED_BY_DELETE(td->tg_event) ? _Q("deleted")
														 : _Q("truncated")),
		pstrdup(_Q("Submissions are what the province received; they are kept "
				   "as submitted.")),
		pstrdup(_Q("Submit the report again with submit_daily_report(): it "
				   "adds a new version.")));
	RaiseProblem(&p, rel);
}

/* 42501 daily_report_scope: the caller may not submit for jurisdiction. */
static void
RaiseNotYourDistrict(const char *jurisdiction, const char *why)
{
	Problem p = {0};

	Flag(&p, "daily_report_scope", ERRCODE_INSUFFICIENT_PRIVILEGE,
		 psprintf(_Q("permission denied to submit the daily report of %s"),
				  jurisdiction),
		 pstrdup(why),
		 pstrdup(_Q("Submit the reports of the districts you work on; an "
					"administrator of the node that owns a district submits "
					"for any of them.")));
	RaiseProblem(&p, NULL);
}

/* The one-column boolean or text answer of the last query. */
static bool
SpiBool(int col)
{
	bool  isnull;
	Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col,
							&isnull);

	return !isnull && DatumGetBool(d);
}

/*
 * submit_daily_report(jurisdiction text, on_date date) → integer: freezes
 * the district's row of daily_report(on_date) as the next version in
 * daily_report_submission and returns the version.
 *
 *  - on_date must be over: before the local today (daily_report_date);
 *  - the caller is an administrator, or an operator whose scope holds the
 *    district (daily_report_scope, 42501; an unknown code is refused the
 *    same way, so the refusal tells nothing about other districts);
 *  - the node owns the district: not the province, and on a city node a
 *    district of that city (daily_report_scope);
 *  - the row is computed and written with the extension owner's rights
 *    (all rows, whatever the caller's row security) under a transaction
 *    lock per district and day, so two submissions at once get versions 1
 *    and 2.  READ COMMITTED: the second must see the first's version.
 */
Datum
submit_daily_report(PG_FUNCTION_ARGS)
{
	text		*jurisdiction_t = PG_GETARG_TEXT_PP(0);
	char		*jurisdiction = text_to_cstring(jurisdiction_t);
	DateADT		 on_date = PG_GETARG_DATEADT(1);
	DateADT		 today = LocalToday();
	Oid			 types[2] = {TEXTOID, DATEOID};
	Datum		 values[2] = {PointerGetDatum(jurisdiction_t),
							  DateADTGetDatum(on_date)};
	QueryContext caller;
	QueryContext owner;
	Problem		 p = {0};
	bool		 admin;
	bool		 in_scope;
	bool		 isnull;
	int			 rc;
	int32		 version;

	if (!PlausibleDate(on_date, "daily_report_date", "report date", &p))
		RaiseProblem(&p, NULL);
	if (on_date >= today)
	{
		Flag(&p, "daily_report_date", ERRCODE_CHECK_VIOLATION,
			 psprintf(_Q("the daily report of %s cannot be submitted yet"),
					  DateText(on_date)),
			 psprintf(_Q("Today is %s in %s; a day's report is submitted once "
						 "the day is over."),
					  DateText(today), quarantine_timezone),
			 pstrdup(
				 _Q("Submit the report of a past day (yesterday's is due at "
					"12:00 today).")));
		RaiseProblem(&p, NULL);
	}
	RequireReadCommitted("submit_daily_report");

	/* The caller's rights, as the caller. */
	QuerySpiConnect(&caller, AS_CALLER);
	rc = SPI_execute_with_args(
		"SELECT pg_catalog.pg_has_role('quarantine_admin', 'MEMBER'), "
		"       $1 OPERATOR(pg_catalog.=) ANY "
		"(quarantine.scope_jurisdictions())",
		1, types, values, NULL, true, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "reading the caller's scope failed: %s",
			 SPI_result_code_string(rc));
	admin = SpiBool(1);
	in_scope = SpiBool(2);
	QuerySpiFinish(&caller);
	if (!admin && !in_scope)
		RaiseNotYourDistrict(jurisdiction,
							 "The district is not in your operator_scope.");

	QuerySpiConnect(&owner, OWNER_SUBMIT_DAILY_REPORT);
	rc = SPI_execute_with_args(
		"WITH RECURSIVE up (code, parent) AS ("
		"  SELECT j.code, j.parent FROM quarantine.jurisdiction j "
		"   WHERE j.code OPERATOR(pg_catalog.=) $1 "
		"  UNION "
		"  SELECT j.code, j.parent FROM quarantine.jurisdiction j "
		"    JOIN up ON j.code OPERATOR(pg_catalog.=) up.parent) "
		"SELECT $1 OPERATOR(pg_catalog.=) 'unassigned' "
		"    OR EXISTS (SELECT 1 FROM quarantine.jurisdiction j "
		"                WHERE j.code OPERATOR(pg_catalog.=) $1 "
		"                  AND j.level OPERATOR(pg_catalog.=) 'district'), "
		"       EXISTS (SELECT 1 FROM quarantine.federation_node f "
		"                WHERE f.role OPERATOR(pg_catalog.=) 'province'), "
		"       NOT EXISTS (SELECT 1 FROM quarantine.federation_node f "
		"                    WHERE f.role OPERATOR(pg_catalog.=) 'city') "
		"    OR EXISTS (SELECT 1 FROM up JOIN quarantine.federation_node f "
		"                 ON f.jurisdiction OPERATOR(pg_catalog.=) up.code)",
		1, types, values, NULL, true, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "reading the district failed: %s",
			 SPI_result_code_string(rc));
	if (!SpiBool(1))
	{
		Flag(
			&p, "daily_report_district", ERRCODE_INVALID_PARAMETER_VALUE,
			psprintf(_Q("%s is not a district"), jurisdiction),
			pstrdup(_Q("Daily reports are submitted per jurisdiction of level "
					   "district, or for the unassigned line.")),
			pstrdup(_Q("Name a district code as daily_report() lists it.")));
		RaiseProblem(&p, NULL);
	}
	if (SpiBool(2))
		RaiseNotYourDistrict(jurisdiction,
							 "This node is the province: the city node that "
							 "owns the district submits its report.");
	if (!SpiBool(3))
		RaiseNotYourDistrict(jurisdiction,
							 "The district belongs to another city's node.");

	rc = SPI_execute_with_args(
		"SELECT pg_catalog.pg_advisory_xact_lock("
		"  'quarantine.daily_report_submission'::pg_catalog.regclass::"
		"pg_catalog.oid::pg_catalog.int4, "
		"  pg_catalog.hashtext($1 OPERATOR(pg_catalog.||) '/' "
		"OPERATOR(pg_catalog.||) $2::pg_catalog.text))",
		2, types, values, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "locking the report failed: %s",
			 SPI_result_code_string(rc));
	{
		Oid	  t3[3] = {TEXTOID, DATEOID, TEXTOID};
		Datum v3[3] = {values[0], values[1],
					   CStringGetTextDatum(QueryCallerName(&owner))};

		rc = SPI_execute_with_args(
			"INSERT INTO quarantine.daily_report_submission "
			"  (jurisdiction, on_date, version, by_role, district, "
			"   new_controls, ended_completed, sent_to_medical, "
			"   new_positive_nats, open_controls, open_centralized, "
			"   open_home, open_monitoring, monitored, checks_missing, "
			"   overdue_tasks) "
			"SELECT r.jurisdiction, $2, "
			"       coalesce((SELECT pg_catalog.max(s.version) "
			"                   FROM quarantine.daily_report_submission s "
			"                  WHERE s.jurisdiction OPERATOR(pg_catalog.=) $1 "
			"                    AND s.on_date OPERATOR(pg_catalog.=) $2), 0) "
			"       OPERATOR(pg_catalog.+) 1, $3, r.district, "
			"       r.new_controls, r.ended_completed, r.sent_to_medical, "
			"       r.new_positive_nats, r.open_controls, r.open_centralized, "
			"       r.open_home, r.open_monitoring, r.monitored, "
			"       r.checks_missing, r.overdue_tasks "
			"  FROM quarantine.daily_report($2) r "
			" WHERE r.jurisdiction OPERATOR(pg_catalog.=) $1 "
			"RETURNING version",
			3, t3, v3, NULL, false, 0);
	}
	if (rc != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
		elog(ERROR, "recording the report failed: %s",
			 SPI_result_code_string(rc));
	version = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1, &isnull));
	QuerySpiFinish(&owner);
	PG_RETURN_INT32(version);
}

PG_FUNCTION_INFO_V1(local_day_start);

/*
 * local_day_start(on_date date) → timestamptz: 00:00 local on on_date in
 * quarantine.timezone, the instant a local day begins (its end is the start
 * of the next day); the daily report's "as of 24:00" in SQL.
 */
Datum
local_day_start(PG_FUNCTION_ARGS)
{
	DateADT day = PG_GETARG_DATEADT(0);
	Problem p = {0};

	if (!PlausibleDate(day, "local_day", "date", &p))
		RaiseProblem(&p, NULL);
	PG_RETURN_TIMESTAMPTZ(LocalTimestampOf(day, 0, 0));
}
