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

/*
 * The entry points that run code with the extension owner's rights: every
 * owner switch (QuerySpiConnect with an entry other than AS_CALLER) names
 * its entry point here, and so does every SECURITY DEFINER function of the
 * extension.  The names are listed by owner_rights_entry_points() (the one
 * table, owner_entry_points in query_context.c), and the hostile-caller
 * suite (sql/97_hostile.sql, doc/security.md) must exercise every one of
 * them: a new entry point without a case there fails `make test`.
 */
typedef enum OwnerEntry
{
	AS_CALLER = 0, /* no switch: the caller's rights */
	OWNER_LOAD_STAGED,
	OWNER_LOAD_MANIFEST,
	OWNER_MERGE_PERSONS,
	OWNER_REFRESH_CODES,
	OWNER_CODE_FEED_TRIGGER,
	OWNER_CONTROL_EVENT_TRIGGER,
	OWNER_DUPLICATE_TRIGGER,
	OWNER_AUDIT_TRIGGER,
	OWNER_SITE_JURISDICTION,
	OWNER_POLICY_CACHE,
	OWNER_FEDERATION_RESCOPE,
	OWNER_FEDERATION_OUTCOME_RECORD,
	OWNER_FEDERATION_OUTCOME_APPLY,
	OWNER_FEDERATION_TASK_ADDRESS,
	OWNER_SCAN_TRAIL_MAINTENANCE,
	OWNER_ANALYTICS_TODAY_CONTROLS,
	OWNER_ANALYTICS_TESTS_DUE,
	OWNER_ANALYTICS_COLOR_CHANGES,
	OWNER_ANALYTICS_RELEASES_DUE,
	OWNER_ANALYTICS_STAFF_TESTS_OVERDUE,
	OWNER_ANALYTICS_CASE_CONTACTS,
	OWNER_TASK_JURISDICTION,
	OWNER_REFERRAL_TRIGGER,
	OWNER_REFERRAL_CLOSE_TRIGGER,
	OWNER_SUBMIT_DAILY_REPORT,
	OWNER_ANALYTICS_DAILY_REPORT,
	OWNER_ANALYTICS_COMPLETENESS,
	OWNER_ANALYTICS_CHECKS_MISSING,
	OWNER_INBOUND_STATUS, /* SQL SECURITY DEFINER (doc/ports.md) */
	/* lot_release.c: the lot's lock and probes, no SQL */
	OWNER_LOT_RELEASE_TRIGGER,
	OWNER_SAMPLE_LOCK_TRIGGER,
	OWNER_ENTRY_COUNT
} OwnerEntry;

typedef struct QueryContext
{
	int		   guc_nestlevel; /* to restore search_path */
	bool	   as_owner;	  /* switched to the extension owner */
	OwnerEntry entry;		  /* the entry point that switched */
	Oid		   save_userid;	  /* the caller, while as_owner */
	int		   save_sec_context;
} QueryContext;

/*
 * SPI_connect with search_path pinned; with an entry other than AS_CALLER,
 * the queries run as the owner of schema quarantine (the extension owner),
 * which alone may write the log tables.  On error, transaction abort
 * restores both, as it does for ri_triggers.c; on success QuerySpiFinish
 * restores them.
 *
 * The rule of an owner switch (doc/security.md): the queries run as the
 * owner read and write only the extension's own tables, with values the
 * caller's side computed and passes as parameters; they never read a
 * relation the caller owns or chose (a staging table, a temporary work
 * table) nor evaluate a type, cast, operator or function the caller could
 * create.
 */
extern void QuerySpiConnect(QueryContext *qc, OwnerEntry entry);
extern void QuerySpiFinish(QueryContext *qc);

/* The caller's role name while a QueryContext runs as the owner. */
extern const char *QueryCallerName(const QueryContext *qc);

/*
 * The jurisdictions the caller works on, as a text[] Datum computed as the
 * caller (in its SPI connection): *isnull when the caller sees every
 * district (a superuser, a BYPASSRLS role, a member of quarantine_admin).
 * A reject records it, so that an operator reads only the rejects whose
 * messages were written for a view no wider than its own.
 */
extern Datum CallerScope(bool *isnull);

/*
 * Whether quarantine.<table> has column: the library also serves a database
 * whose extension scripts are older (before ALTER EXTENSION ... UPDATE), so
 * a column added since is written only once it is there.
 */
extern bool QuarantineHasColumn(const char *table, const char *column);

/* The SQL name of an owner-rights entry point (owner_rights_entry_points). */
extern const char *OwnerEntryName(OwnerEntry entry);

/* OID of schema quarantine, cached until the next catalog change to it. */
extern Oid QuarantineNamespace(void);

#endif /* QUARANTINE_QUERY_CONTEXT_H */
