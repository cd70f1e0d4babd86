/*
 * audit.c
 *		audit_log (doc/security.md): every INSERT, UPDATE and DELETE on the
 *		core tables, who, when, which table, the row's key, the old and new row
 *		as jsonb. One statement trigger per statement reads the transition
 *		tables, so a COPY of a million rows pays no row trigger for it; the log
 *		is written with the extension owner's rights: only the owner may write
 *		it.
 *
 * The log is list-partitioned by table_name (src/sql/85_audit_log.sql): a
 * statement writes only its table's partition, whose one btree (row_key)
 * takes keys in the order a load writes them, so its entries go to the
 * rightmost page; there is no index on audit_id.  The history of one row is
 * one probe of one partition's index (doc/security.md, "The audit log").
 *
 * The rows are turned into jsonb here, not by to_jsonb() in SQL: to_jsonb
 * classifies every column's type again for every row (a catalog search for a
 * cast to json per column of a type of ours), which made the log cost more
 * than the rest of a COPY (issue 12). The shape of the table is worked out
 * once per statement; the result is the same jsonb to_jsonb() builds.
 */
#include "records/records.h"
#include "records/query_context.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/tupdesc.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "partitioning/partbounds.h"
#include "partitioning/partdesc.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "pg_compat.h"

PG_FUNCTION_INFO_V1(audit_after_write);

/* The audited tables and their key columns (the key is logged as text). */
typedef struct AuditedTable
{
	const char *table;
	const char *key;
} AuditedTable;

static const AuditedTable audited[] = {
	{"person", "person_id"},
	{"entry", "entry_id"},
	{"control", "control_id"},
	{"lab_test", "test_id"},
	{"verification", "verification_id"},
	{"task", "task_id"},
	{"staff", "person_id"},
	{"policy", "policy_id"},
	{"site", "site_id"},
	{"jurisdiction", "code"},
	{"health_check", "check_id"},
	{"circuit_breaker_policy", "rule_id"},
	{"outbreak_area", "area_id"},
	{"goods_lot", "lot_id"},
	{"lot_movement", "movement_id"},
	{"disinfection", "disinfection_id"},
	{"env_sample", "sample_id"},
	{NULL, NULL},
};

static const char *const audited_names[] = {
	"person",		 "entry",		 "control",
	"lab_test",		 "verification", "task",
	"staff",		 "policy",		 "site",
	"jurisdiction",	 "health_check", "circuit_breaker_policy",
	"outbreak_area", "goods_lot",	 "lot_movement",
	"disinfection",	 "env_sample",	 NULL};

/* How a column's value becomes jsonb (as to_jsonb decides it). */
typedef enum AuditKind
{
	AK_BOOL,
	AK_INTEGER,	 /* int2, int4, int8: a json number */
	AK_NUMERIC,	 /* a number, or a string for NaN and infinities */
	AK_STRING,	 /* text, varchar, char: the stored string */
	AK_DATETIME, /* date, timestamp, timestamptz: ISO 8601 */
	AK_OUTPUT,	 /* a string from the output function (enums, our types) */
	AK_GENERIC	 /* arrays, composites, json, casts to json: to_jsonb() */
} AuditKind;

typedef struct AuditColumn
{
	const char *name;
	int			namelen;
	int			att; /* index into the tuple descriptor */
	Oid			typid;
	Oid			base; /* its base type, for a domain */
	AuditKind	kind;
	FmgrInfo	convert; /* output function, or to_jsonb for AK_GENERIC */
} AuditColumn;

/* The columns of one table in jsonb's key order (length, then bytes). */
typedef struct AuditShape
{
	int			 ncols;
	AuditColumn *cols;
	int			 key_att; /* index of the key column */
	FmgrInfo	 key_out;
} AuditShape;

static int
CompareJsonbKeys(const void *a, const void *b)
{
	const AuditColumn *x = a;
	const AuditColumn *y = b;

	if (x->namelen != y->namelen)
		return x->namelen - y->namelen;
	return memcmp(x->name, y->name, x->namelen);
}

