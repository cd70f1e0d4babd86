/*
 * deadline.c
 *		Deadlines of the district's daily tasks (doc/tasks-phones-names.md, the
 *		district notes).
 *
 * The district notes give two clocks: the province's control-list (管控库)
 * checks must be done "每天17:00之前", the verification-list (核查库) checks
 * and the phone checks of charter passengers "次日12:00之前". Both are local
 * wall clock times in quarantine.timezone, whatever the session's TimeZone is,
 * so every conversion goes through the local-time helpers of localtime.c.
 */
#include "rules/rules.h"

#include "utils/builtins.h"
#include "utils/timestamp.h"

/* Local wall-clock hours of the two deadlines (the district notes). */
#define CONTROL_DEADLINE_HOUR  17
#define NEXT_DAY_DEADLINE_HOUR 12
#define TASK_MODULE_NAMES \
	"control, verification, phone_check, medical_referral, daily_report"

/*
 * The first 17:00 local strictly after issued_at: a task issued at 16:59 is
 * due the same day, one issued at 17:00 or later is due the next day (the
 * province's batch for the day is closed at 17:00).
 */
static TimestampTz
ControlDeadline(TimestampTz issued_at)
{
	DateADT		day = LocalDateOf(issued_at);
	TimestampTz due = LocalTimestampOf(day, CONTROL_DEADLINE_HOUR, 0);

	if (due <= issued_at)
		due = LocalTimestampOf(day + 1, CONTROL_DEADLINE_HOUR, 0);
	return due;
}

/* 12:00 local on the local day after the day of issued_at ("次日12:00"). */
static TimestampTz
NextDayNoon(TimestampTz issued_at)
{
	return LocalTimestampOf(LocalDateOf(issued_at) + 1, NEXT_DAY_DEADLINE_HOUR,
							0);
}

/* Deadline of a task of module issued at issued_at; 22023 for an unknown module. */
TimestampTz
TaskDeadline(const char *module, TimestampTz issued_at)
{
	if (strcmp(module, "control") == 0)
		return ControlDeadline(issued_at);
	/* The daily report of a day is due as a verification issued that day
	 * (doc/monitoring.md: 12:00 local the next day). */
	if (strcmp(module, "verification") == 0 ||
		strcmp(module, "phone_check") == 0 ||
		strcmp(module, "daily_report") == 0)
		return NextDayNoon(issued_at);
	/* The Fujian guideline 七: a fever at home goes to hospital at once. */
	if (strcmp(module, "medical_referral") == 0)
		return issued_at;

	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("unknown task module"),
					errdetail("Module \"%s\" has no deadline rule.", module),
					errhint("Use one of " TASK_MODULE_NAMES ".")));
	return 0; /* keep the compiler quiet */
}

PG_FUNCTION_INFO_V1(task_deadline);

/* task_deadline(module text, issued_at timestamptz) → timestamptz */
Datum
task_deadline(PG_FUNCTION_ARGS)
{
	char	   *module = text_to_cstring(PG_GETARG_TEXT_PP(0));
	TimestampTz issued_at = PG_GETARG_TIMESTAMPTZ(1);

	PG_RETURN_TIMESTAMPTZ(TaskDeadline(module, issued_at));
}
