/*
 * enums.c
 *		The quarantine enums as C sees them: label OIDs by index and back.
 *
 * The label lists are quarantine.h's X-macro lists (QE_*_LABELS), checked
 * against src/sql/01_enums.sql at first use (CheckLabelOrder).  Label OIDs are
 * looked up once per backend and forgotten whenever pg_type changes (which
 * covers DROP/CREATE EXTENSION in the same session).
 */
#include "types/types.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "utils/catcache.h"
#include "utils/inval.h"
#include "utils/syscache.h"

#define MAX_LABELS 8

typedef struct EnumDef
{
	const char *typname;
	const char *labels[MAX_LABELS];
} EnumDef;

static const EnumDef enum_defs[QE_COUNT] = {
	[QE_DOC_KIND] = {"doc_kind", {QE_DOC_KIND_LABELS(QE_ENUM_LABEL)}},
	[QE_PHASE] = {"phase", {QE_PHASE_LABELS(QE_ENUM_LABEL)}},
	[QE_ARRIVAL_CATEGORY] = {"arrival_category",
							 {QE_ARRIVAL_CATEGORY_LABELS(QE_ENUM_LABEL)}},
	[QE_EXEMPT_REASON] = {"exempt_reason",
						  {QE_EXEMPT_REASON_LABELS(QE_ENUM_LABEL)}},
	[QE_TEST_KIND] = {"test_kind", {QE_TEST_KIND_LABELS(QE_ENUM_LABEL)}},
	[QE_TEST_RESULT] = {"test_result", {QE_TEST_RESULT_LABELS(QE_ENUM_LABEL)}},
	[QE_CONTROL_STATUS] = {"control_status",
						   {QE_CONTROL_STATUS_LABELS(QE_ENUM_LABEL)}},
	[QE_RETURN_REASON] = {"return_reason",
						  {QE_RETURN_REASON_LABELS(QE_ENUM_LABEL)}},
	[QE_END_REASON] = {"end_reason", {QE_END_REASON_LABELS(QE_ENUM_LABEL)}},
	[QE_HEALTH_CODE] = {"health_code", {QE_HEALTH_CODE_LABELS(QE_ENUM_LABEL)}},
};

typedef struct EnumCache
{
	bool valid;
	int	 nlabels;
	Oid	 oids[MAX_LABELS];
} EnumCache;

static EnumCache enum_cache[QE_COUNT];
static bool		 callback_registered = false;

static void
InvalidateEnumCache(Datum arg, int cacheid, uint32 hashvalue)
{
	for (int i = 0; i < QE_COUNT; i++)
		enum_cache[i].valid = false;
}

/* OID of a type in schema quarantine; error if the extension is missing. */
Oid
QuarantineTypeOid(const char *typname)
{
	Oid nsp = get_namespace_oid("quarantine", false);
	Oid typoid;

	typoid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
							 CStringGetDatum(typname), ObjectIdGetDatum(nsp));
	if (!OidIsValid(typoid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type quarantine.%s does not exist", typname),
				 errhint("The quarantine library needs its types; reinstall "
						 "the extension.")));
	return typoid;
}

/*
 * The SQL enum must begin with the C labels in their order: the C enums index
 * the labels by position, so a label moved, or added in between (ALTER TYPE
 * ... ADD VALUE ... BEFORE), would make every index mean another label.
 * Labels added after the last one are allowed (the rules refuse them by name
 * when a row carries one, see EnumLabelIndex).
 */
