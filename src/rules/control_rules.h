/*
 * control_rules.h
 *		The workflow rules of a control record (doc/records.md, the district
 *		notes) as pure functions over the values of a row and the facts around
 *		it. Each returns true when the rule holds, or false with the Problem
 *		filled. trg_control.c gathers the facts and raises; the manifest loader
 *		(manifest_check.c, manifest_verdict.c) records the same problems.
 */
#ifndef QUARANTINE_CONTROL_RULES_H
#define QUARANTINE_CONTROL_RULES_H

#include "rules/rule.h"

/* The columns of one control row the rules look at. */
typedef struct ControlRow
{
	int64		  control_id;
	int64		  person_id;
	bool		  has_entry;
	int64		  entry_id;
	ControlStatus status;
	bool		  has_plan;
	IsolationPlan plan;
	bool		  has_qstart;
	DateADT		  qstart;
	bool		  has_cstart;
	TimestampTz	  cstart;
	bool		  transferred;
	bool		  home_verified;
	bool		  commitment_signed;
	bool		  has_return_reason;
	char		 *return_note;
	bool		  has_end_reason;
	EndReason	  end_reason;
	bool		  has_ended_at;
	TimestampTz	  ended_at;
} ControlRow;

/* The entry a control points at, if any. */
typedef struct EntryInfo
{
	bool			found;
	int64			person_id;
	TimestampTz		entered_at;
	ArrivalCategory category;
} EntryInfo;

/* Another control a probe found; in_statement: written earlier by the
 * same statement (a row of the same COPY), so its id would mislead. */
typedef struct OtherControl
{
	int64		  control_id;
	bool		  in_statement;
	ControlStatus status;	  /* of the other control */
	int			  end_reason; /* when ended (END_*) */
	bool		  hidden;	  /* outside the caller's row-level scope */
} OtherControl;

/* The open statuses (pending, under_control, medical): the one list. */
extern bool ControlStatusIsOpen(ControlStatus status);

/*
 * sql with every "@open_statuses@" replaced by the quoted labels of the open
 * statuses ('pending', 'under_control', 'medical'), for queries that must
 * also run against the SQL of an older version (no control_status_open()).
 */
extern char *SqlWithOpenStatuses(const char *sql);

/*
 * the Fujian guideline (九) and rule control_end: the release NAT is a
 * negative NAT sampled on a local day in [iso_end - days, iso_end]. The one
 * statement of that window (the control trigger and the health code use it).
 */
extern bool HasReleaseNat(const DateADT *negative_nat, int n, DateADT iso_end,
						  int days);

/*
 * control_scope: an operator opens a control (or moves one to another
 * person or site) for a person outside its scope only at a site of its own
 * jurisdictions, a hotel district taking a guest from elsewhere (42501).
 * person_visible: the caller sees the person under row security; has_site
 * and site_ours: the control names a site, one of the caller's.  The
 * message names only what the caller wrote.
 */
extern bool ControlScope(int64 person_id, bool person_visible, bool has_site,
						 int64 site_id, bool site_ours, Problem *p);

/* control_status_transition */
extern bool ControlTransition(const ControlRow *old, const ControlRow *r,
							  Problem *p);
/* control_return_reason */
extern bool ControlReturn(const ControlRow *r, Problem *p);
/* control_end on end_day; tests: the person's lab tests (only read when
 * the control ends as completed). */
extern bool ControlEnd(const ControlRow *r, DateADT end_day,
					   const LabResult *tests, int ntests, Problem *p);
/* Whether ControlEnd needs the lab tests of the person. */
extern bool ControlEndNeedsTests(const ControlRow *r);
/* control_single_open: other is the open control a probe found. */
extern bool ControlSingleOpen(int64 person_id, const OtherControl *other,
							  Problem *p);
/* control_no_repeat: other ended as completed for the same entry. */
extern bool ControlNoRepeat(int64 person_id, int64 entry_id,
							const OtherControl *other, Problem *p);
/*
 * control_no_repeat from the completing side: a row ending as completed or
 * completed_elsewhere while other, open or completed, has the same entry.
 */
extern bool ControlNoRepeatCompleting(int64 person_id, int64 entry_id,
									  const OtherControl *other, Problem *p);
/* control_dates (e may be NULL: no entry). */
extern bool ControlDates(const ControlRow *r, const EntryInfo *e, Problem *p);
/* control_entry_person */
extern bool ControlEntryPerson(const ControlRow *r, const EntryInfo *e,
							   Problem *p);
/* control_plan_required: the policy plan of category on day 1, into *plan. */
extern bool ControlPlanRequired(ArrivalCategory category, DateADT day,
								IsolationPlan *plan, Problem *p);
/* control_plan_change: keeps day 1; home isolation only when eligible on
 * today (tests: the person's lab tests). */
extern bool ControlPlanChange(const ControlRow *old, const ControlRow *r,
							  ArrivalCategory category, const LabResult *tests,
							  int ntests, DateADT today, Problem *p);
/* Whether ControlPlanChange needs the lab tests (home comes earlier). */
extern bool ControlPlanChangeNeedsTests(const ControlRow *old,
										const ControlRow *r);
/*
 * control_plan_change: a plan shorter than the policy's (or, where no policy
 * covers day 1, than the previous plan, old; NULL on insert) needs an admin.
 */
extern bool ControlShortening(const ControlRow *old, const ControlRow *r,
							  ArrivalCategory category, bool is_admin,
							  Problem *p);
/* control_plan_change: the plan of a control cannot be removed. */
extern bool ControlPlanKept(const ControlRow *old, const ControlRow *r,
							Problem *p);
/* control_plan_change: revert_to_centralized needs an open control whose
 * plan has home isolation (the Fujian guideline (八)). */
extern bool ControlRevertible(int64 control_id, ControlStatus status,
							  bool has_plan, IsolationPlan plan, Problem *p);
/* control_start_fixed: set once; correction: correct_control_start(). */
extern bool ControlStartFixed(const ControlRow *old, const ControlRow *r,
							  bool correction, Problem *p);
/* verification_transfer_date, either side: the return date of a person
 * transferred in is the local day control took control. */
extern bool VerificationTransferDate(int64	 verification_id,
									 DateADT return_date, int64 control_id,
									 DateADT transfer_day, Problem *p);

#endif /* QUARANTINE_CONTROL_RULES_H */
