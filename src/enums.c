/*
 * enums.c
 *		The quarantine enums as C sees them: label OIDs by index and back.
 *
 * The label lists must match src/sql/01_enums.sql in order.  Label OIDs are
 * looked up once per backend and forgotten whenever pg_type changes (which
 * covers DROP/CREATE EXTENSION in the same session).
 */
#include "quarantine.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "utils/inval.h"
#include "utils/syscache.h"

#define MAX_LABELS 8

typedef struct EnumDef
{
	const char *typname;
	const char *labels[MAX_LABELS];
} EnumDef;

static const EnumDef enum_defs[QE_COUNT] = {
	[QE_DOC_KIND] = {"doc_kind",
					 {"resident_id", "passport", "hk_macao_permit",
					  "taiwan_permit", "foreign_permanent_id", "local_code",
					  "other"}},
	[QE_PHASE] = {"phase",
				  {"not_started", "work", "centralized", "home", "monitoring",
				   "released"}},
	[QE_ARRIVAL_CATEGORY] = {"arrival_category",
							 {"confirmed", "suspected", "symptomatic",
							  "close_contact", "general", "discharged",
							  "exempt"}},
	[QE_EXEMPT_REASON] = {"exempt_reason",
						  {"diplomat", "foreign_air_crew",
						   "essential_business", "other"}},
	[QE_TEST_KIND] = {"test_kind", {"nat", "igm", "igg", "antigen"}},
	[QE_TEST_RESULT] = {"test_result",
						{"pending", "negative", "positive", "inconclusive"}},
	[QE_CONTROL_STATUS] = {"control_status",
						   {"pending", "under_control", "medical", "ended",
							"returned"}},
	[QE_RETURN_REASON] = {"return_reason",
						  {"out_of_province", "unreachable", "other"}},
	[QE_END_REASON] = {"end_reason",
					   {"completed", "completed_elsewhere", "confirmed_case",
						"transferred_out", "exempted"}},
	[QE_HEALTH_CODE] = {"health_code", {"green", "yellow", "orange", "red"}},
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