/* jsonb's classification of a type (jsonb.c, jsonb_categorize_type). */
static AuditKind
KindOf(Oid typid)
{
	Oid base = getBaseType(typid);

	switch (base)
	{
		case BOOLOID:
			return AK_BOOL;
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return AK_INTEGER;
		case NUMERICOID:
			return AK_NUMERIC;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			return AK_STRING;
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			return AK_DATETIME;
		case FLOAT4OID:
		case FLOAT8OID:
		case JSONOID:
		case JSONBOID:
			return AK_GENERIC;
		default:
			break;
	}
	if (OidIsValid(get_element_type(base)) || type_is_rowtype(base))
		return AK_GENERIC;
	if (base >= FirstNormalObjectId)
	{
		Oid castfunc;

		if (find_coercion_pathway(JSONOID, base, COERCION_EXPLICIT,
								  &castfunc) == COERCION_PATH_FUNC)
			return AK_GENERIC;
	}
	return AK_OUTPUT;
}

static void
BuildShape(AuditShape *shape, TupleDesc desc, const char *keyname)
{
	shape->cols = palloc(sizeof(AuditColumn) * desc->natts);
	shape->ncols = 0;
	shape->key_att = -1;
	for (int a = 0; a < desc->natts; a++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, a);
		AuditColumn		 *c;

		if (att->attisdropped)
			continue;
		c = &shape->cols[shape->ncols++];
		c->name = NameStr(att->attname);
		c->namelen = strlen(c->name);
		c->att = a;
		c->typid = att->atttypid;
		c->base = getBaseType(att->atttypid);
		c->kind = KindOf(att->atttypid);
		if (c->kind == AK_GENERIC)
		{
			/* to_jsonb(anyelement) reads its argument type from fn_expr */
			fmgr_info(F_TO_JSONB, &c->convert);
			c->convert.fn_expr = (Node *) makeFuncExpr(
				F_TO_JSONB, JSONBOID,
				list_make1(makeNullConst(att->atttypid, att->atttypmod,
										 att->attcollation)),
				InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
		}
		else if (c->kind == AK_OUTPUT)
		{
			Oid	 outfunc;
			bool isvarlena;

			getTypeOutputInfo(att->atttypid, &outfunc, &isvarlena);
			fmgr_info(outfunc, &c->convert);
		}
		if (strcmp(c->name, keyname) == 0)
		{
			Oid	 outfunc;
			bool isvarlena;

			shape->key_att = a;
			getTypeOutputInfo(att->atttypid, &outfunc, &isvarlena);
			fmgr_info(outfunc, &shape->key_out);
		}
	}
	if (shape->key_att < 0)
		elog(ERROR, "audited table has no column %s", keyname);
	qsort(shape->cols, shape->ncols, sizeof(AuditColumn), CompareJsonbKeys);
}

/*
 * A column's value as jsonb would hold it.  An AK_GENERIC value comes as
 * jbvBinary (a whole jsonb), which only pushJsonbValue can take apart.
 */
static void
ColumnValue(const AuditColumn *c, Datum v, bool isnull, JsonbValue *out)
{
	JsonbValue jv;
	AuditKind  kind = c->kind;

	if (!isnull && kind == AK_NUMERIC)
	{
		Numeric num = DatumGetNumeric(v);

		if (numeric_is_nan(num) || numeric_is_inf(num))
			kind = AK_OUTPUT; /* "NaN", "Infinity": strings, as to_jsonb */
		else
		{
			jv.type = jbvNumeric;
			jv.val.numeric = num;
		}
	}
	if (isnull)
		jv.type = jbvNull;
	else
		switch (kind)
		{
			case AK_BOOL:
				jv.type = jbvBool;
				jv.val.boolean = DatumGetBool(v);
				break;
			case AK_INTEGER:
				jv.type = jbvNumeric;
				jv.val.numeric = int64_to_numeric(
					c->base == INT8OID	 ? DatumGetInt64(v)
					: c->base == INT4OID ? (int64) DatumGetInt32(v)
										 : (int64) DatumGetInt16(v));
				break;
			case AK_NUMERIC:
				break; /* set above */
			case AK_STRING:
			{
				text *t = DatumGetTextPP(v);

				jv.type = jbvString;
				jv.val.string.val = VARDATA_ANY(t);
				jv.val.string.len = VARSIZE_ANY_EXHDR(t);
				break;
			}
			case AK_DATETIME:
				jv.type = jbvString;
				jv.val.string.val = JsonEncodeDateTime(NULL, v, c->base, NULL);
				jv.val.string.len = strlen(jv.val.string.val);
				break;
			case AK_OUTPUT:
				jv.type = jbvString;
				jv.val.string.val =
					kind == c->kind
						? OutputFunctionCall((FmgrInfo *) &c->convert, v)
						: OidOutputFunctionCall(F_NUMERIC_OUT, v);
				jv.val.string.len = strlen(jv.val.string.val);
				break;
			case AK_GENERIC:
			{
				Jsonb *j =
					DatumGetJsonbP(FunctionCall1((FmgrInfo *) &c->convert, v));

				jv.type = jbvBinary;
				jv.val.binary.data = &j->root;
				jv.val.binary.len = VARSIZE(j) - VARHDRSZ;
				break;
			}
		}
	*out = jv;
}

