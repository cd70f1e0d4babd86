/*
 * control_rules.c
 *		The workflow rules of a control record (doc/records.md, the district
 *		notes), pure: no table access and no error raised here (see
 *		control_rules.h).
 */
#include "rules/control_rules.h"
#include "records/policy_cache.h"

#include <limits.h>

#include "lib/stringinfo.h"
#include "utils/timestamp.h"

static const char *
StatusName(ControlStatus s)
{
	return EnumLabelName(QE_CONTROL_STATUS, s);
}

/* doc/records.md: pending, under_control and medical are open. */
bool
ControlStatusIsOpen(ControlStatus status)
{
	return status == STATUS_PENDING || status == STATUS_UNDER_CONTROL ||
		   status == STATUS_MEDICAL;
}

char *
SqlWithOpenStatuses(const char *sql)
{
	static const char token[] = "@open_statuses@";
	StringInfoData	  labels;
	StringInfoData	  out;
	const char		 *p = sql;
	const char		 *hit;

	initStringInfo(&labels);
	for (int s = STATUS_PENDING; s <= STATUS_RETURNED; s++)
		if (ControlStatusIsOpen((ControlStatus) s))
			appendStringInfo(&labels, "%s'%s'", labels.len ? ", " : "",
							 StatusName((ControlStatus) s));
	initStringInfo(&out);
	while ((hit = strstr(p, token)) != NULL)
	{
		appendBinaryStringInfo(&out, p, hit - p);
		appendStringInfoString(&out, labels.data);
		p = hit + strlen(token);
	}
	appendStringInfoString(&out, p);
	return out.data;
}

bool
HasReleaseNat(const DateADT *negative_nat, int n, DateADT iso_end, int days)
{
	for (int i = 0; i < n; i++)
		if (negative_nat[i] >= iso_end - days && negative_nat[i] <= iso_end)
			return true;
	return false;
}

/* ---------- control_status_transition ---------- */

/*
 * doc/records.md: the allowed moves between statuses; ended is final.  The
 * one table of them: the check reads it, and the DETAIL of a refusal lists
 * it in this order, so the message cannot disagree with the rule.
 */
static const struct
{
	ControlStatus from;
	int			  nto;
	ControlStatus to[4];
} control_moves[] = {
	{STATUS_PENDING,
	 4,
	 {STATUS_UNDER_CONTROL, STATUS_MEDICAL, STATUS_ENDED, STATUS_RETURNED}},
	{STATUS_UNDER_CONTROL, 2, {STATUS_MEDICAL, STATUS_ENDED}},
	{STATUS_MEDICAL, 2, {STATUS_UNDER_CONTROL, STATUS_ENDED}},
	{STATUS_RETURNED, 1, {STATUS_PENDING}},
	{STATUS_ENDED, 0, {0}},
};

static bool
TransitionAllowed(ControlStatus from, ControlStatus to)
{
	for (int i = 0; i < (int) lengthof(control_moves); i++)
		if (control_moves[i].from == from)
			for (int j = 0; j < control_moves[i].nto; j++)
				if (control_moves[i].to[j] == to)
					return true;
	return false;
}

/*
 * "Allowed: pending to under_control, medical, ended or returned; ...; ended
 * to nothing.", from control_moves.
 */
static char *
AllowedMovesText(void)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoString(&s, "Allowed: ");
	for (int i = 0; i < (int) lengthof(control_moves); i++)
	{
		appendStringInfo(&s, "%s%s to ", i > 0 ? "; " : "",
						 StatusName(control_moves[i].from));
		if (control_moves[i].nto == 0)
			appendStringInfoString(&s, "nothing");
		for (int j = 0; j < control_moves[i].nto; j++)
			appendStringInfo(&s, "%s%s",
							 j == 0							 ? ""
							 : j == control_moves[i].nto - 1 ? " or "
															 : ", ",
							 StatusName(control_moves[i].to[j]));
	}
	appendStringInfoChar(&s, '.');
	return s.data;
}

