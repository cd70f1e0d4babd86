/*
 * trg_task.c
 *		Trigger on task: due_at is task_deadline(module, issued_at)
 *		(doc/tasks-phones-names.md, the district notes: the control list by
 *		17:00, verification and phone checks by 12:00 the next day).
 */
#include "records.h"
#include "rule.h"

#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(task_before_write);

enum
{
	T_MODULE,
	T_ISSUED_AT,
	T_DUE_AT
};
static const char *const task_columns[] = {"module", "issued_at", "due_at",
										   NULL};
static ColumnMap		 task_map = {.names = task_columns};

/* BEFORE INSERT OR UPDATE FOR EACH ROW on task. */
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
	if (!no_due && DatumGetTimestampTz(due) == DatumGetTimestampTz(deadline))
		return PointerGetDatum(row);
	col = task_map.attnum[T_DUE_AT];
	row = heap_modify_tuple_by_cols(row, desc, 1, &col, &deadline, &null_flag);
	return PointerGetDatum(row);
}