/*
 * The row as jsonb; with old given (an UPDATE), only the columns whose
 * stored value differs from old's.
 */
static Datum
RowJsonb(const AuditShape *shape, const Datum *values, const bool *nulls,
		 const Datum *old_values, const bool *old_nulls, TupleDesc desc)
{
	JsonbValue obj;
	JsonbPair *pairs = palloc(sizeof(JsonbPair) * Max(shape->ncols, 1));
	int		   n = 0;
	bool	   binary = false;

	for (int i = 0; i < shape->ncols; i++)
	{
		const AuditColumn *c = &shape->cols[i];
		int				   a = c->att;

		if (old_values != NULL && nulls[a] == old_nulls[a] &&
			(nulls[a] || datumIsEqual(values[a], old_values[a],
									  TupleDescAttr(desc, a)->attbyval,
									  TupleDescAttr(desc, a)->attlen)))
			continue;
		pairs[n].key.type = jbvString;
		pairs[n].key.val.string.val = (char *) c->name;
		pairs[n].key.val.string.len = c->namelen;
		ColumnValue(c, values[a], nulls[a], &pairs[n].value);
		pairs[n].order = n;
		binary |= (pairs[n].value.type == jbvBinary);
		n++;
	}

	/*
	 * The pairs are in jsonb's key order (the shape's) and their keys are
	 * distinct column names, so the object is built as it is, without
	 * pushJsonbValue's sort and de-duplication per row; a whole jsonb value
	 * inside (an array, a composite) has to be unpacked by pushJsonbValue.
	 */
	if (binary)
	{
		JsonbParseState *st = NULL;
		JsonbValue		*res;

		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (int i = 0; i < n; i++)
		{
			pushJsonbValue(&st, WJB_KEY, &pairs[i].key);
			pushJsonbValue(&st, WJB_VALUE, &pairs[i].value);
		}
		res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		return JsonbPGetDatum(JsonbValueToJsonb(res));
	}
	obj.type = jbvObject;
	obj.val.object.nPairs = n;
	obj.val.object.pairs = pairs;
	return JsonbPGetDatum(JsonbValueToJsonb(&obj));
}

/*
 * The log, open for appending: rows go straight into the heap and its
 * indexes, as COPY writes them, without a query to plan or arrays to build.
 * Every value is made here (audit_id from its sequence, at as
 * now()), so no default, constraint or trigger of the table is involved.
 * rel is the partition of the statement's table (or audit_log itself while a
 * 0.2.0 database, whose log is one table, waits for its update).
 *
 * Rows are buffered and written as COPY FROM writes its rows: up to
 * AUDIT_BATCH_ROWS (or AUDIT_BATCH_BYTES of tuples) at a time with one
 * table_multi_insert, which fills a page under one lock and one WAL record,
 * then each row's index entries (doc/benchmarks.md, "The audit log's rows in
 * batches").  Nothing reads the log between two rows of one statement, and
 * the buffer is written before the trigger returns.
 */
#define AUDIT_BATCH_ROWS  1000
#define AUDIT_BATCH_BYTES 65535

typedef struct AuditWriter
{
	Relation		 parent;
	Relation		 rel;
	EState			*estate;
	ResultRelInfo	*rri;
	TupleTableSlot **slots; /* AUDIT_BATCH_ROWS, made as needed */
	int				 nslots;
	int				 nbuffered;
	Size			 buffered_bytes;
	BulkInsertState	 bistate;
	CommandId		 cid;
	Oid				 seqid;
	Datum			 values[8];
	bool			 nulls[8];
	MemoryContext	 cxt;	  /* the statement's: slots and buffered rows */
	MemoryContext	 row_cxt; /* one row's work, reset after each row */
} AuditWriter;

