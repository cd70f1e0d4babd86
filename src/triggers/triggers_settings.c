/*
 * triggers_settings.c
 *		The settings of the triggers family, registered by TriggersInit(),
 *		which _PG_init calls (quarantine.c).
 */
#include "triggers/triggers.h"

#include "utils/guc.h"

bool		 quarantine_duplicate_detection = true;
static char *quarantine_event_note = NULL;

/* Register the settings of the triggers family (README, GUCs). */
void
TriggersInit(void)
{
	/*
	 * doc/records.md: fuzzy duplicates are recorded for review after each
	 * write.
	 */
	DefineCustomBoolVariable(
		"quarantine.duplicate_detection",
		"Record possible duplicate persons after each insert or update of "
		"person.",
		"Turn off only for a bulk load that is checked separately.",
		&quarantine_duplicate_detection, true, PGC_SUSET, 0, NULL, NULL, NULL);

	DefineCustomStringVariable(
		"quarantine.event_note",
		"Note written into control_event for the status and plan changes that "
		"follow.",
		"Set it with SET LOCAL in the transaction that makes the change.",
		&quarantine_event_note, "", PGC_USERSET, 0, NULL, NULL, NULL);
}
