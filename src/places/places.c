/*
 * places.c
 *		The jurisdiction of a location (doc/places.md) and the scan trail's
 *		retention setting.
 *
 * A person (home_location) or a site (location) written without a
 * jurisdiction gets the smallest unit whose boundary covers the point.  The
 * decision of which unit that is lives in one place, the SQL function
 * quarantine.jurisdictions_at() (src/sql/87_places_trail.sql: a point on a
 * shared border goes to the smaller unit, then the lower code); the
 * triggers run its first row through a plan prepared once per backend
 * (SPI_keepplan), which the plan cache replans after DDL.  The query runs
 * as the extension owner with the pinned search_path (query_context.h), so
 * every writer gets the same answer whatever its grants.
 */
#include "places/places.h"
#include "records/query_context.h"

#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(site_before_write);
PG_FUNCTION_INFO_V1(scan_retention);

int quarantine_scan_retention_days = 28;

static SPIPlanPtr jurisdiction_plan = NULL;
static Oid		  jurisdiction_plan_type = InvalidOid;

bool
JurisdictionAt(Datum location, Oid typid, Datum *code)
{
	QueryContext qc;
	bool		 found = false;
	int			 rc;

	QuerySpiConnect(&qc, OWNER_SITE_JURISDICTION);
	if (jurisdiction_plan == NULL || jurisdiction_plan_type != typid)
	{
		SPIPlanPtr plan =
			SPI_prepare("SELECT j.code FROM quarantine.jurisdictions_at($1) j "
						"LIMIT 1",
						1, &typid);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s",
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		if (jurisdiction_plan != NULL)
			SPI_freeplan(jurisdiction_plan);
		jurisdiction_plan = plan;
		jurisdiction_plan_type = typid;
	}
	rc = SPI_execute_plan(jurisdiction_plan, &location, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	if (SPI_processed > 0)
	{
		bool  isnull;
		Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
								1, &isnull);

		if (!isnull)
		{
			/* into the caller's context, out of SPI's */
			*code = SPI_datumTransfer(d, false, -1);
			found = true;
		}
	}
	QuerySpiFinish(&qc);
	return found;
}

bool
JurisdictionFromLocation(ColumnMap *map, Relation rel, HeapTuple row,
						 int *attnum, Datum *code)
{
	TupleDesc desc = RelationGetDescr(rel);
	bool	  isnull;
	Datum	  location;

	ColumnMapFor(map, rel);
	(void) heap_getattr(row, map->attnum[1], desc, &isnull);
	if (!isnull)
		return false; /* a jurisdiction given is kept */
	location = heap_getattr(row, map->attnum[0], desc, &isnull);
	if (isnull)
		return false;
	*attnum = map->attnum[1];
	return JurisdictionAt(
		location, TupleDescAttr(desc, map->attnum[0] - 1)->atttypid, code);
}

/* ---------- site ---------- */

static const char *const site_place_columns[] = {"location", "jurisdiction",
												 NULL};
static ColumnMap		 site_place_map = {.names = site_place_columns};

/* BEFORE INSERT OR UPDATE FOR EACH ROW on site. */
Datum
site_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "site_before_write", "site", true);
	HeapTuple row = TriggerRow(td);
	int		  attnum;
	Datum	  code;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	if (JurisdictionFromLocation(&site_place_map, td->tg_relation, row,
								 &attnum, &code))
	{
		bool isnull = false;

		row = heap_modify_tuple_by_cols(row, RelationGetDescr(td->tg_relation),
										1, &attnum, &code, &isnull);
	}
	return PointerGetDatum(row);
}

/* ---------- the scan trail ---------- */

/* quarantine.scan_retention_days as an interval (scan_trail_maintenance). */
Datum
scan_retention(PG_FUNCTION_ARGS)
{
	Interval *r = (Interval *) palloc0(sizeof(Interval));

	r->day = quarantine_scan_retention_days;
	PG_RETURN_INTERVAL_P(r);
}