bool
ControlTransition(const ControlRow *old, const ControlRow *r, Problem *p)
{
	if (old->status == r->status || TransitionAllowed(old->status, r->status))
		return true;
	return Flag(
		p, "control_status_transition", ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("control %lld cannot go from %s to %s"),
				 (long long) r->control_id, StatusName(old->status),
				 StatusName(r->status)),
		AllowedMovesText(),
		pstrdup(
			old->status == STATUS_ENDED
				? _Q("An ended control is final: a new entry or exposure is "
					 "a new control.")
				: _Q("Move through an allowed status first.")));
}

/* ---------- control_return_reason ---------- */

bool
ControlReturn(const ControlRow *r, Problem *p)
{
	if (r->status != STATUS_RETURNED)
		return true;
	if (!r->has_return_reason)
		return Flag(p, "control_return_reason", ERRCODE_CHECK_VIOLATION,
					psprintf(_Q("returned control %lld needs a return_reason"),
							 (long long) r->control_id),
					pstrdup(_Q("return_reason is NULL.")),
					pstrdup(_Q("Set return_reason to out_of_province, "
							   "unreachable or other, with a return_note.")));
	if (r->return_note == NULL ||
		r->return_note[strspn(r->return_note, " \t\r\n")] == '\0')
		return Flag(
			p, "control_return_reason", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("returned control %lld needs a return_note"),
					 (long long) r->control_id),
			pstrdup(_Q("return_note is empty.")),
			pstrdup(_Q("Say why; for out_of_province, where the person "
					   "is isolated.")));
	return true;
}

/* ---------- control_scope ---------- */

bool
ControlScope(int64 person_id, bool person_visible, bool has_site,
			 int64 site_id, bool site_ours, Problem *p)
{
	if (person_visible || (has_site && site_ours))
		return true;
	return Flag(
		p, "control_scope", ERRCODE_INSUFFICIENT_PRIVILEGE,
		psprintf(_Q("person %lld is outside your jurisdictions"),
				 (long long) person_id),
		has_site
			? psprintf(_Q("Site %lld is not a site of your jurisdictions; "
						  "a control for a person of another district "
						  "needs one."),
					   (long long) site_id)
			: pstrdup(_Q("A control for a person of another district "
						 "needs a site of your jurisdictions (site_id).")),
		pstrdup(_Q("Name the isolation site of your district that takes the "
				   "person, or ask the district that holds the person.")));
}

/* ---------- control_end ---------- */

bool
ControlEndNeedsTests(const ControlRow *r)
{
	return r->status == STATUS_ENDED && r->has_end_reason &&
		   r->end_reason == END_COMPLETED && r->has_plan;
}

/*
 * completed: on the end day the isolation is over and a negative NAT was
 * sampled within quarantine.release_test_days before the isolation end (the
 * Fujian guideline (九): released after a negative test at the end of
 * isolation).
 */
static bool
Completed(const ControlRow *r, DateADT end_day, const LabResult *tests,
		  int ntests, Problem *p)
{
	DateADT	 iso_end;
	DateADT *negative;
	int		 n = 0;

	if (!r->has_plan)
		return Flag(
			p, "control_end", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("control %lld cannot end as completed without a "
						"plan"),
					 (long long) r->control_id),
			pstrdup(_Q("plan is NULL.")),
			pstrdup(_Q("Set the plan the person followed.")));
	iso_end = PlanIsolationEnd(r->plan, r->qstart);
	if (end_day < iso_end)
		return Flag(
			p, "control_end", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("control %lld cannot end as completed before its "
						"isolation ends"),
					 (long long) r->control_id),
			psprintf(_Q("Plan %s from %s ends isolation on %s; the end day is "
						"%s."),
					 PlanFormat(r->plan), DateText(r->qstart),
					 DateText(iso_end), DateText(end_day)),
			psprintf(_Q("End it on or after %s, or use another end_reason."),
					 DateText(iso_end)));
	negative = palloc(sizeof(DateADT) * Max(ntests, 1));
	for (int i = 0; i < ntests; i++)
		if (tests[i].kind == TEST_NAT && tests[i].result == RESULT_NEGATIVE)
			negative[n++] = tests[i].sampled_on;
	if (HasReleaseNat(negative, n, iso_end, quarantine_release_test_days))
		return true;
	return Flag(
		p, "control_end", ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("control %lld cannot end as completed without a negative "
					"release NAT"),
				 (long long) r->control_id),
		psprintf(
			_Q("No negative NAT of person %lld was sampled between %s and "
			   "%s."),
			(long long) r->person_id,
			DateText(iso_end - quarantine_release_test_days),
			DateText(iso_end)),
		psprintf(_Q("Record the release NAT in lab_test first "
					"(quarantine.release_test_days = %d)."),
				 quarantine_release_test_days));
}