enum
{
	AL_AUDIT_ID,
	AL_AT,
	AL_BY_ROLE,
	AL_TABLE_NAME,
	AL_OP,
	AL_ROW_KEY,
	AL_OLD_ROW,
	AL_NEW_ROW
};
static const char *const log_columns[] = {"audit_id",	"at",	   "by_role",
										  "table_name", "op",	   "row_key",
										  "old_row",	"new_row", NULL};
static ColumnMap		 log_map = {.names = log_columns};

/*
 * The partition of audit_log for table's rows, found in the parent's list
 * bounds as tuple routing would find it, once per statement.
 */
static Oid
LogPartition(Relation parent, const char *table)
{
	PartitionDesc	   pd = RelationGetPartitionDesc(parent, false);
	PartitionBoundInfo bi = pd->boundinfo;
	size_t			   len = strlen(table);

	for (int i = 0; bi != NULL && i < bi->ndatums; i++)
	{
		text *bound = DatumGetTextPP(bi->datums[i][0]);

		if (VARSIZE_ANY_EXHDR(bound) == len &&
			memcmp(VARDATA_ANY(bound), table, len) == 0)
			return pd->oids[bi->indexes[i]];
	}
	if (bi != NULL && partition_bound_has_default(bi))
		return pd->oids[bi->default_index];
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_TABLE),
			 errmsg("table quarantine.audit_log has no partition for table %s",
					table),
			 errhint("Update or reinstall the extension.")));
	return InvalidOid; /* keep the compiler quiet */
}

/* The partition has the parent's columns, at the same numbers. */
static bool
SameColumns(TupleDesc a, TupleDesc b)
{
	if (a->natts != b->natts)
		return false;
	for (int i = 0; i < a->natts; i++)
		if (TupleDescAttr(a, i)->atttypid != TupleDescAttr(b, i)->atttypid ||
			TupleDescAttr(a, i)->attisdropped !=
				TupleDescAttr(b, i)->attisdropped)
			return false;
	return true;
}

static void
OpenWriter(AuditWriter *w, const char *table, const char *op)
{
	Oid relid = get_relname_relid("audit_log", QuarantineNamespace());

	if (!OidIsValid(relid))
		MissingRelation("audit_log");
	w->parent = table_open(relid, RowExclusiveLock);
	ColumnMapFor(&log_map, w->parent);
	if (w->parent->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
		w->rel = table_open(LogPartition(w->parent, table), RowExclusiveLock);
	else
		w->rel = w->parent;
	if (RelationGetDescr(w->parent)->natts != lengthof(w->values) ||
		!SameColumns(RelationGetDescr(w->parent), RelationGetDescr(w->rel)))
		ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
						errmsg("table quarantine.audit_log does not have the "
							   "extension's columns"),
						errhint("Reinstall the extension.")));
	w->seqid =
		get_relname_relid("audit_log_audit_id_seq", QuarantineNamespace());
	if (!OidIsValid(w->seqid))
		MissingRelation("audit_log_audit_id_seq");
	w->estate = CreateExecutorState();
	w->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(w->rri, w->rel, 1, NULL, 0);
	ExecOpenIndices(w->rri, false);
	w->cxt = CurrentMemoryContext;
	w->slots = palloc0(sizeof(TupleTableSlot *) * AUDIT_BATCH_ROWS);
	w->nslots = 0;
	w->nbuffered = 0;
	w->buffered_bytes = 0;
	w->bistate = GetBulkInsertState();
	w->cid = GetCurrentCommandId(true);
	for (int i = 0; i < (int) lengthof(w->nulls); i++)
		w->nulls[i] = true;
	w->values[log_map.attnum[AL_AT] - 1] =
		TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	w->values[log_map.attnum[AL_BY_ROLE] - 1] =
		CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	w->values[log_map.attnum[AL_TABLE_NAME] - 1] = CStringGetTextDatum(table);
	w->values[log_map.attnum[AL_OP] - 1] = CStringGetTextDatum(op);
	for (int i = AL_AUDIT_ID; i <= AL_ROW_KEY; i++)
		w->nulls[log_map.attnum[i] - 1] = false;
	w->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "audit row",
									   ALLOCSET_DEFAULT_SIZES);
}

