/*
 * query_context.c
 *		Pinned search_path and owner's rights for the extension's own queries
 *		(see query_context.h).
 */
#include "records/query_context.h"

#include "catalog/namespace.h"
#include "funcapi.h"
#include "catalog/pg_namespace.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(owner_rights_entry_points);

/*
 * Every entry point that runs with the extension owner's rights: the owner
 * switches of the C code (QuerySpiConnect with an OwnerEntry), the log
 * writer that inserts without a switch (audit_after_write), and the
 * SECURITY DEFINER functions of the SQL, named as regprocedure prints them
 * with only pg_catalog on the search_path.  sql/97_hostile.sql exercises
 * each name listed here and checks that every SECURITY DEFINER function of
 * the extension is listed.
 */
static const char *const owner_entry_points[OWNER_ENTRY_COUNT] = {
	[AS_CALLER] = NULL,
	/* staged_load.c, staged_reject.c: the ledger and the rejects */
	[OWNER_LOAD_STAGED] = "load_staged",
	/* manifest_load.c: import_reject and the ledger import_accept */
	[OWNER_LOAD_MANIFEST] = "load_manifest",
	/* control_ops.c: duplicate_candidate and person_merge */
	[OWNER_MERGE_PERSONS] = "merge_persons",
	/* health_feed.c: the code feed, from the refresh and the trigger */
	[OWNER_REFRESH_CODES] = "refresh_codes",
	[OWNER_CODE_FEED_TRIGGER] = "trigger code_feed_after_write",
	/* records.c for trg_control.c and trg_person.c: the log statements */
	[OWNER_CONTROL_EVENT_TRIGGER] = "trigger control_after_update",
	[OWNER_DUPLICATE_TRIGGER] = "trigger person_after_write",
	/* audit.c: writes audit_log directly, no switch, no SQL */
	[OWNER_AUDIT_TRIGGER] = "trigger audit_after_write",
	/* places.c: the jurisdiction of a site's location */
	[OWNER_SITE_JURISDICTION] = "trigger site_before_write",
	/* policy_cache.c: reading quarantine.policy for every rule */
	[OWNER_POLICY_CACHE] = "policy cache",
	/* federation.c */
	[OWNER_FEDERATION_RESCOPE] = "trigger federation_person_rescope",
	[OWNER_FEDERATION_OUTCOME_RECORD] =
		"trigger federation_task_outcome_record",
	[OWNER_FEDERATION_OUTCOME_APPLY] = "trigger federation_task_outcome_apply",
	[OWNER_FEDERATION_TASK_ADDRESS] = "trigger federation_task_address",
	/*
	 * SECURITY DEFINER functions (87_places_trail.sql, 91_today.sql,
	 * 93_analytics_questions.sql)
	 */
	[OWNER_SCAN_TRAIL_MAINTENANCE] = "quarantine.scan_trail_maintenance()",
	[OWNER_ANALYTICS_TODAY_CONTROLS] = "quarantine.analytics_today_controls()",
	[OWNER_ANALYTICS_TESTS_DUE] = "quarantine.analytics_tests_due_today()",
	[OWNER_ANALYTICS_COLOR_CHANGES] =
		"quarantine.analytics_color_changes_tonight()",
	[OWNER_ANALYTICS_RELEASES_DUE] = "quarantine.analytics_releases_due()",
	[OWNER_ANALYTICS_STAFF_TESTS_OVERDUE] =
		"quarantine.analytics_staff_tests_overdue()",
	[OWNER_ANALYTICS_CASE_CONTACTS] = "quarantine.analytics_case_contacts()",
	/* monitoring.c, trg_task.c (doc/monitoring.md) */
	[OWNER_TASK_JURISDICTION] = "trigger task_before_write",
	[OWNER_REFERRAL_TRIGGER] = "trigger health_check_after_insert",
	[OWNER_REFERRAL_CLOSE_TRIGGER] = "trigger medical_referral_close",
	[OWNER_SUBMIT_DAILY_REPORT] = "submit_daily_report",
	/* SECURITY DEFINER functions (93_monitoring.sql) */
	[OWNER_ANALYTICS_DAILY_REPORT] = "quarantine_analytics.daily_report(date)",
	[OWNER_ANALYTICS_COMPLETENESS] =
		"quarantine_analytics.monitoring_completeness(date,date)",
	[OWNER_ANALYTICS_CHECKS_MISSING] =
		"quarantine_analytics.health_checks_missing(date)",
	[OWNER_INBOUND_STATUS] =
		"quarantine.inbound_status(quarantine.doc_kind,text,character)",
	/*
	 * lot_release.c: lock the goods_lot row and probe the lot's rows without
	 * the caller's privileges or row security; no switch, no SQL
	 */
	[OWNER_LOT_RELEASE_TRIGGER] = "trigger lot_movement_release",
	[OWNER_SAMPLE_LOCK_TRIGGER] = "trigger env_sample_lock_lot",
};