bool
ControlEnd(const ControlRow *r, DateADT end_day, const LabResult *tests,
		   int ntests, Problem *p)
{
	DateADT release;

	if (r->status != STATUS_ENDED)
		return true;
	if (!r->has_end_reason)
		return Flag(p, "control_end", ERRCODE_CHECK_VIOLATION,
					psprintf(_Q("ended control %lld needs an end_reason"),
							 (long long) r->control_id),
					pstrdup(_Q("end_reason is NULL.")),
					pstrdup(_Q("Set end_reason to completed, "
							   "completed_elsewhere, confirmed_case, "
							   "transferred_out or exempted.")));
	if (r->end_reason == END_COMPLETED)
		return Completed(r, end_day, tests, ntests, p);
	if (r->end_reason != END_COMPLETED_ELSEWHERE)
		return true;

	/*
	 * the district notes / the national plan 不再重复隔离: isolation finished
	 * before arrival
	 */
	if (!r->has_plan)
		return Flag(
			p, "control_end", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("control %lld cannot end as completed_elsewhere "
						"without a plan"),
					 (long long) r->control_id),
			pstrdup(_Q("plan is NULL.")),
			pstrdup(_Q("Set the plan the person followed elsewhere.")));
	release = PlanReleaseDate(r->plan, r->qstart);
	if (release > end_day)
		return Flag(
			p, "control_end", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("control %lld cannot end as completed_elsewhere: "
						"the plan runs until %s"),
					 (long long) r->control_id, DateText(release - 1)),
			psprintf(_Q("Plan %s from %s is free from %s; the end day "
						"is %s."),
					 PlanFormat(r->plan), DateText(r->qstart),
					 DateText(release), DateText(end_day)),
			psprintf(_Q("Keep the person under control until %s."),
					 DateText(release)));
	return true;
}

/* ---------- control_single_open and control_no_repeat ---------- */

/* "Control 12" or, for a row of the same statement, which one it is. */
static char *
OtherControlText(const OtherControl *other)
{
	if (other->in_statement)
		return pstrdup(_Q("An earlier row of this statement"));
	if (other->hidden)
		return pstrdup(_Q("A control outside your jurisdictions"));
	return psprintf("Control %lld", (long long) other->control_id);
}

bool
ControlSingleOpen(int64 person_id, const OtherControl *other, Problem *p)
{
	if (other == NULL || other->control_id == 0)
		return true;
	/*
	 * doc/security.md: say that the person is under control elsewhere, no
	 * more.
	 */
	if (other->hidden && !other->in_statement)
		return Flag(
			p, "control_single_open", ERRCODE_UNIQUE_VIOLATION,
			psprintf(_Q("person %lld already has an open control"),
					 (long long) person_id),
			psprintf(_Q("Person %lld is under control (pending, "
						"under_control or medical) outside your "
						"jurisdictions."),
					 (long long) person_id),
			pstrdup(_Q("Ask the district that holds the control, or a "
					   "quarantine_admin, to end or return it first.")));
	return Flag(
		p, "control_single_open", ERRCODE_UNIQUE_VIOLATION,
		psprintf(_Q("person %lld already has an open control"),
				 (long long) person_id),
		other->in_statement
			? psprintf(_Q("An earlier row of this statement is an open "
						  "control of person %lld."),
					   (long long) person_id)
			: psprintf(_Q("Control %lld of person %lld is pending, "
						  "under_control or medical."),
					   (long long) other->control_id, (long long) person_id),
		other->in_statement
			? pstrdup(_Q("Load one open control per person."))
			: psprintf(_Q("Work on control %lld, or end or return it "
						  "first."),
					   (long long) other->control_id));
}

