/*
 * manifest_load.c
 *		load_manifest(batch) → (accepted, rejected, duplicates): a staged
 *		manifest turned into persons, entries, pending controls and tasks by a
 *		few set-based statements (doc/import.md, the district notes
 *		包机人员录入).
 *
 * The load judges every row with manifest_check() and manifest_verdict(),
 * writes the bad rows whole to import_reject in one INSERT, and inserts the
 * good ones table by table, each in one INSERT. The triggers of the record
 * tables still fire on every row and remain the guarantee; the verdicts only
 * make sure no row reaches them that they would refuse, so that one bad row
 * cannot abort the load of a whole flight.
 */
#include "rules/control_rules.h"
#include "load/manifest.h"
#include "records/query_context.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/resowner.h"

PG_FUNCTION_INFO_V1(manifest_load);

/*
 * The load in steps, each one set-based statement.  Two temporary tables
 * carry the rows between them, analyzed so that the planner knows whether
 * a batch has ten rows or a million.
 *
 * 1. checked: the batch's staged rows not yet accepted, each with
 *    manifest_check(); exact repeats of a row (a file copied in twice)
 *    collapse into one.
 */
static const char checked_sql[] =
	"CREATE TEMP TABLE quarantine_manifest_checked AS "
	"SELECT $1::text AS batch, s.row_no, s AS src, c.* "
	"  FROM quarantine.manifest_staging s "
	" CROSS JOIN LATERAL quarantine.manifest_check(s) c "
	" WHERE s.batch = $1 "
	"   AND NOT EXISTS (SELECT 1 FROM quarantine.import_accept a "
	"                    WHERE a.batch = $1 AND a.row_no = s.row_no)";

/* Row numbers are >= 1 once checked, so 0 can stand for a missing one. */
static const char repeats_sql[] =
	"DELETE FROM pg_temp.quarantine_manifest_checked a "
	" USING pg_temp.quarantine_manifest_checked b "
	" WHERE coalesce(a.row_no, 0) = coalesce(b.row_no, 0) "
	"   AND a.ctid > b.ctid AND a.src = b.src "
	"   AND coalesce(a.row_no, 0) IN ("
	"       SELECT coalesce(row_no, 0) FROM "
	"pg_temp.quarantine_manifest_checked "
	"        GROUP BY 1 HAVING count(*) > 1)";

/*
 * 2. work: the facts about each row and its verdict.  The CTEs in order:
 *   nums       how many different rows share a row number
 *   found      the site by name, the jurisdiction by code, the person
 *              holding the document (person_identity's key)
 *   chain/kept merged persons followed to the person they were merged into
 *   facts      that person's name, sex, birth date, phone status, open
 *              control, and an entry of the same flight and local day
 *   facts2     that entry's category and a control of it ended as completed
 *   pre        the verdict before in-batch duplicates are known
 *   firsts     per person (or new document), the first row that passes
 * and the final verdict with the first row known.
 */
