/*
 * health_code.c
 *		The health-code colour of a person (doc/health.md): a pure decision
 *		over the facts health_feed.c gathers. No table access here, so the
 *		function is the single source of truth for code_color() and for the
 *		feed the triggers and refresh_codes() append to.
 *
 * Sources. The Fujian guideline 四(九): a person released from 14 days
 * centralized (or 7 centralized + 7 home) isolation after a negative NAT gets
 * a green code. The national plan 二(四)2: arrivals are marked on the health
 * pass for 14 days of observation (14天观察期内入境人员单独标注). The Longyan
 * notice 一2: orange means home medical observation (居家监督性医学观察). The
 * port-city notice 四: high-risk staff work closed-loop (14 work + 7
 * centralized + 7 home monitoring) and are tested on a fixed schedule; during
 * closed-loop work they may not meet anyone outside the loop.
 * The provinces' published health-code rules: red for cases, suspected
 * cases and anyone under centralized medical observation (Zhejiang
 * 2021-2022), yellow for the monitoring days after it (Fujian 2022).
 */
#include "rules/control_rules.h"
#include "health/health.h"

/* Rules are tried in the order of CodeReason; these are their names. */
static const char *const reason_names[REASON_COUNT] = {
	[REASON_MEDICAL] = "medical",
	[REASON_PENDING] = "pending",
	[REASON_CENTRALIZED] = "centralized",
	[REASON_POSITIVE_TEST] = "positive_test",
	[REASON_CASE] = "case",
	[REASON_HOME_ISOLATION] = "home_isolation",
	[REASON_MONITORING] = "monitoring",
	[REASON_CLOSED_LOOP_WORK] = "closed_loop_work",
	[REASON_RELEASE_TEST_MISSING] = "release_test_missing",
	[REASON_ENTRY_OBSERVATION] = "entry_observation",
	[REASON_STAFF_TEST_OVERDUE] = "staff_test_overdue",
	[REASON_UNREACHABLE] = "unreachable",
	[REASON_CLEAR] = "clear",
};

/* The colour a reason belongs to. */
HealthCode
CodeReasonColor(CodeReason reason)
{
	if (reason <= REASON_CASE)
		return CODE_RED;
	if (reason == REASON_HOME_ISOLATION)
		return CODE_ORANGE;
	if (reason <= REASON_UNREACHABLE)
		return CODE_YELLOW;
	return CODE_GREEN;
}

/* The name of a reason as stored in code_assignment.reason. */
const char *
CodeReasonName(CodeReason reason)
{
	Assert(reason >= 0 && reason < REASON_COUNT);
	return reason_names[reason];
}

/* The reason called name; REASON_COUNT when there is none. */
CodeReason
CodeReasonParse(const char *name)
{
	for (int i = 0; i < REASON_COUNT; i++)
		if (strcmp(reason_names[i], name) == 0)
			return (CodeReason) i;
	return REASON_COUNT;
}

/* Phase on today of a plan started on start (not_started when no plan). */
static Phase
PhaseToday(bool has, IsolationPlan plan, DateADT start, DateADT today)
{
	if (!has)
		return PHASE_NOT_STARTED;
	return PlanPhaseOn(plan, start, today);
}

/* Whether today lies in the observation days of an entry on day: day 1 is
 * the entry day and the period is half-open (README, Conventions). */
static bool
InObservation(const CodeFacts *f, DateADT day)
{
	return f->today >= day &&
		   (int64) f->today - (int64) day < (int64) f->observation_days;
}

/*
 * The isolation of the open control is over (today on or after its isolation
 * end) but the control is still open and no release NAT is on record: the
 * district has not closed the loop of the Fujian guideline 四(九), so the code
 * cannot turn green yet. A plan without centralized or home days isolates no
 * one and needs no release test.
 */
static bool
ReleaseTestMissing(const CodeFacts *f)
{
	DateADT iso_end;

	if (!f->has_control || !f->has_plan || f->status != STATUS_UNDER_CONTROL)
		return false;
	if (!PlanHasPhase(f->plan, PHASE_CENTRALIZED) &&
		!PlanHasPhase(f->plan, PHASE_HOME))
		return false;
	iso_end = PlanIsolationEnd(f->plan, f->qstart);
	/* the release-NAT window of rule control_end (control_rules.c) */
	return f->today >= iso_end &&
		   !HasReleaseNat(f->negative_nat, f->n_negative_nat, iso_end,
						  f->release_test_days);
}

/* The first rule of doc/health.md that holds. */
CodeReason
HealthCodeDecide(const CodeFacts *f)
{
	Phase control_phase;
	Phase rotation_phase;

	/* red: the control's status first (the statuses of the district notes) */
	if (f->has_control && f->status == STATUS_MEDICAL)
		return REASON_MEDICAL;
	if (f->has_control && f->status == STATUS_PENDING)
		return REASON_PENDING;

	/* Phases of the control and of a staff member's closed-loop rotation;
	 * either one in a phase is enough for that phase's rule. */
	control_phase = PhaseToday(f->has_control && f->has_plan, f->plan,
							   f->qstart, f->today);
	rotation_phase = PhaseToday(f->has_rotation, f->rotation_plan,
								f->rotation_start, f->today);
#define IN_PHASE(p) (control_phase == (p) || rotation_phase == (p))

	/* red: centralized medical observation (Zhejiang's health-code rules,
	 * 2021-2022), a positive test, a case or suspected case at the port */
	if (IN_PHASE(PHASE_CENTRALIZED))
		return REASON_CENTRALIZED;
	if (f->positive_test)
		return REASON_POSITIVE_TEST;
	for (int i = 0; i < f->n_entries; i++)
		if ((f->entries[i].category == CAT_CONFIRMED ||
			 f->entries[i].category == CAT_SUSPECTED) &&
			InObservation(f, f->entries[i].day))
			return REASON_CASE;

	/*
	 * orange: home isolation is home medical observation (the Longyan notice
	 * 一2)
	 */
	if (IN_PHASE(PHASE_HOME))
		return REASON_HOME_ISOLATION;

	/* yellow */
	if (IN_PHASE(PHASE_MONITORING))
		return REASON_MONITORING;
	if (IN_PHASE(PHASE_WORK))
		return REASON_CLOSED_LOOP_WORK; /* port-city notice 四: no contact */
#undef IN_PHASE
	if (ReleaseTestMissing(f))
		return REASON_RELEASE_TEST_MISSING;
	/* the national plan 二(四)2: arrivals marked for their 14 days of
	 * observation, unless some control already took charge of the entry or
	 * the arrival is exempt (diplomats, air crew: the end of the Fujian
	 * guideline, the national plan) */
	for (int i = 0; i < f->n_entries; i++)
		if (!f->entries[i].controlled &&
			f->entries[i].category != CAT_EXEMPT &&
			InObservation(f, f->entries[i].day))
			return REASON_ENTRY_OBSERVATION;
	if (f->is_staff && StaffTestOverdue(f->role, f->nat, f->n_nat, f->today))
		return REASON_STAFF_TEST_OVERDUE;
	if (f->unreachable)
		return REASON_UNREACHABLE;

	return REASON_CLEAR;
}