bool
ControlNoRepeat(int64 person_id, int64 entry_id, const OtherControl *other,
				Problem *p)
{
	if (other == NULL || other->control_id == 0)
		return true;
	return Flag(
		p, "control_no_repeat", ERRCODE_UNIQUE_VIOLATION,
		psprintf(_Q("person %lld already completed isolation for entry "
					"%lld"),
				 (long long) person_id, (long long) entry_id),
		psprintf(_Q("%s ended as completed for the same entry."),
				 OtherControlText(other)),
		pstrdup(_Q("Isolation is not repeated for the same entry "
				   "(目的地不得重复隔离); a new entry or exposure is a "
				   "new control.")));
}

bool
ControlNoRepeatCompleting(int64 person_id, int64 entry_id,
						  const OtherControl *other, Problem *p)
{
	if (other == NULL || other->control_id == 0)
		return true;
	return Flag(
		p, "control_no_repeat", ERRCODE_UNIQUE_VIOLATION,
		psprintf(_Q("person %lld already has a control for entry %lld"),
				 (long long) person_id, (long long) entry_id),
		other->status == STATUS_ENDED
			? psprintf(_Q("%s ended as %s for the same entry."),
					   OtherControlText(other),
					   EnumLabelName(QE_END_REASON, other->end_reason))
			: psprintf(_Q("%s is %s for the same entry."),
					   OtherControlText(other),
					   EnumLabelName(QE_CONTROL_STATUS, other->status)),
		other->in_statement
			? pstrdup(_Q("Load one control per entry that is open or "
						 "completed: isolation is not repeated for the same "
						 "entry (目的地不得重复隔离)."))
		: other->hidden
			? pstrdup(_Q(
				  "Ask the district that holds the control, or a "
				  "quarantine_admin, to end or correct it: isolation "
				  "is not repeated for the same entry (目的地不得重复隔离)."))
			: psprintf(
				  _Q("End or correct control %lld instead: isolation is "
					 "not repeated for the same entry (目的地不得重复隔离)."),
				  (long long) other->control_id));
}

/* ---------- control_dates and control_entry_person ---------- */

bool
ControlDates(const ControlRow *r, const EntryInfo *e, Problem *p)
{
	if (r->has_cstart && r->qstart > LocalDateOf(r->cstart))
		return Flag(
			p, "control_dates", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("quarantine_start of control %lld is after its "
						"control_start"),
					 (long long) r->control_id),
			psprintf(_Q("quarantine_start is %s, control_start is on "
						"%s."),
					 DateText(r->qstart), DateText(LocalDateOf(r->cstart))),
			pstrdup(_Q("quarantine_start is day 1 of isolation "
					   "anywhere; it cannot follow the day this "
					   "district took control.")));
	if (e == NULL || !e->found)
		return true;
	if (r->qstart < LocalDateOf(e->entered_at) ||
		(r->has_cstart && r->cstart < e->entered_at))
		return Flag(
			p, "control_dates", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("control %lld starts before its entry"),
					 (long long) r->control_id),
			psprintf(_Q("Entry %lld was at %s; quarantine_start is %s, "
						"control_start %s."),
					 (long long) r->entry_id,
					 /* timestamptz_to_str's buffer is static */
					 pstrdup(timestamptz_to_str(e->entered_at)),
					 DateText(r->qstart),
					 r->has_cstart ? pstrdup(timestamptz_to_str(r->cstart))
								   : _Q("not set")),
			pstrdup(_Q("Check the entry and the dates of the control.")));
	return true;
}

bool
ControlEntryPerson(const ControlRow *r, const EntryInfo *e, Problem *p)
{
	if (!e->found || e->person_id == r->person_id)
		return true; /* a missing entry: the foreign key reports it */
	return Flag(p, "control_entry_person", ERRCODE_CHECK_VIOLATION,
				psprintf(_Q("entry %lld is not an entry of person %lld"),
						 (long long) r->entry_id, (long long) r->person_id),
				psprintf(_Q("Entry %lld belongs to person %lld."),
						 (long long) r->entry_id, (long long) e->person_id),
				pstrdup(_Q("Use the person's own entry.")));
}

/* ---------- control_plan_required and control_plan_change ---------- */