static const char work_sql[] =
	"CREATE TEMP TABLE quarantine_manifest_work AS "
	"WITH RECURSIVE "
	"nums AS ("
	"  SELECT row_no, count(*) AS row_no_count "
	"    FROM pg_temp.quarantine_manifest_checked "
	"   WHERE row_no IS NOT NULL GROUP BY 1), "
	"site_names AS ("
	"  SELECT lower(btrim(name)) AS site_key, count(*) AS site_count, "
	"         min(site_id) AS site_id, min(jurisdiction) AS site_jurisdiction "
	"    FROM quarantine.site GROUP BY 1), "
	"found AS ("
	"  SELECT k.*, n.row_no_count, sn.site_count, sn.site_id, "
	"         sn.site_jurisdiction, "
	"         j.code IS NOT NULL AS jurisdiction_known, "
	"         d.person_id AS doc_person, d.merged_into AS doc_merged_into "
	"    FROM pg_temp.quarantine_manifest_checked k "
	"    LEFT JOIN nums n ON n.row_no = k.row_no "
	"    LEFT JOIN site_names sn ON sn.site_key = lower(k.site) "
	"    LEFT JOIN quarantine.jurisdiction j ON j.code = k.jurisdiction "
	"    LEFT JOIN quarantine.person d "
	"      ON d.doc_kind = k.doc_kind AND d.doc_no = k.doc_no "
	"     AND d.identity_scope = k.identity_scope), "
	"chain (doc_person, person_id, merged_into, depth) AS ("
	"  SELECT DISTINCT doc_person, doc_person, doc_merged_into, 0 "
	"    FROM found WHERE doc_merged_into IS NOT NULL "
	"  UNION ALL "
	"  SELECT c.doc_person, p.person_id, p.merged_into, c.depth + 1 "
	"    FROM chain c JOIN quarantine.person p ON p.person_id = c.merged_into "
	"   WHERE c.depth < 32), "
	"kept AS (SELECT doc_person, person_id FROM chain WHERE merged_into IS "
	"NULL), "
	"facts AS MATERIALIZED ("
	"  SELECT f.*, p.person_id, p.name AS person_name, "
	"         p.sex::text AS person_sex, p.birth_date AS person_birth_date, "
	"         p.phone_status AS person_phone_status, "
	"         CASE WHEN p.person_id IS NOT NULL THEN "
	"           (SELECT min(o.control_id) FROM quarantine.control o "
	"             WHERE o.person_id = p.person_id "
	"               AND o.status IN (@open_statuses@)) "
	"         END AS open_control, "
	"         CASE WHEN p.person_id IS NOT NULL THEN "
	"           (SELECT min(e.entry_id) FROM quarantine.entry e "
	"             WHERE e.person_id = p.person_id AND e.flight = f.flight "
	"               AND quarantine.local_date(e.entered_at) = f.entry_day) "
	"         END AS entry_id "
	"    FROM found f "
	"    LEFT JOIN kept k ON k.doc_person = f.doc_person "
	"    LEFT JOIN quarantine.person p "
	"      ON p.person_id = coalesce(k.person_id, f.doc_person)), "
	"facts2 AS ("
	"  SELECT f.*, e.category AS entry_category, "
	"         quarantine.local_date(e.entered_at) AS reused_entry_day, "
	"         CASE WHEN e.entry_id IS NOT NULL THEN "
	"           (SELECT min(cc.control_id) FROM quarantine.control cc "
	"             WHERE cc.entry_id = e.entry_id AND cc.status = 'ended' "
	"               AND cc.end_reason IN ('completed', "
	"'completed_elsewhere')) "
	"         END AS completed_control "
	"    FROM facts f LEFT JOIN quarantine.entry e ON e.entry_id = "
	"f.entry_id), "
	"pre AS ("
	"  SELECT f.*, (quarantine.manifest_verdict(f)).rule AS pre_rule, "
	"         CASE WHEN f.person_id IS NOT NULL THEN 'p' || f.person_id "
	"              ELSE 'd ' || f.doc_kind || ' ' || f.doc_no || ' ' "
	"                   || f.identity_scope END AS identity_key "
	"    FROM facts2 f), "
	"firsts AS ("
	"  SELECT identity_key, min(row_no) AS first_row_no FROM pre "
	"   WHERE pre_rule IS NULL GROUP BY 1) "
	"SELECT g.*, v.rule AS verdict_rule, v.message AS verdict_message, "
	"       v.detail AS verdict_detail "
	"  FROM (SELECT p.*, fr.first_row_no FROM pre p "
	"          LEFT JOIN firsts fr "
	"            ON p.pre_rule IS NULL AND fr.identity_key = p.identity_key) "
	"g "
	" CROSS JOIN LATERAL quarantine.manifest_verdict(g) v";

/*
 * 3. The bad rows, whole, read as the caller (reject_rows_sql) and written
 *    with the owner's rights (reject_sql: import_reject is written by the
 *    extension only, from the values alone, doc/security.md).  A row refused
 *    before with the same content is not written again, even if the rule is
 *    another one now (a passenger listed twice is a duplicate row in the
 *    first load, and meets the open control of the first listing in the
 *    second): a second load adds nothing.  A reject belongs to the
 *    jurisdiction of its row (row security: only that district sees it).
 */
static const char reject_rows_sql[] =
	"SELECT pg_catalog.array_agg(w.row_no ORDER BY w.row_no), "
	"       pg_catalog.array_agg(w.verdict_rule ORDER BY w.row_no), "
	"       pg_catalog.array_agg(w.verdict_message ORDER BY w.row_no), "
	"       pg_catalog.array_agg(w.verdict_detail ORDER BY w.row_no), "
	"       pg_catalog.array_agg(pg_catalog.to_jsonb(w.src) "
	"                            ORDER BY w.row_no), "
	"       pg_catalog.array_agg(coalesce(w.jurisdiction, "
	"         w.site_jurisdiction, pg_catalog.btrim((w.src).jurisdiction)) "
	"                            ORDER BY w.row_no) "
	"  FROM pg_temp.quarantine_manifest_work w "
	" WHERE w.verdict_rule IS NOT NULL";

