/*
 * types_settings.c
 *		The settings of the types family, registered by TypesInit(),
 *		which _PG_init calls (quarantine.c).
 */
#include "types/types.h"

#include "pgtime.h"
#include "utils/guc.h"

char *quarantine_timezone = NULL;

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

/* Register the settings of the types family (README, GUCs). */
void
TypesInit(void)
{
	DefineCustomStringVariable(
		"quarantine.timezone",
		"Time zone in which quarantine dates are local dates.",
		"Day numbers, deadlines and sample dates are counted in this zone.",
		&quarantine_timezone, "Asia/Shanghai", PGC_SUSET, 0, CheckTimezone,
		NULL, NULL);
}
