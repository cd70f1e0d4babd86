/*
 * query_context.c
 *		Pinned search_path and owner's rights for the extension's own queries
 *		(see query_context.h).
 */
#include "query_context.h"

#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/syscache.h"

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
QuerySpiConnect(QueryContext *qc, bool as_owner)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* As fmgr does for a function's SET clause. */
	qc->guc_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", QUARANTINE_SEARCH_PATH,
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true,
							 0, false);
	qc->as_owner = as_owner;
	if (as_owner)
	{
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

const char *
QueryCallerName(const QueryContext *qc)
{
	return GetUserNameFromId(qc->as_owner ? qc->save_userid : GetUserId(),
							 false);
}