static const char reject_sql[] =
	"INSERT INTO quarantine.import_reject "
	"  (batch, row_no, rule, message, detail, row, jurisdiction, "
	"   caller_scope) "
	"SELECT $1, u.row_no, u.rule, u.message, u.detail, u.row, "
	"       u.jurisdiction, $8 "
	"  FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int4[]), "
	"         pg_catalog.unnest($3::pg_catalog.text[]), "
	"         pg_catalog.unnest($4::pg_catalog.text[]), "
	"         pg_catalog.unnest($5::pg_catalog.text[]), "
	"         pg_catalog.unnest($6::pg_catalog.jsonb[]), "
	"         pg_catalog.unnest($7::pg_catalog.text[])) WITH ORDINALITY "
	"       u(row_no, rule, message, detail, row, jurisdiction, n) "
	" WHERE NOT EXISTS (SELECT 1 FROM quarantine.import_reject x "
	"                    WHERE x.target IS NULL "
	"                      AND x.batch OPERATOR(pg_catalog.=) $1 "
	"                      AND x.row_no IS NOT DISTINCT FROM u.row_no "
	"                      AND x.row OPERATOR(pg_catalog.=) u.row) "
	" ORDER BY u.n "
	"ON CONFLICT DO NOTHING";

/*
 * A good row w whose control goes to a hotel with a capacity: site_full
 * (src/triggers/site_capacity.c) decides whether it fits, so such rows are
 * written one at a time after the others, each in a subtransaction, and a
 * row refused with site_full is set aside in import_reject like a row
 * refused by the verdict (the rows before it took the beds).
 */
#define HOTEL_ROW                                                \
	"EXISTS (SELECT 1 FROM quarantine.site h "                   \
	"         WHERE h.site_id OPERATOR(pg_catalog.=) w.site_id " \
	"           AND h.capacity IS NOT NULL)"

static const char hotel_rows_sql[] =
	"SELECT w.row_no FROM pg_temp.quarantine_manifest_work w "
	" WHERE w.verdict_rule IS NULL AND w.row_no IS NOT NULL AND " HOTEL_ROW
	" ORDER BY w.row_no";

/* The reject of one hotel row refused by site_full: $2 message, $3 detail. */
static const char site_full_row_sql[] =
	"SELECT ARRAY[w.row_no], ARRAY['site_full'::pg_catalog.text], "
	"       ARRAY[$2::pg_catalog.text], ARRAY[$3::pg_catalog.text], "
	"       ARRAY[pg_catalog.to_jsonb(w.src)], "
	"       ARRAY[coalesce(w.jurisdiction, w.site_jurisdiction, "
	"         pg_catalog.btrim((w.src).jurisdiction))] "
	"  FROM pg_temp.quarantine_manifest_work w "
	" WHERE w.row_no OPERATOR(pg_catalog.=) $4";

/*
 * 4. The good rows: persons (np), entries (ne), controls (nc), tasks (nt)
 * and the ledger, each one INSERT: first every row but the hotel rows ($2
 * NULL), then each hotel row alone ($2 its row number).  Data-modifying CTEs run to completion;
 * the statement-level person trigger sees all new persons at once
 * (duplicate detection, doc/records.md).
 */