/* Write the buffered rows: the heap in one call, then each row's indexes. */
static void
FlushWriter(AuditWriter *w)
{
	if (w->nbuffered == 0)
		return;
	table_multi_insert(w->rel, w->slots, w->nbuffered, w->cid, 0, w->bistate);
	for (int i = 0; i < w->nbuffered; i++)
	{
		List *conflicts;

		conflicts = ExecInsertIndexTuples_compat(
			w->rri, w->slots[i], w->estate, false, false, NULL, NIL);
		list_free(conflicts);
		ResetPerTupleExprContext(w->estate);
		ExecClearTuple(w->slots[i]);
	}
	w->nbuffered = 0;
	w->buffered_bytes = 0;
}

static void
CloseWriter(AuditWriter *w)
{
	FlushWriter(w);
	FreeBulkInsertState(w->bistate);
	table_finish_bulk_insert(w->rel, 0);
	for (int i = 0; i < w->nslots; i++)
		ExecDropSingleTupleTableSlot(w->slots[i]);
	ExecCloseIndices(w->rri);
	FreeExecutorState(w->estate);
	if (w->rel != w->parent)
		table_close(w->rel, NoLock); /* RowExclusiveLock is kept to commit */
	table_close(w->parent, NoLock);
	MemoryContextDelete(w->row_cxt);
}

/*
 * Append one log row to the buffer.  The slot is materialized, so it owns
 * its values and the row's work context can be reset.
 */
static void
AddLogRow(AuditWriter *w, Datum key, Datum old_row, bool old_null,
		  Datum new_row, bool new_null)
{
	TupleTableSlot *slot;

	if (w->nbuffered == w->nslots)
	{
		MemoryContext old = MemoryContextSwitchTo(w->cxt);

		w->slots[w->nslots++] = table_slot_create(w->rel, NULL);
		MemoryContextSwitchTo(old);
	}
	slot = w->slots[w->nbuffered];
	ExecClearTuple(slot);
	memcpy(slot->tts_values, w->values, sizeof(w->values));
	memcpy(slot->tts_isnull, w->nulls, sizeof(w->nulls));
	slot->tts_values[log_map.attnum[AL_AUDIT_ID] - 1] =
		Int64GetDatum(nextval_internal(w->seqid, false));
	slot->tts_values[log_map.attnum[AL_ROW_KEY] - 1] = key;
	slot->tts_values[log_map.attnum[AL_OLD_ROW] - 1] = old_row;
	slot->tts_isnull[log_map.attnum[AL_OLD_ROW] - 1] = old_null;
	slot->tts_values[log_map.attnum[AL_NEW_ROW] - 1] = new_row;
	slot->tts_isnull[log_map.attnum[AL_NEW_ROW] - 1] = new_null;
	ExecStoreVirtualTuple(slot);
	ExecMaterializeSlot(slot);
	w->nbuffered++;
	w->buffered_bytes +=
		(old_null ? 0 : VARSIZE_ANY(DatumGetPointer(old_row))) +
		(new_null ? 0 : VARSIZE_ANY(DatumGetPointer(new_row))) +
		VARSIZE_ANY(DatumGetPointer(key));
	if (w->nbuffered == AUDIT_BATCH_ROWS ||
		w->buffered_bytes >= AUDIT_BATCH_BYTES)
		FlushWriter(w);
}

static Datum
KeyText(const AuditShape *shape, const Datum *values, const bool *nulls)
{
	if (nulls[shape->key_att])
		elog(ERROR, "audited row without a key");
	return CStringGetTextDatum(OutputFunctionCall((FmgrInfo *) &shape->key_out,
												  values[shape->key_att]));
}

/*
 * AFTER INSERT, UPDATE or DELETE FOR EACH STATEMENT on an audited table
 * (transition tables new_rows and/or old_rows).  An UPDATE logs the whole
 * old row and, as new_row, the columns it changed.  The transition tables of
 * an UPDATE hold each row's old and new version at the same position; one
 * whose key changed logs the old row and the whole new row apart, so
 * nothing is lost.
 */