static void
CheckLabelOrder(const EnumDef *def, Oid typoid, int n)
{
	CatCList *list =
		SearchSysCacheList1(ENUMTYPOIDNAME, ObjectIdGetDatum(typoid));
	float4 order[MAX_LABELS];
	float4 last;
	int	   i;

	for (i = 0; i < list->n_members; i++)
	{
		Form_pg_enum e = (Form_pg_enum) GETSTRUCT(&list->members[i]->tuple);

		for (int k = 0; k < n; k++)
			if (strcmp(NameStr(e->enumlabel), def->labels[k]) == 0)
				order[k] = e->enumsortorder;
	}
	last = order[n - 1];
	for (i = 0; i < list->n_members; i++)
	{
		Form_pg_enum e = (Form_pg_enum) GETSTRUCT(&list->members[i]->tuple);
		int			 k;

		for (k = 0; k < n; k++)
			if (strcmp(NameStr(e->enumlabel), def->labels[k]) == 0)
				break;
		if ((k == n && e->enumsortorder < last) ||
			(k < n && k > 0 && order[k - 1] >= order[k]))
		{
			char *label = pstrdup(NameStr(e->enumlabel));

			ReleaseSysCacheList(list);
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("enum quarantine.%s does not start with the "
							"labels the rules were written for",
							def->typname),
					 errdetail("Label \"%s\" is out of place: the rules "
							   "expect the labels from \"%s\" to \"%s\" "
							   "first, in their order.",
							   label, def->labels[0], def->labels[n - 1]),
					 errhint("Reinstall the extension.")));
		}
	}
	ReleaseSysCacheList(list);
}

static EnumCache *
LoadEnum(QuarantineEnum which)
{
	EnumCache	  *cache = &enum_cache[which];
	const EnumDef *def = &enum_defs[which];
	Oid			   typoid;
	int			   n;

	if (cache->valid)
		return cache;
	if (!callback_registered)
	{
		CacheRegisterSyscacheCallback(TYPEOID, InvalidateEnumCache, (Datum) 0);
		callback_registered = true;
	}

	typoid = QuarantineTypeOid(def->typname);
	for (n = 0; n < MAX_LABELS && def->labels[n] != NULL; n++)
	{
		Oid label;

		label = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
								ObjectIdGetDatum(typoid),
								CStringGetDatum(def->labels[n]));
		if (!OidIsValid(label))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("enum quarantine.%s has no label \"%s\"",
							def->typname, def->labels[n]),
					 errdetail("The rules of the extension are written for "
							   "the labels it created."),
					 errhint("Rename the label back, or reinstall the "
							 "extension.")));
		cache->oids[n] = label;
	}
	cache->nlabels = n;
	CheckLabelOrder(def, typoid, n);
	cache->valid = true;
	return cache;
}

/* The OID of label number index (0-based, in declaration order). */
Oid
EnumLabelOid(QuarantineEnum which, int index)
{
	EnumCache *cache = LoadEnum(which);

	if (index < 0 || index >= cache->nlabels)
		elog(ERROR, "label %d out of range for enum quarantine.%s", index,
			 enum_defs[which].typname);
	return cache->oids[index];
}

/* The text of an enum label OID, for messages. */
static const char *
LabelText(Oid label)
{
	HeapTuple	tup = SearchSysCache1(ENUMOID, ObjectIdGetDatum(label));
	const char *name;

	if (!HeapTupleIsValid(tup))
		return psprintf("%u", label);
	name = pstrdup(NameStr(((Form_pg_enum) GETSTRUCT(tup))->enumlabel));
	ReleaseSysCache(tup);
	return name;
}

/* The declaration-order index of a label OID. */
int
EnumLabelIndex(QuarantineEnum which, Oid label)
{
	EnumCache *cache = LoadEnum(which);

	for (int i = 0; i < cache->nlabels; i++)
		if (cache->oids[i] == label)
			return i;
	/*
	 * A label added with ALTER TYPE ... ADD VALUE reaches here through a
	 * row: the rules know only the labels they were written for.
	 */
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("value \"%s\" of enum quarantine.%s is not known to the "
					"quarantine rules",
					LabelText(label), enum_defs[which].typname),
			 errdetail("Labels added with ALTER TYPE ... ADD VALUE have no "
					   "rule in this version of the extension."),
			 errhint("Use one of the labels the extension created.")));
	return -1; /* keep compiler quiet */
}

/* The text of label number index, for messages. */
const char *
EnumLabelName(QuarantineEnum which, int index)
{
	if (index < 0 || index >= MAX_LABELS ||
		enum_defs[which].labels[index] == NULL)
		return "?";
	return enum_defs[which].labels[index];
}
