/*
 * lab_tests.h
 *		The one reader of lab_test rows (lab_tests.c), for the triggers, the
 *		health code, the NAT proof and person_lab_results.
 */
#ifndef QUARANTINE_RECORDS_LAB_TESTS_H
#define QUARANTINE_RECORDS_LAB_TESTS_H

#include "records/records.h"

typedef struct LabTest
{
	TestKind	kind;
	TimestampTz sampled_at; /* its local date: LocalDateOf(sampled_at) */
	TestResult	result;
	bool		has_reported;
	TimestampTz reported_at;
} LabTest;

/* A scan of lab_test by person (PersonScanStart, then LabTestNext). */
extern void LabTestScanOpen(PersonScan *s, Snapshot snapshot);
extern bool LabTestNext(PersonScan *s, LabTest *t);
/* The test in a slot of that scan's table (the feed's merged scans). */
extern void LabTestFromSlot(TupleTableSlot *slot, LabTest *t);
/* Every lab test of a person, as the rules see them (triggers: the rows of
 * the writing statement included). */
extern LabResult *PersonLabResults(int64 person_id, int *ntests);

#endif /* QUARANTINE_RECORDS_LAB_TESTS_H */
