/*
 * lot_release.c
 *		People and goods (doc/ports.md, "People and goods"; the port-city notice 六:
 *		cold-chain goods are disinfected and tested in a supervised
 *		warehouse before they move on): the rule lot_release and the two
 *		triggers that gather its facts and serialize it with the samples.
 *
 * A cold-chain lot's first movement out of its warehouse needs a
 * disinfection and a negative goods or package sample taken after its
 * arrival (and not after the movement), and no sample of the lot positive
 * or pending.
 *
 * Concurrency: lot_movement_release locks the goods_lot row FOR NO KEY
 * UPDATE before it reads the samples, and env_sample_lock_lot takes the same
 * lock for every sample of a lot written; a sample turning positive while
 * the first movement is written makes one wait for the other, and at READ
 * COMMITTED the movement then sees the committed result
 * (specs/lot_release.spec).
 */
#include "records/query_context.h"
#include "records/records.h"
#include "rules/rule.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(lot_movement_release);
PG_FUNCTION_INFO_V1(env_sample_lock_lot);

/* ---------- the rule (pure) ---------- */

typedef struct LotFacts
{
	int64 lot_id;
	int64 warehouse;
	bool  first_out;   /* a cold-chain lot's first movement out of it */
	bool  disinfected; /* a disinfection since arrival */
	bool  negative;	   /* a negative goods or package sample since */
	int64 positive;	   /* samples of the lot positive */
	int64 pending;	   /* and pending */
} LotFacts;

/* lot_release: the facts of a lot's movement; true when it may move. */
static bool
LotRelease(const LotFacts *f, Problem *p)
{
	char *detail;

	if (!f->first_out)
		return true;
	if (f->positive > 0 || f->pending > 0)
		detail = psprintf(_(_Q("Lot %lld has %lld positive and %lld pending "
							   "samples.")),
						  (long long) f->lot_id, (long long) f->positive,
						  (long long) f->pending);
	else if (!f->disinfected)
		detail = psprintf(_(_Q("Lot %lld has not been disinfected since it "
							   "arrived.")),
						  (long long) f->lot_id);
	else if (!f->negative)
		detail = psprintf(_(_Q("Lot %lld has no negative goods or package "
							   "sample taken since it arrived.")),
						  (long long) f->lot_id);
	else
		return true;
	return Flag(p, "lot_release", ERRCODE_CHECK_VIOLATION,
				psprintf(_(_Q("cold-chain lot %lld cannot leave warehouse "
							  "%lld yet")),
						 (long long) f->lot_id, (long long) f->warehouse),
				detail,
				pstrdup(_(_Q("Disinfect the lot and sample its goods or "
							 "package; move it once a sample is negative "
							 "and none is positive or pending."))));
}

/* ---------- gathering the facts ---------- */

enum
{
	M_MOVEMENT_ID,
	M_LOT_ID,
	M_FROM_SITE,
	M_MOVED_AT
};
static const char *const movement_columns[] = {"movement_id", "lot_id",
											   "from_site", "moved_at", NULL};
static ColumnMap		 movement_map = {.names = movement_columns};

static const char *const sample_columns[] = {"lot_id", NULL};
static ColumnMap		 sample_map = {.names = sample_columns};

/* Lock the lot row FOR NO KEY UPDATE (the caller's rights). */
static void
LockLot(Datum lot)
{
	Oid types[1] = {INT8OID};
	int rc;

	rc = SPI_execute_with_args(
		"SELECT 1 FROM quarantine.goods_lot g "
		" WHERE g.lot_id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE",
		1, types, &lot, NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "locking the goods lot failed: %s",
			 SPI_result_code_string(rc));
}

static int64
GetInt8(int col, bool *isnull)
{
	Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col,
							isnull);

	return *isnull ? 0 : DatumGetInt64(d);
}

static bool
GetBool(int col)
{
	bool  isnull;
	Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col,
							&isnull);

	return !isnull && DatumGetBool(d);
}

/*
 * The facts of lot_release for a movement (args: lot_id, movement_id,
 * from_site, moved_at), read after the lot row is locked.
 */
