/*
 * trg_task.c
 *		Trigger on task: due_at is task_deadline(module, issued_at)
 *		(doc/tasks-phones-names.md, the district notes: the control list by
 *		17:00, verification and phone checks by 12:00 the next day;
 *		doc/monitoring.md: a medical referral at once).  A task
 *		inserted without a jurisdiction goes to its person's district (the
 *		open control's, else the person's), so that every task counts for a
 *		district (daily_report's overdue_tasks); an outcome recorded on an
 *		open medical referral closes it.
 */
#include "records/records.h"
#include "rules/control_rules.h"
#include "rules/rule.h"
#include "types/types.h"

#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(task_before_write);

enum
{
	T_MODULE,
	T_ISSUED_AT,
	T_DUE_AT,
	T_PERSON_ID,
	T_DONE_AT,
	T_OUTCOME
};
static const char *const task_columns[] = {
	"module", "issued_at", "due_at", "person_id", "done_at", "outcome", NULL};
static ColumnMap task_map = {.names = task_columns};

/*
 * The district a task of person_id goes to: the jurisdiction of the person's
 * open control, else the person's; NULL when neither is known.  Read through
 * index probes (control_single_open, person_pkey), as the rules read: every
 * row, whatever the caller's scope; no SQL on a referral's per-row path.
 */
enum
{
	TC_PERSON_ID,
	TC_STATUS,
	TC_JURISDICTION
};
static const char *const task_control_columns[] = {"person_id", "status",
												   "jurisdiction", NULL};
static ColumnMap		 task_control_map = {.names = task_control_columns};
static const char *const task_person_columns[] = {"jurisdiction", NULL};
static ColumnMap		 task_person_map = {.names = task_person_columns};
static IndexProbe		 task_open_control_probe = {.indexname =
														"control_single_open"};
static IndexProbe		 task_person_probe = {.indexname = "person_pkey"};

typedef struct TaskDistrict
{
	int64 person_id;
	Datum value;
	bool  found;
} TaskDistrict;

/* An open control of the person with a jurisdiction. */
static bool
OpenControlDistrictVisitor(TupleTableSlot *slot, void *arg)
{
	TaskDistrict *t = (TaskDistrict *) arg;
	const int	 *att = task_control_map.attnum;
	bool		  isnull;
	Datum		  d;

	d = SlotValue(slot, att[TC_PERSON_ID], &isnull);
	if (isnull || DatumGetInt64(d) != t->person_id)
		return true;
	d = SlotValue(slot, att[TC_STATUS], &isnull);
	if (isnull || !ControlStatusIsOpen(
					  EnumLabelIndex(QE_CONTROL_STATUS, DatumGetObjectId(d))))
		return true;
	d = SlotValue(slot, att[TC_JURISDICTION], &isnull);
	if (isnull)
		return true;
	t->value = datumCopy(d, false, -1);
	t->found = true;
	return false;
}

static bool
PersonDistrictVisitor(TupleTableSlot *slot, void *arg)
{
	TaskDistrict *t = (TaskDistrict *) arg;
	bool		  isnull;
	Datum		  d = SlotValue(slot, task_person_map.attnum[0], &isnull);

	if (!isnull)
	{
		t->value = datumCopy(d, false, -1);
		t->found = true;
	}
	return false;
}

static Datum
TaskJurisdiction(Datum person, bool *isnull)
{
	TaskDistrict t = {.person_id = DatumGetInt64(person)};

	ColumnMapForTable(&task_control_map, "control");
	ProbeIndex(&task_open_control_probe, 1, &person,
			   OpenControlDistrictVisitor, &t);
	if (!t.found)
	{
		ColumnMapForTable(&task_person_map, "person");
		ProbeIndex(&task_person_probe, 1, &person, PersonDistrictVisitor, &t);
	}
	*isnull = !t.found;
	return t.value;
}

/* BEFORE INSERT OR UPDATE FOR EACH ROW on task. */
/* Steps of task_before_write, each on the row as the steps before left it. */

/* The task's jurisdiction, when not given: its person's open control, else the
 * person (insert only).  Looked up by name: a 0.1.0 schema being upgraded has
 * no such column yet (it came with the federation). */
static HeapTuple
TaskDefaultJurisdiction(Relation rel, HeapTuple row)
{
	TupleDesc desc = RelationGetDescr(rel);
	bool	  no_person;
	bool	  no_jurisdiction = false;
	bool	  null_flag = false;
	Datum	  person =
		heap_getattr(row, task_map.attnum[T_PERSON_ID], desc, &no_person);
	AttrNumber jcol = get_attnum(RelationGetRelid(rel), "jurisdiction");
	bool	   none;
	Datum	   j;
	int		   col;

	if (jcol != InvalidAttrNumber)
		(void) heap_getattr(row, jcol, desc, &no_jurisdiction);
	if (no_person || !no_jurisdiction)
		return row;
	j = TaskJurisdiction(person, &none);
	if (none)
		return row;
	col = jcol;
	return heap_modify_tuple_by_cols(row, desc, 1, &col, &j, &null_flag);
}

/* An operator records the outcome of a referral: it is done. */
static HeapTuple
TaskReferralDone(Relation rel, HeapTuple row, const char *module)
{
	TupleDesc desc = RelationGetDescr(rel);
	bool	  no_done;
	bool	  no_outcome;
	bool	  null_flag = false;
	Datum	  now;
	int		  col;

	if (strcmp(module, "medical_referral") != 0)
		return row;
	(void) heap_getattr(row, task_map.attnum[T_DONE_AT], desc, &no_done);
	(void) heap_getattr(row, task_map.attnum[T_OUTCOME], desc, &no_outcome);
	if (!no_done || no_outcome)
		return row;
	now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	col = task_map.attnum[T_DONE_AT];
	return heap_modify_tuple_by_cols(row, desc, 1, &col, &now, &null_flag);
}

Datum
task_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "task_before_write", "task", true);
	Relation	  rel = td->tg_relation;
	TupleDesc	  desc = RelationGetDescr(rel);
	HeapTuple	  row = TriggerRow(td);
	bool		  no_module;
	bool		  no_issued;
	bool		  no_due;
	Datum		  module;
	Datum		  issued;
	Datum		  due;
	Datum		  deadline;
	int			  col;
	bool		  null_flag = false;
	ColumnContext column;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	ColumnMapFor(&task_map, rel);
	module = heap_getattr(row, task_map.attnum[T_MODULE], desc, &no_module);
	issued = heap_getattr(row, task_map.attnum[T_ISSUED_AT], desc, &no_issued);
	if (no_module || no_issued)
		return PointerGetDatum(row); /* NOT NULL constraints report it */
	/* An unknown module raises 22023 naming the column module. */
	ColumnContextPush(&column, rel);
	column.column = task_map.attnum[T_MODULE];
	deadline = TimestampTzGetDatum(TaskDeadline(TextDatumGetCString(module),
												DatumGetTimestampTz(issued)));
	ColumnContextPop(&column);
	due = heap_getattr(row, task_map.attnum[T_DUE_AT], desc, &no_due);
	if (no_due || DatumGetTimestampTz(due) != DatumGetTimestampTz(deadline))
	{
		col = task_map.attnum[T_DUE_AT];
		row = heap_modify_tuple_by_cols(row, desc, 1, &col, &deadline,
										&null_flag);
	}
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		row = TaskDefaultJurisdiction(rel, row);
	row = TaskReferralDone(rel, row, TextDatumGetCString(module));
	return PointerGetDatum(row);
}
