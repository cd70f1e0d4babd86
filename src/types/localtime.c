/*
 * localtime.c
 *		Local dates and times in the zone named by quarantine.timezone.
 *
 * Rules speak of local dates (day 1 is the local quarantine start date,
 * deadlines are 17:00 and 12:00 local) whatever the session's TimeZone is, so
 * every conversion goes through the GUC's zone rather than session_timezone.
 */
#include "types/types.h"

#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

static pg_tz *
QuarantineTz(void)
{
	/* pg_tzset caches zones by name, so this is a hash lookup. */
	pg_tz *tz = pg_tzset(quarantine_timezone);

	if (tz == NULL)
		elog(ERROR, "time zone \"%s\" not recognized", quarantine_timezone);
	return tz;
}

static void
LocalTm(TimestampTz ts, struct pg_tm *tm)
{
	int	   tzoff;
	fsec_t fsec;

	if (TIMESTAMP_NOT_FINITE(ts) ||
		timestamp2tm(ts, &tzoff, tm, &fsec, NULL, QuarantineTz()) != 0)
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("timestamp out of range for a local date")));
}

/* The local date of an instant. */
DateADT
LocalDateOf(TimestampTz ts)
{
	struct pg_tm tm;

	LocalTm(ts, &tm);
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}

/* The local hour (0-23) of an instant. */
int
LocalHourOf(TimestampTz ts)
{
	struct pg_tm tm;

	LocalTm(ts, &tm);
	return tm.tm_hour;
}

/* A date as date_out prints it (DateStyle), for error messages. */
char *
DateText(DateADT day)
{
	return DatumGetCString(
		DirectFunctionCall1(date_out, DateADTGetDatum(day)));
}

/* The instant of hour:minute local time on a local date. */
TimestampTz
LocalTimestampOf(DateADT day, int hour, int minute)
{
	struct pg_tm tm;
	TimestampTz	 result;
	int			 tzoff;

	if (DATE_NOT_FINITE(day))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("date out of range for a local time")));
	j2date(day + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = 0;
	tzoff = DetermineTimeZoneOffset(&tm, QuarantineTz());
	if (tm2timestamp(&tm, 0, &tzoff, &result) != 0)
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("date out of range for a local time")));
	return result;
}

PG_FUNCTION_INFO_V1(quarantine_local_date);

/* local_date(timestamptz): the date of an instant in quarantine.timezone. */
Datum
quarantine_local_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(LocalDateOf(PG_GETARG_TIMESTAMPTZ(0)));
}