bool
ControlPlanRequired(ArrivalCategory category, DateADT day, IsolationPlan *plan,
					Problem *p)
{
	const char *cat = EnumLabelName(QE_ARRIVAL_CATEGORY, category);

	if (PolicyPlanFor(category, day, plan))
		return true;
	return Flag(
		p, "control_plan_required", ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("no policy covers %s arrivals on %s"), cat, DateText(day)),
		psprintf(_Q("plan is NULL and plan_for('%s', '%s') is NULL."), cat,
				 DateText(day)),
		pstrdup(_Q("Name the plan, or add a policy row.")));
}

/* Days before the first home-isolation day of a plan; INT_MAX if none. */
static int
FirstHomeDay(IsolationPlan plan)
{
	PlanSegment segs[PLAN_MAX_SEGMENTS];
	int			n = PlanSegments(plan, segs);
	int			offset = 0;

	for (int i = 0; i < n; i++)
	{
		if (segs[i].phase == PHASE_HOME)
			return offset;
		offset += segs[i].days;
	}
	return INT_MAX;
}

/*
 * The Fujian guideline (五)(八), the national plan (三)6: home isolation only
 * when eligible — on a
 * move from centralized to a plan with home isolation, and on any change
 * that brings the first home day earlier (5c+3h -> 1c+7h).
 */
bool
ControlPlanChangeNeedsTests(const ControlRow *old, const ControlRow *r)
{
	return FirstHomeDay(r->plan) < FirstHomeDay(old->plan);
}

bool
ControlPlanChange(const ControlRow *old, const ControlRow *r,
				  ArrivalCategory category, const LabResult *tests, int ntests,
				  DateADT today, Problem *p)
{
	Eligibility	   el;
	StringInfoData unmet;

	if (old->has_qstart && r->qstart != old->qstart)
		return Flag(p, "control_plan_change", ERRCODE_CHECK_VIOLATION,
					psprintf(_Q("a plan change of control %lld cannot move "
								"quarantine_start"),
							 (long long) r->control_id),
					psprintf(_Q("quarantine_start %s would become %s."),
							 DateText(old->qstart), DateText(r->qstart)),
					pstrdup(_Q("Change the plan alone: day 1 stays day 1.")));
	if (!ControlPlanChangeNeedsTests(old, r))
		return true;
	HomeTransferCheck(r->qstart, category, tests, ntests, r->home_verified,
					  r->commitment_signed, today, &el);
	if (el.eligible)
		return true;
	initStringInfo(&unmet);
	for (int bit = 0; bit < 32; bit++)
		if (el.unmet & (1u << bit))
			appendStringInfo(&unmet, "%s%s", unmet.len ? ", " : "",
							 HomeTransferCode(1u << bit));
	return Flag(
		p, "control_plan_change", ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("control %lld is not eligible for home isolation on "
					"%s"),
				 (long long) r->control_id, DateText(today)),
		psprintf(_Q("Plan %s to %s; unmet: %s."), PlanFormat(old->plan),
				 PlanFormat(r->plan), unmet.data),
		psprintf(_Q("See home_transfer_eligibility(%lld)."),
				 (long long) r->control_id));
}

/*
 * Shortening a plan is an administrator's decision: a plan with fewer total
 * days than the policy plan of the category on day 1 or, where no policy
 * covers that day, than the control's previous plan (old; NULL on insert,
 * when only the policy can say).  doc/records.md, control_plan_change.
 */
bool
ControlShortening(const ControlRow *old, const ControlRow *r,
				  ArrivalCategory category, bool is_admin, Problem *p)
{
	IsolationPlan reference;
	bool		  from_policy;

	if (is_admin)
		return true;
	from_policy = PolicyPlanFor(category, r->qstart, &reference);
	if (!from_policy)
	{
		if (old == NULL || !old->has_plan)
			return true;
		reference = old->plan;
	}
	if (PlanTotalDays(r->plan) >= PlanTotalDays(reference))
		return true;
	return Flag(
		p, "control_plan_change", ERRCODE_INSUFFICIENT_PRIVILEGE,
		psprintf(_Q("only quarantine_admin may shorten the plan of "
					"control %lld"),
				 (long long) r->control_id),
		from_policy
			? psprintf(_Q("Plan %s has %d days; the policy plan %s has %d."),
					   PlanFormat(r->plan), PlanTotalDays(r->plan),
					   PlanFormat(reference), PlanTotalDays(reference))
			: psprintf(_Q("Plan %s has %d days; the previous plan %s has "
						  "%d, and no policy covers %s."),
					   PlanFormat(r->plan), PlanTotalDays(r->plan),
					   PlanFormat(reference), PlanTotalDays(reference),
					   DateText(r->qstart)),
		pstrdup(_Q("Ask a quarantine_admin to make the change.")));
}

