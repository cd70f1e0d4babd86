/*
 * health.h
 *		The health-code colour (doc/health.md) and the testing of high-risk
 *		staff (doc/health.md): what health_code.c, health_feed.c and staff.c
 *		share.
 *
 * The colour is decided by one pure function over a CodeFacts struct
 * (health_code.c); health_feed.c gathers the facts from the tables, for
 * code_color() and for the feed (code_assignment), so both always agree.
 */
#ifndef QUARANTINE_HEALTH_H
#define QUARANTINE_HEALTH_H

#include "rules/rules.h"

/* ---------- high-risk staff (staff.c; port-city notice 二, 四) ---------- */

typedef enum StaffRole
{
	ROLE_PORT_FRONTLINE,
	ROLE_QUARANTINE_SITE,
	ROLE_DESIGNATED_HOSPITAL,
	ROLE_COLD_CHAIN,
	ROLE_OTHER_STAFF,
	ROLE_FAMILY,
	ROLE_COUNT
} StaffRole;

/* The role named name; false when there is no such role. */
extern bool		   StaffRoleParse(const char *name, StaffRole *role);
extern const char *StaffRoleName(StaffRole role);

/*
 * The day the next NAT of a staff member of this role is due, from the local
 * days of the samples taken so far (finite dates in any order; a day given
 * twice is one test).  false when there is no sample: the test is due now.
 * 22008 when the due day is past the end of the dates.
 */
extern bool NextTestDue(StaffRole role, const DateADT *samples, int n,
						DateADT *due);
/* Overdue on today: never tested, or the due day is before today. */
extern bool StaffTestOverdue(StaffRole role, const DateADT *samples, int n,
							 DateADT today);

/* ---------- the colour decision (health_code.c) ---------- */

/*
 * Reasons in the order the rules are tried (doc/health.md): the first that
 * holds wins. Each reason belongs to exactly one colour (CodeReasonColor).
 */
typedef enum CodeReason
{
	/* red */
	REASON_MEDICAL,
	REASON_PENDING,
	REASON_CENTRALIZED,
	REASON_POSITIVE_TEST,
	REASON_CASE,
	/* orange */
	REASON_HOME_ISOLATION,
	/* yellow */
	REASON_MONITORING,
	REASON_CLOSED_LOOP_WORK,
	REASON_RELEASE_TEST_MISSING,
	REASON_ENTRY_OBSERVATION,
	REASON_STAFF_TEST_OVERDUE,
	REASON_UNREACHABLE,
	/* green */
	REASON_CLEAR,
	REASON_COUNT
} CodeReason;

extern HealthCode  CodeReasonColor(CodeReason reason);
extern const char *CodeReasonName(CodeReason reason);
/* The reason named name, or REASON_COUNT when unknown. */
extern CodeReason CodeReasonParse(const char *name);

/* One entry of the person, up to the instant the colour is computed for. */
typedef struct CodeEntry
{
	DateADT			day; /* local date of entered_at */
	ArrivalCategory category;
	bool			controlled; /* some control points at this entry */
} CodeEntry;

/*
 * What the colour of one person at one instant depends on.  Timestamped
 * facts (tests, entries) later than that instant are left out by the
 * gatherer; dates are local (quarantine.timezone).
 */
typedef struct CodeFacts
{
	DateADT today;			   /* local date of the instant */
	int		observation_days;  /* quarantine.observation_days */
	int		release_test_days; /* quarantine.release_test_days */

	/* The control phases come from: the open one, else the latest ended
	 * as completed or completed_elsewhere. */
	bool		  has_control;
	ControlStatus status;
	bool		  has_plan;
	IsolationPlan plan;
	DateADT		  qstart;

	/* A staff member's closed-loop rotation (staff.closed_loop_start). */
	bool		  has_rotation;
	IsolationPlan rotation_plan;
	DateADT		  rotation_start;

	/* A positive NAT, IgM or antigen test not cleared by a completed
	 * control ended after it was sampled. */
	bool positive_test;

	/* Local sample days of negative NATs (release test). */
	int		 n_negative_nat;
	DateADT *negative_nat;

	int		   n_entries;
	CodeEntry *entries;

	/* Staff testing: the role and the local days of every NAT sample. */
	bool	  is_staff;
	StaffRole role;
	int		  n_nat;
	DateADT	 *nat;

	/* The person's latest control was returned as unreachable. */
	bool unreachable;
} CodeFacts;

/* The first rule of doc/health.md that holds for these facts. */
extern CodeReason HealthCodeDecide(const CodeFacts *facts);

#endif /* QUARANTINE_HEALTH_H */
