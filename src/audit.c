/*
 * audit.c
 *		audit_log (SPEC §12): every INSERT, UPDATE and DELETE on the core
 *		tables, who, when, which table, the row's key, the old and new row as
 *		jsonb.  One set-based statement per statement over the transition
 *		tables, so a COPY of a million rows pays no row trigger for it, run
 *		with the extension owner's rights: only the owner may write the log.
 */
#include "records.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

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
	{NULL, NULL},
};

static const char *const audited_names[] = {
	"person",		"entry",		"control", "lab_test",
	"verification", "task",			"staff",   "policy",
	"site",			"jurisdiction", NULL};

/*
 * AFTER INSERT, UPDATE or DELETE FOR EACH STATEMENT on an audited table
 * (transition tables new_rows and/or old_rows).  An UPDATE pairs old and new
 * rows by key; one that changed the key itself logs the old row and the new
 * row apart, so nothing is lost.
 */
Datum
audit_after_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		StatementTriggerData(fcinfo, "audit_after_write", audited_names);
	const char	  *table = RelationGetRelationName(td->tg_relation);
	const char	  *key = NULL;
	StringInfoData sql;

	for (int i = 0; audited[i].table != NULL; i++)
		if (strcmp(audited[i].table, table) == 0)
			key = quote_identifier(audited[i].key);
	Assert(key != NULL);

	initStringInfo(&sql);
	appendStringInfoString(&sql,
						   "INSERT INTO quarantine.audit_log "
						   "  (by_role, table_name, op, row_key, old_row, "
						   "   new_row) ");
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		appendStringInfo(&sql,
						 "SELECT $1, %s, 'INSERT', n.%s::pg_catalog.text, "
						 "       NULL, pg_catalog.to_jsonb(n) "
						 "  FROM new_rows n",
						 quote_literal_cstr(table), key);
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		appendStringInfo(&sql,
						 "SELECT $1, %s, 'DELETE', o.%s::pg_catalog.text, "
						 "       pg_catalog.to_jsonb(o), NULL "
						 "  FROM old_rows o",
						 quote_literal_cstr(table), key);
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		appendStringInfo(
			&sql,
			"SELECT $1, %s, 'UPDATE', "
			"       COALESCE(n.%s, o.%s)::pg_catalog.text, "
			"       pg_catalog.to_jsonb(o), pg_catalog.to_jsonb(n) "
			"  FROM old_rows o FULL JOIN new_rows n "
			"    ON o.%s OPERATOR(pg_catalog.=) n.%s",
			quote_literal_cstr(table), key, key, key, key);
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("audit_after_write: must be fired for INSERT, UPDATE "
						"or DELETE")));
	ExecuteWithTransitionTables(td, sql.data, 0, NULL, NULL, NULL);
	pfree(sql.data);
	return PointerGetDatum(NULL);
}