static void
ReadLotFacts(Datum *args, char *nulls, LotFacts *f)
{
	Oid	 types[4] = {INT8OID, INT8OID, INT8OID, TIMESTAMPTZOID};
	bool isnull;
	int	 rc;

	rc = SPI_execute_with_args(
		"SELECT g.lot_id, g.warehouse, "
		"  g.cold_chain AND g.warehouse OPERATOR(pg_catalog.=) $3 "
		"  AND NOT EXISTS (SELECT FROM quarantine.lot_movement m "
		"   WHERE m.lot_id OPERATOR(pg_catalog.=) $1 "
		"     AND m.from_site OPERATOR(pg_catalog.=) g.warehouse "
		"     AND m.movement_id IS DISTINCT FROM $2 "
		"     AND m.moved_at OPERATOR(pg_catalog.<=) $4), "
		"  EXISTS (SELECT FROM quarantine.disinfection d "
		"   WHERE d.lot_id OPERATOR(pg_catalog.=) $1 "
		"     AND d.at OPERATOR(pg_catalog.>=) g.arrived_at "
		"     AND d.at OPERATOR(pg_catalog.<=) $4), "
		"  EXISTS (SELECT FROM quarantine.env_sample s "
		"   WHERE s.lot_id OPERATOR(pg_catalog.=) $1 "
		"     AND s.subject OPERATOR(pg_catalog.=) ANY "
		"         ('{goods,package}'::pg_catalog.text[]) "
		"     AND s.result OPERATOR(pg_catalog.=) 'negative' "
		"     AND s.sampled_at OPERATOR(pg_catalog.>=) g.arrived_at "
		"     AND s.sampled_at OPERATOR(pg_catalog.<=) $4), "
		"  (SELECT pg_catalog.count(*) FROM quarantine.env_sample s "
		"   WHERE s.lot_id OPERATOR(pg_catalog.=) $1 "
		"     AND s.result OPERATOR(pg_catalog.=) 'positive'), "
		"  (SELECT pg_catalog.count(*) FROM quarantine.env_sample s "
		"   WHERE s.lot_id OPERATOR(pg_catalog.=) $1 "
		"     AND s.result OPERATOR(pg_catalog.=) 'pending') "
		"  FROM quarantine.goods_lot g "
		" WHERE g.lot_id OPERATOR(pg_catalog.=) $1",
		4, types, args, nulls, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "lot_movement_release: reading the lot failed: %s",
			 SPI_result_code_string(rc));
	if (SPI_processed == 1)
	{
		f->lot_id = GetInt8(1, &isnull);
		f->warehouse = GetInt8(2, &isnull);
		f->first_out = GetBool(3);
		f->disinfected = GetBool(4);
		f->negative = GetBool(5);
		f->positive = GetInt8(6, &isnull);
		f->pending = GetInt8(7, &isnull);
	}
}

/* BEFORE INSERT OR UPDATE FOR EACH ROW on lot_movement: lot_release. */
Datum
lot_movement_release(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "lot_movement_release", "lot_movement", true);
	Relation	 rel = td->tg_relation;
	HeapTuple	 row = TriggerRow(td);
	TupleDesc	 desc = RelationGetDescr(rel);
	QueryContext qc;
	Datum		 args[4];
	char		 nulls[4] = {' ', ' ', ' ', ' '};
	bool		 isnull;
	LotFacts	 f = {0};
	Problem		 p = {0};

	if (RestoringInto(rel))
		return PointerGetDatum(row); /* pg_restore: the rows as dumped */
	ColumnMapFor(&movement_map, rel);
	args[0] = heap_getattr(row, movement_map.attnum[M_LOT_ID], desc, &isnull);
	if (isnull)
		return PointerGetDatum(row); /* NOT NULL says so */
	args[1] =
		heap_getattr(row, movement_map.attnum[M_MOVEMENT_ID], desc, &isnull);
	if (isnull)
		nulls[1] = 'n';
	args[2] =
		heap_getattr(row, movement_map.attnum[M_FROM_SITE], desc, &isnull);
	if (isnull)
		return PointerGetDatum(row); /* not out of a warehouse */
	args[3] =
		heap_getattr(row, movement_map.attnum[M_MOVED_AT], desc, &isnull);
	if (isnull)
		return PointerGetDatum(row);

	QuerySpiConnect(&qc, AS_CALLER);
	LockLot(args[0]);
	ReadLotFacts(args, nulls, &f);
	QuerySpiFinish(&qc);
	Require(LotRelease(&f, &p), &p, rel);
	return PointerGetDatum(row);
}

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW on env_sample (WHEN the sample has a
 * lot): lock the lot row, as lot_movement_release does.
 */
Datum
env_sample_lock_lot(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "env_sample_lock_lot", "env_sample", true);
	Relation	 rel = td->tg_relation;
	HeapTuple	 row = TriggerRow(td);
	QueryContext qc;
	bool		 isnull;
	Datum		 lot;

	if (RestoringInto(rel))
		return PointerGetDatum(row);
	ColumnMapFor(&sample_map, rel);
	lot = heap_getattr(row, sample_map.attnum[0], RelationGetDescr(rel),
					   &isnull);
	if (isnull)
		return PointerGetDatum(row);
	QuerySpiConnect(&qc, AS_CALLER);
	LockLot(lot);
	QuerySpiFinish(&qc);
	return PointerGetDatum(row);
}