static const char insert_sql[] =
	"WITH "
	"ok AS (SELECT w.* FROM pg_temp.quarantine_manifest_work w "
	"        WHERE w.verdict_rule IS NULL "
	"          AND CASE WHEN $2::pg_catalog.int4 IS NULL "
	"                   THEN NOT (" HOTEL_ROW ") "
	"                   ELSE w.row_no OPERATOR(pg_catalog.=) $2 END), "
	"np AS ("
	"  INSERT INTO quarantine.person "
	"    (doc_kind, doc_no, name, sex, birth_date, nationality, phone, "
	"     jurisdiction) "
	"  SELECT doc_kind, doc_no, name, sex, birth_date, nationality, phone, "
	"         coalesce(jurisdiction, site_jurisdiction) "
	"    FROM ok WHERE person_id IS NULL ORDER BY row_no "
	"  RETURNING person_id, doc_kind, doc_no, identity_scope, phone_status), "
	"acc AS ("
	"  SELECT ok.row_no, coalesce(ok.person_id, np.person_id) AS pid, "
	"         ok.person_id IS NOT NULL AS reused, "
	"         coalesce(np.phone_status, ok.person_phone_status) AS "
	"phone_status, "
	"         ok.entry_id, ok.entered_at, ok.port, ok.flight, ok.seat, "
	"         ok.site_id, coalesce(ok.jurisdiction, ok.site_jurisdiction) "
	"           AS jurisdiction "
	"    FROM ok LEFT JOIN np "
	"      ON ok.person_id IS NULL AND np.doc_kind = ok.doc_kind "
	"     AND np.doc_no = ok.doc_no AND np.identity_scope = "
	"ok.identity_scope), "
	"ne AS ("
	"  INSERT INTO quarantine.entry "
	"    (person_id, entered_at, port_kind, port, flight, seat) "
	"  SELECT pid, entered_at, 'air', port, flight, seat FROM acc "
	"   WHERE entry_id IS NULL ORDER BY row_no "
	"  RETURNING entry_id, person_id), "
	"nc AS ("
	"  INSERT INTO quarantine.control "
	"    (person_id, entry_id, jurisdiction, status, site_id, note) "
	"  SELECT a.pid, coalesce(a.entry_id, ne.entry_id), a.jurisdiction, "
	"         'pending', a.site_id, format('manifest %s, row %s', $1, "
	"a.row_no) "
	"    FROM acc a LEFT JOIN ne ON ne.person_id = a.pid ORDER BY a.row_no "
	"  RETURNING control_id, person_id, entry_id), "
	/*
	 * The district notes: the district assigns the imported persons by 17:00
	 * (a control task) and verifies their phones by 12:00 the next day (a
	 * phone_check task for every phone not verified yet: fillers, invalid,
	 * unverified or missing). A person keeps one open task per module.
	 */
	"nt AS ("
	"  INSERT INTO quarantine.task (module, person_id) "
	"  SELECT m.module, a.pid "
	"    FROM acc a CROSS JOIN (VALUES ('control'), ('phone_check')) "
	"m(module) "
	"   WHERE (m.module = 'control' OR a.phone_status IS DISTINCT FROM "
	"'verified') "
	"     AND NOT EXISTS (SELECT 1 FROM quarantine.task t "
	"                      WHERE t.person_id = a.pid AND t.module = m.module "
	"                        AND t.done_at IS NULL) "
	"   ORDER BY a.row_no, m.module), "
	/* the ledger's rows, written by the owner (accept_sql) */
	"acc_rows AS ("
	"  SELECT a.row_no, a.pid, nc.entry_id, nc.control_id, a.reused "
	"    FROM acc a JOIN nc ON nc.person_id OPERATOR(pg_catalog.=) a.pid) "
	"SELECT count(*)::int4, "
	"       (SELECT count(*) FROM pg_temp.quarantine_manifest_work "
	"         WHERE verdict_rule IS NOT NULL)::int4, "
	"       (count(*) FILTER (WHERE r.reused))::int4, "
	"       array_agg(r.row_no ORDER BY r.row_no), "
	"       array_agg(r.pid ORDER BY r.row_no), "
	"       array_agg(r.entry_id ORDER BY r.row_no), "
	"       array_agg(r.control_id ORDER BY r.row_no), "
	"       array_agg(r.reused ORDER BY r.row_no) "
	"  FROM acc_rows r";

/* The same before ALTER EXTENSION ... UPDATE to 0.3.0 (no district yet). */
static const char reject_sql_0_2[] =
	"INSERT INTO quarantine.import_reject "
	"  (batch, row_no, rule, message, detail, row) "
	"SELECT $1, u.row_no, u.rule, u.message, u.detail, u.row "
	"  FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int4[]), "
	"         pg_catalog.unnest($3::pg_catalog.text[]), "
	"         pg_catalog.unnest($4::pg_catalog.text[]), "
	"         pg_catalog.unnest($5::pg_catalog.text[]), "
	"         pg_catalog.unnest($6::pg_catalog.jsonb[]), "
	"         pg_catalog.unnest($7::pg_catalog.text[])) WITH ORDINALITY "
	"       u(row_no, rule, message, detail, row, jurisdiction, n) "
	" WHERE NOT EXISTS (SELECT 1 FROM quarantine.import_reject x "
	"                    WHERE x.batch OPERATOR(pg_catalog.=) $1 "
	"                      AND x.row_no IS NOT DISTINCT FROM u.row_no "
	"                      AND x.row OPERATOR(pg_catalog.=) u.row) "
	" ORDER BY u.n";

