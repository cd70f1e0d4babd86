/*
 * query_context.h
 *		The context every query of the extension runs in (README, Conventions;
 *		doc/security.md): search_path pinned to pg_catalog, quarantine, so that
 *		no object a caller planted elsewhere can be reached (the CVE-2018-1058
 *		pattern), and, for writes to the log tables, the extension owner's
 *		rights, as ri_triggers.c runs its checks as the table owner.
 */
#ifndef QUARANTINE_QUERY_CONTEXT_H
#define QUARANTINE_QUERY_CONTEXT_H

#include "postgres.h"

/* The search_path of every query the extension runs. */
#define QUARANTINE_SEARCH_PATH "pg_catalog, quarantine, pg_temp"

typedef struct QueryContext
{
	int	 guc_nestlevel; /* to restore search_path */
	bool as_owner;		/* switched to the extension owner */
	Oid	 save_userid;	/* the caller, while as_owner */
	int	 save_sec_context;
} QueryContext;

/*
 * SPI_connect with search_path pinned; with as_owner, the queries run as the
 * owner of schema quarantine (the extension owner), which alone may write the
 * log tables.  On error, transaction abort restores both, as it does for
 * ri_triggers.c; on success QuerySpiFinish restores them.
 */
extern void QuerySpiConnect(QueryContext *qc, bool as_owner);
extern void QuerySpiFinish(QueryContext *qc);

/* The caller's role name while a QueryContext runs as the owner. */
extern const char *QueryCallerName(const QueryContext *qc);

/* OID of schema quarantine, cached until the next catalog change to it. */
extern Oid QuarantineNamespace(void);

#endif /* QUARANTINE_QUERY_CONTEXT_H */
