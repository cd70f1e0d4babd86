/*
 * rules_settings.c
 *		The settings of the rules family, registered by RulesInit(),
 *		which _PG_init calls (quarantine.c).
 */
#include "rules/rules.h"

#include "utils/guc.h"

double quarantine_fever_threshold = 37.3;
int	   quarantine_release_test_days = 2;
int	   quarantine_observation_days = 14;
int	   quarantine_flight_contact_rows = 3;

/* Register the settings of the rules family (README, GUCs). */
void
RulesInit(void)
{
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
}