/* The ledger import_accept, with the owner's rights, from the values. */
static const char accept_sql[] =
	"INSERT INTO quarantine.import_accept "
	"  (batch, row_no, person_id, entry_id, control_id, reused) "
	"SELECT $1, u.row_no, u.person_id, u.entry_id, u.control_id, u.reused "
	"  FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int4[]), "
	"         pg_catalog.unnest($3::pg_catalog.int8[]), "
	"         pg_catalog.unnest($4::pg_catalog.int8[]), "
	"         pg_catalog.unnest($5::pg_catalog.int8[]), "
	"         pg_catalog.unnest($6::pg_catalog.bool[])) "
	"       u(row_no, person_id, entry_id, control_id, reused)";

/* Run one statement of the load; expected is the SPI result code. */
static void
Step(const char *sql, Datum batch, int expected, const char *what)
{
	Oid argtypes[1] = {TEXTOID};
	int rc;

	rc = SPI_execute_with_args(sql, strchr(sql, '$') ? 1 : 0, argtypes, &batch,
							   NULL, false, 0);
	if (rc != expected)
		elog(ERROR, "load_manifest: %s failed: %s", what,
			 SPI_result_code_string(rc));
}

/*
 * Run sql with the owner's rights, $1 the batch and $2... the columns 1..n
 * of the one row the caller's last query returned (arrays; NULL: none).
 */
static void
StepAsOwner(const char *sql, Datum batch, int first, int n, int expected,
			const char *what, const Datum *extra, bool extra_null)
{
	SPITupleTable *tt = SPI_tuptable;
	Oid			   types[8];
	Datum		   args[8];
	char		   nulls[8];
	QueryContext   qc;
	int			   rc;

	Assert(n + 1 < lengthof(args));
	types[0] = TEXTOID;
	args[0] = batch;
	nulls[0] = ' ';
	for (int i = 0; i < n; i++)
	{
		bool isnull;

		types[i + 1] = SPI_gettypeid(tt->tupdesc, first + i);
		args[i + 1] =
			SPI_getbinval(tt->vals[0], tt->tupdesc, first + i, &isnull);
		if (isnull)
			return; /* no row: nothing to write */
		nulls[i + 1] = ' ';
	}
	if (extra != NULL)
	{
		types[n + 1] = TEXTARRAYOID;
		args[n + 1] = *extra;
		nulls[n + 1] = extra_null ? 'n' : ' ';
	}
	QuerySpiConnect(&qc, OWNER_LOAD_MANIFEST);
	rc = SPI_execute_with_args(sql, n + 1 + (extra != NULL ? 1 : 0), types,
							   args, nulls, false, 0);
	if (rc != expected)
		elog(ERROR, "load_manifest: %s failed: %s", what,
			 SPI_result_code_string(rc));
	QuerySpiFinish(&qc);
}

/*
 * Write the good rows (row_no 0: all but the hotel rows; else that row) and
 * their ledger; add (accepted, rejected, duplicates) to counts (rejected:
 * the verdict's, counted by the first call only).
 */
static void
InsertRows(Datum batch, int32 row_no, int32 *counts)
{
	Oid	  types[2] = {TEXTOID, INT4OID};
	Datum args[2] = {batch, Int32GetDatum(row_no)};
	char  nulls[2] = {' ', row_no == 0 ? 'n' : ' '};
	int	  rc;

	rc = SPI_execute_with_args(insert_sql, 2, types, args, nulls, false, 0);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "load_manifest: inserting records failed: %s",
			 SPI_result_code_string(rc));
	for (int i = 0; i < 3; i++)
	{
		bool  isnull;
		Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
								i + 1, &isnull);

		if (!isnull && (i != 1 || row_no == 0))
			counts[i] += DatumGetInt32(d);
	}
	StepAsOwner(accept_sql, batch, 4, 5, SPI_OK_INSERT, "writing the ledger",
				NULL, false);
}

/*
 * One hotel row in a subtransaction: written, or refused by site_full and
 * set aside in import_reject with the rule's message and detail.  Any other
 * error is raised.
 */