/* The statement's operation, with the trigger protocol checked. */
static const char *
AuditOperation(TriggerData *td)
{
	const char *op;

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		op = "INSERT";
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		op = "DELETE";
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		op = "UPDATE";
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("audit_after_write: must be fired for INSERT, UPDATE "
						"or DELETE")));
	if ((strcmp(op, "DELETE") != 0 && td->tg_newtable == NULL) ||
		(strcmp(op, "INSERT") != 0 && td->tg_oldtable == NULL))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("audit_after_write: the trigger must declare "
							   "transition tables new_rows and old_rows")));
	return op;
}

/*
 * The log rows of one row of the statement: its old and new versions, read
 * in step from the transition tables.  An UPDATE that keeps the key logs one
 * row (the new one holds only what changed); one that changes the key logs
 * the old key's removal and the new key's arrival.
 */
static void
LogRowPair(AuditWriter *w, AuditShape *shape, TupleDesc desc,
		   TupleTableSlot *oslot, bool has_old, TupleTableSlot *nslot,
		   bool has_new)
{
	Datum *ov = has_old ? oslot->tts_values : NULL;
	bool  *on = has_old ? oslot->tts_isnull : NULL;
	Datum *nv = has_new ? nslot->tts_values : NULL;
	bool  *nn = has_new ? nslot->tts_isnull : NULL;

	if (has_old && has_new)
	{
		Form_pg_attribute katt = TupleDescAttr(desc, shape->key_att);

		if (datumIsEqual(ov[shape->key_att], nv[shape->key_att],
						 katt->attbyval, katt->attlen))
		{
			AddLogRow(w, KeyText(shape, ov, on),
					  RowJsonb(shape, ov, on, NULL, NULL, desc), false,
					  RowJsonb(shape, nv, nn, ov, on, desc), false);
			return;
		}
	}
	if (has_old)
		AddLogRow(w, KeyText(shape, ov, on),
				  RowJsonb(shape, ov, on, NULL, NULL, desc), false, (Datum) 0,
				  true);
	if (has_new)
		AddLogRow(w, KeyText(shape, nv, nn), (Datum) 0, true,
				  RowJsonb(shape, nv, nn, NULL, NULL, desc), false);
}

Datum
audit_after_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		StatementTriggerData(fcinfo, "audit_after_write", audited_names);
	Relation		rel = td->tg_relation;
	TupleDesc		desc = RelationGetDescr(rel);
	const char	   *table = RelationGetRelationName(rel);
	const char	   *op;
	const char	   *keyname = NULL;
	AuditShape		shape;
	AuditWriter		w;
	TupleTableSlot *oslot = NULL;
	TupleTableSlot *nslot = NULL;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(NULL);
	for (int i = 0; audited[i].table != NULL; i++)
		if (strcmp(audited[i].table, table) == 0)
			keyname = audited[i].key;
	Assert(keyname != NULL);
	op = AuditOperation(td);

	BuildShape(&shape, desc, keyname);
	OpenWriter(&w, table, op);
	if (td->tg_oldtable != NULL)
	{
		oslot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
		TransitionTableStartReading(td->tg_oldtable);
	}
	if (td->tg_newtable != NULL)
	{
		nslot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
		TransitionTableStartReading(td->tg_newtable);
	}
	for (;;)
	{
		bool		  has_old = false;
		bool		  has_new = false;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (oslot != NULL)
			has_old =
				tuplestore_gettupleslot(td->tg_oldtable, true, false, oslot);
		if (nslot != NULL)
			has_new =
				tuplestore_gettupleslot(td->tg_newtable, true, false, nslot);
		if (!has_old && !has_new)
			break;
		old = MemoryContextSwitchTo(w.row_cxt);
		if (has_old)
			slot_getallattrs(oslot);
		if (has_new)
			slot_getallattrs(nslot);
		LogRowPair(&w, &shape, desc, oslot, has_old, nslot, has_new);
		MemoryContextSwitchTo(old);
		MemoryContextReset(w.row_cxt);
	}
	if (oslot != NULL)
		ExecDropSingleTupleTableSlot(oslot);
	if (nslot != NULL)
		ExecDropSingleTupleTableSlot(nslot);
	CloseWriter(&w);
	return PointerGetDatum(NULL);
}