bool
ControlPlanKept(const ControlRow *old, const ControlRow *r, Problem *p)
{
	if (r->has_plan || !old->has_plan)
		return true;
	return Flag(
		p, "control_plan_change", ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("the plan of control %lld cannot be removed"),
				 (long long) r->control_id),
		psprintf(_Q("plan %s would become NULL."), PlanFormat(old->plan)),
		pstrdup(_Q("Change it to another plan instead.")));
}

bool
ControlRevertible(int64 control_id, ControlStatus status, bool has_plan,
				  IsolationPlan plan, Problem *p)
{
	if (!ControlStatusIsOpen(status))
		return Flag(
			p, "control_plan_change", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("control %lld is not open"), (long long) control_id),
			pstrdup(_Q("Only a pending, under_control or medical "
					   "control can go back to centralized isolation.")),
			pstrdup(_Q("An ended or returned control keeps its "
					   "history.")));
	if (!has_plan || !PlanHasPhase(plan, PHASE_HOME))
		return Flag(
			p, "control_plan_change", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("control %lld has no home isolation to revert"),
					 (long long) control_id),
			pstrdup(_Q("Its plan has no home segment.")),
			pstrdup(_Q("Only a plan with home isolation (h) can "
					   "revert.")));
	return true;
}

/* ---------- control_start_fixed ---------- */

bool
ControlStartFixed(const ControlRow *old, const ControlRow *r, bool correction,
				  Problem *p)
{
	if (correction && !old->has_cstart)
		return Flag(
			p, "control_start_fixed", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("control %lld has no control_start to correct"),
					 (long long) r->control_id),
			pstrdup(_Q("control_start is NULL: the record was never "
					   "under_control.")),
			pstrdup(_Q("control_start is set when the record becomes "
					   "under_control.")));
	if (correction || !old->has_cstart ||
		(r->has_cstart && r->cstart == old->cstart))
		return true;
	return Flag(
		p, "control_start_fixed", ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("control_start of control %lld cannot change"),
				 (long long) r->control_id),
		psprintf(_Q("control_start is %s."), timestamptz_to_str(old->cstart)),
		psprintf(_Q("Use correct_control_start(%lld, new_time, reason), "
					"which is audited."),
				 (long long) r->control_id));
}

/* ---------- verification_transfer_date ---------- */

bool
VerificationTransferDate(int64 verification_id, DateADT return_date,
						 int64 control_id, DateADT transfer_day, Problem *p)
{
	if (return_date == transfer_day)
		return true;
	return Flag(
		p, "verification_transfer_date", ERRCODE_CHECK_VIOLATION,
		/*
		 * The message names neither row: one of them may be another
		 * district's, and the trigger reduces the DETAIL (HideIfUnseen).
		 */
		pstrdup(_Q("a return date disagrees with the person's transfer in")),
		psprintf(_Q("Control %lld took the person in on %s; verification "
					"%lld has return date %s."),
				 (long long) control_id, DateText(transfer_day),
				 (long long) verification_id, DateText(return_date)),
		pstrdup(_Q("The return date of a transferred person is the day "
				   "this district took control.")));
}

PG_FUNCTION_INFO_V1(control_status_open);

/*
 * control_status_open(control_status) → boolean: SQL face of
 * ControlStatusIsOpen, so that the partial indexes, the queries of the
 * loader and nat_due() share the one list of open statuses.
 */
Datum
control_status_open(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(ControlStatusIsOpen(
		(ControlStatus) EnumLabelIndex(QE_CONTROL_STATUS, PG_GETARG_OID(0))));
}
