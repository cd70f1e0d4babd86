/*
 * quarantine.c
 *		Module entry point: PG_MODULE_MAGIC and the GUCs (README, GUCs).
 */
#include "places.h"
#include "quarantine.h"
#include "records.h"

#include "miscadmin.h"
#include "pgtime.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

char		*quarantine_timezone = NULL;
double		 quarantine_fever_threshold = 37.3;
int			 quarantine_release_test_days = 2;
int			 quarantine_observation_days = 14;
int			 quarantine_flight_contact_rows = 3;
bool		 quarantine_duplicate_detection = true;
static char *quarantine_event_note = NULL;

void _PG_init(void);

/* Reject a zone name the server's tz database does not know. */
static bool
CheckTimezone(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || pg_tzset(*newval) == NULL)
	{
		GUC_check_errdetail("Time zone \"%s\" is not recognized.",
							*newval ? *newval : "");
		return false;
	}
	return true;
}

/*
 * Every setting a rule reads is PGC_SUSET: the install script grants SET on
 * it to quarantine_admin alone (doc/security.md, "Settings").  That covers
 * the ones that weaken a rule (fever threshold, release test window,
 * observation days, contact rows, duplicate detection) and the time zone,
 * which decides what "today" is for control_end, the birth date and every
 * deadline: a session that moved it could end an isolation days early.  A
 * district sets its zone once, with ALTER DATABASE ... SET.  The note
 * written into control_event (event_note) changes no rule and stays
 * PGC_USERSET.
 */
void
_PG_init(void)
{
	/* The extension's message catalog, as procedural languages bind theirs. */
	pg_bindtextdomain(TEXTDOMAIN);

	DefineCustomStringVariable(
		"quarantine.timezone",
		"Time zone in which quarantine dates are local dates.",
		"Day numbers, deadlines and sample dates are counted in this zone.",
		&quarantine_timezone, "Asia/Shanghai", PGC_SUSET, 0, CheckTimezone,
		NULL, NULL);

	/*
	 * The Fujian guideline: a temperature above 37.3 °C is fever; 37.3 itself
	 * is not.
	 */
	DefineCustomRealVariable(
		"quarantine.fever_threshold",
		"Body temperature (°C) above which an arrival has fever.", NULL,
		&quarantine_fever_threshold, 37.3, 35.0, 42.0, PGC_SUSET, 0, NULL,
		NULL, NULL);

	DefineCustomIntVariable("quarantine.release_test_days",
							"Days before the isolation end within which the "
							"release NAT must be sampled.",
							NULL, &quarantine_release_test_days, 2, 0, 30,
							PGC_SUSET, 0, NULL, NULL, NULL);

	/*
	 * The national plan: inbound persons are observed for 14 days after entry.
	 */
	DefineCustomIntVariable(
		"quarantine.observation_days",
		"Days after entry during which an inbound person is observed.", NULL,
		&quarantine_observation_days, 14, 1, 60, PGC_SUSET, 0, NULL, NULL,
		NULL);

	/* National rule: the case's row and 3 rows in front and behind. */
	DefineCustomIntVariable("quarantine.flight_contact_rows",
							"Seat rows in front of and behind a case whose "
							"passengers are close contacts.",
							NULL, &quarantine_flight_contact_rows, 3, 0, 100,
							PGC_SUSET, 0, NULL, NULL, NULL);

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

	/* doc/places.md: the scan trail is kept only as long as it is needed. */
	DefineCustomIntVariable("quarantine.scan_retention_days",
							"Days of health-code scans kept in checkin.",
							"scan_trail_maintenance() drops the days older "
							"than this.",
							&quarantine_scan_retention_days, 28, 1, 3660,
							PGC_SUSET, 0, NULL, NULL, NULL);

	MarkGUCPrefixReserved("quarantine");
}