const char *
OwnerEntryName(OwnerEntry entry)
{
	if (entry <= AS_CALLER || entry >= OWNER_ENTRY_COUNT ||
		owner_entry_points[entry] == NULL)
		elog(ERROR, "owner-rights entry point %d is not named", (int) entry);
	return owner_entry_points[entry];
}

/* owner_rights_entry_points() → setof text: the table above. */
Datum
owner_rights_entry_points(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (int i = AS_CALLER + 1; i < OWNER_ENTRY_COUNT; i++)
	{
		Datum value = CStringGetTextDatum(OwnerEntryName((OwnerEntry) i));
		bool  isnull = false;

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value,
							 &isnull);
	}
	return (Datum) 0;
}

static Oid	quarantine_nsp = InvalidOid;
static bool nsp_callback = false;

static void
ForgetNamespace(Datum arg, int cacheid, uint32 hashvalue)
{
	quarantine_nsp = InvalidOid;
}

Oid
QuarantineNamespace(void)
{
	if (!nsp_callback)
	{
		CacheRegisterSyscacheCallback(NAMESPACEOID, ForgetNamespace,
									  (Datum) 0);
		nsp_callback = true;
	}
	if (!OidIsValid(quarantine_nsp))
		quarantine_nsp = get_namespace_oid("quarantine", false);
	return quarantine_nsp;
}

/* Owner of schema quarantine: the role that created the extension. */
static Oid
QuarantineOwner(void)
{
	HeapTuple tup;
	Oid		  owner;

	tup =
		SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(QuarantineNamespace()));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for namespace %u",
			 QuarantineNamespace());
	owner = ((Form_pg_namespace) GETSTRUCT(tup))->nspowner;
	ReleaseSysCache(tup);
	return owner;
}

void
QuerySpiConnect(QueryContext *qc, OwnerEntry entry)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* As fmgr does for a function's SET clause. */
	qc->guc_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", QUARANTINE_SEARCH_PATH,
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true,
							 0, false);
	qc->entry = entry;
	qc->as_owner = entry != AS_CALLER;
	if (qc->as_owner)
	{
		(void) OwnerEntryName(entry); /* a switch names its entry point */
		GetUserIdAndSecContext(&qc->save_userid, &qc->save_sec_context);
		SetUserIdAndSecContext(QuarantineOwner(),
							   qc->save_sec_context |
								   SECURITY_LOCAL_USERID_CHANGE);
	}
}

void
QuerySpiFinish(QueryContext *qc)
{
	if (qc->as_owner)
		SetUserIdAndSecContext(qc->save_userid, qc->save_sec_context);
	AtEOXact_GUC(true, qc->guc_nestlevel);
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed");
}

bool
QuarantineHasColumn(const char *table, const char *column)
{
	Oid relid = get_relname_relid(table, QuarantineNamespace());

	return OidIsValid(relid) && get_attnum(relid, column) != InvalidAttrNumber;
}

Datum
CallerScope(bool *isnull)
{
	MemoryContext keep = CurrentMemoryContext;
	Datum		  scope;

	/* before 0.2.0 there were no scopes: a reject is then everybody's */
	if (!OidIsValid(
			LookupFuncName(list_make2(makeString("quarantine"),
									  makeString("scope_jurisdictions")),
						   0, NULL, true)))
	{
		*isnull = true;
		return (Datum) 0;
	}

	if (SPI_execute(
			"SELECT CASE WHEN r.rolsuper OR r.rolbypassrls "
			"  OR pg_catalog.pg_has_role(r.oid, 'quarantine_admin', 'MEMBER') "
			"  THEN NULL ELSE quarantine.scope_jurisdictions() END "
			"  FROM pg_catalog.pg_roles r "
			" WHERE r.oid OPERATOR(pg_catalog.=) "
			"       pg_catalog.to_regrole(CURRENT_USER::pg_catalog.text)",
			true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "reading the caller's scope failed");
	scope =
		SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, isnull);
	if (*isnull)
		return (Datum) 0;
	MemoryContextSwitchTo(keep);
	scope = datumCopy(scope, false, -1);
	return scope;
}

const char *
QueryCallerName(const QueryContext *qc)
{
	return GetUserNameFromId(qc->as_owner ? qc->save_userid : GetUserId(),
							 false);
}
