/*
 * quarantine.c
 *		Module entry point: PG_MODULE_MAGIC and the GUCs (README, GUCs).
 */
#include "types/types.h"
#include "rules/rules.h"
#include "places/places.h"
#include "triggers/triggers.h"

#include "miscadmin.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

void _PG_init(void);

/*
 * Each family registers its own settings from its Init (as pgvector's
 * HnswInit does); _PG_init only calls them.  Every setting a rule reads is
 * PGC_SUSET: the install script grants SET on it to quarantine_admin alone
 * (doc/security.md, "Settings").  That covers the ones that weaken a rule
 * (fever threshold, release test window, observation days, contact rows,
 * duplicate detection) and the time zone, which decides what "today" is for
 * control_end, the birth date and every deadline.  The note written into
 * control_event (event_note) changes no rule and stays PGC_USERSET.
 */
void
_PG_init(void)
{
	/* The extension's message catalog, as procedural languages bind theirs. */
	pg_bindtextdomain(TEXTDOMAIN);
	TypesInit();
	RulesInit();
	PlacesInit();
	TriggersInit();
	MarkGUCPrefixReserved("quarantine");
}
