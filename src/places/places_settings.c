/*
 * places_settings.c
 *		The settings of the places family, registered by PlacesInit(),
 *		which _PG_init calls (quarantine.c).
 */
#include "places/places.h"

#include "utils/guc.h"

/* Register the settings of the places family (README, GUCs). */
void
PlacesInit(void)
{
	/* doc/places.md: the scan trail is kept only as long as it is needed. */
	DefineCustomIntVariable("quarantine.scan_retention_days",
							"Days of health-code scans kept in checkin.",
							"scan_trail_maintenance() drops the days older "
							"than this.",
							&quarantine_scan_retention_days, 28, 1, 3660,
							PGC_SUSET, 0, NULL, NULL, NULL);
}
