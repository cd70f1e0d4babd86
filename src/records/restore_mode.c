/*
 * restore_mode.c
 *		Whether a trigger of the extension fires while pg_restore (or psql
 *		running a pg_dump script) puts back the rows a dump took.
 *
 * The extension's tables are its members: CREATE EXTENSION makes them with
 * their triggers, and the restore's COPY arrives after it, so the triggers
 * fire on rows that were already checked, derived, fed and audited when they
 * were first written.  PostgreSQL restores an ordinary table's triggers after
 * its data; for these tables each trigger function steps aside instead and
 * stores the row as it came (doc/operations.md, "How a restore gets past the
 * triggers").  The session is recognised by what pg_dump writes at the start
 * of every archive and every connection pg_restore opens
 * (_doSetFixedOutputState): check_function_bodies off, row_security off and
 * an empty search_path; and only for a role that could already switch the
 * triggers off (a superuser, or a member of the table's owner, who may ALTER
 * TABLE ... DISABLE TRIGGER), so the mode opens no way around a rule.  A
 * session in replica mode (the apply worker of a subscription) never
 * restores: the province's replayed triggers must fire there.
 */
#include "records/records.h"

#include "catalog/namespace.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/rls.h"

/* Whether the writes of this session to rel are a restore (see above). */
bool
RestoringInto(Relation rel)
{
	List *path;
	bool  empty;
	Oid	  role;

	/* pg_dump: SET check_function_bodies = false; SET row_security = off */
	if (check_function_bodies || row_security)
		return false;
	if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA)
		return false;
	/* pg_dump: SELECT pg_catalog.set_config('search_path', '', false);
	 * (CREATE EXTENSION also turns check_function_bodies off, but runs its
	 * script with the extension's schema on the path) */
	path = fetch_search_path(false);
	empty = path == NIL;
	list_free(path);
	if (!empty)
		return false;
	/* The role of the session (after SET ROLE), not the owner's rights the
	 * extension's own functions may run with. */
	role = GetOuterUserId();
	return superuser_arg(role) ||
		   has_privs_of_role(role, rel->rd_rel->relowner);
}