static void
InsertHotelRow(Datum batch, int32 row_no, int32 *counts, Datum *scope,
			   bool scope_null)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	ErrorData *volatile edata = NULL;
	Oid	  types[4] = {TEXTOID, TEXTOID, TEXTOID, INT4OID};
	Datum args[4];
	char  nulls[4] = {' ', ' ', ' ', ' '};
	int	  rc;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		InsertRows(batch, row_no, counts);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_END_TRY();
	if (edata == NULL)
		return; /* written */
	if (edata->sqlerrcode != ERRCODE_CHECK_VIOLATION ||
		edata->constraint_name == NULL ||
		strcmp(edata->constraint_name, "site_full") != 0)
		ReThrowError(edata);
	args[0] = batch;
	args[1] = CStringGetTextDatum(edata->message);
	args[2] = edata->detail ? CStringGetTextDatum(edata->detail) : (Datum) 0;
	nulls[2] = edata->detail ? ' ' : 'n';
	args[3] = Int32GetDatum(row_no);
	rc = SPI_execute_with_args(site_full_row_sql, 4, types, args, nulls, false,
							   1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "load_manifest: reading a hotel row failed: %s",
			 SPI_result_code_string(rc));
	if (QuarantineHasColumn("import_reject", "caller_scope"))
		StepAsOwner(reject_sql, batch, 1, 6, SPI_OK_INSERT, "writing rejects",
					scope, scope_null);
	else
		StepAsOwner(reject_sql_0_2, batch, 1, 6, SPI_OK_INSERT,
					"writing rejects", NULL, false);
	counts[1]++;
	FreeErrorData(edata);
}

/*
 * load_manifest(batch text) → (accepted int, rejected int, duplicates int).
 * Loads of one batch are serialised by an advisory lock, so that a second
 * load waits and then finds the first one's rows in import_accept.
 */
Datum
manifest_load(PG_FUNCTION_ARGS)
{
	Datum		 batch = PointerGetDatum(PG_GETARG_TEXT_PP(0));
	Datum		 values[3];
	bool		 nulls[3] = {false, false, false};
	TupleDesc	 desc;
	QueryContext qc;
	Datum		 scope;
	bool		 scope_null;
	int32		 counts[3] = {0, 0, 0};
	int32		*hotel_rows;
	uint64		 nhotel;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "load_manifest must return a composite type");
	desc = BlessTupleDesc(desc);

	QuerySpiConnect(&qc, AS_CALLER);
	Step(
		"SELECT pg_catalog.pg_advisory_xact_lock("
		"  pg_catalog.hashtextextended('quarantine.load_manifest ' || $1, 0))",
		batch, SPI_OK_SELECT, "locking the batch");
	Step(checked_sql, batch, SPI_OK_UTILITY, "checking rows");
	Step(repeats_sql, batch, SPI_OK_DELETE, "collapsing repeated rows");
	Step("ANALYZE pg_temp.quarantine_manifest_checked", batch, SPI_OK_UTILITY,
		 "analyzing");
	Step(SqlWithOpenStatuses(work_sql), batch, SPI_OK_UTILITY, "judging rows");
	Step("ANALYZE pg_temp.quarantine_manifest_work", batch, SPI_OK_UTILITY,
		 "analyzing");
	scope = CallerScope(&scope_null);
	Step(reject_rows_sql, batch, SPI_OK_SELECT, "reading rejects");
	if (QuarantineHasColumn("import_reject", "caller_scope"))
		StepAsOwner(reject_sql, batch, 1, 6, SPI_OK_INSERT, "writing rejects",
					&scope, scope_null);
	else
		StepAsOwner(reject_sql_0_2, batch, 1, 6, SPI_OK_INSERT,
					"writing rejects", NULL, false);
	InsertRows(batch, 0, counts);
	Step(hotel_rows_sql, batch, SPI_OK_SELECT, "finding hotel rows");
	nhotel = SPI_processed;
	hotel_rows = palloc(sizeof(int32) * Max(nhotel, 1));
	for (uint64 i = 0; i < nhotel; i++)
	{
		bool isnull;

		hotel_rows[i] = DatumGetInt32(SPI_getbinval(
			SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
	}
	for (uint64 i = 0; i < nhotel; i++)
		InsertHotelRow(batch, hotel_rows[i], counts, &scope, scope_null);
	for (int i = 0; i < 3; i++)
		values[i] = Int32GetDatum(counts[i]);
	Step("DROP TABLE pg_temp.quarantine_manifest_checked, "
		 "pg_temp.quarantine_manifest_work",
		 batch, SPI_OK_UTILITY, "dropping work tables");
	QuerySpiFinish(&qc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
