/*
 * health_facts.h
 *		Gathering the facts of the health-code colour from the tables
 *		(health_facts.c), for code_color() (health_color.c) and the feed
 *		(health_feed.c), so that both always agree.
 */
#ifndef QUARANTINE_HEALTH_FACTS_H
#define QUARANTINE_HEALTH_FACTS_H

#include "health/health.h"
#include "records/records.h"

/* The scans one gathering needs, opened once for many persons. */
typedef struct FactReader
{
	MergedScan	  control;
	MergedScan	  entry;
	MergedScan	  lab;
	MergedScan	  staff;
	MergedScan	  feed; /* only with_feed */
	bool		  with_feed;
	MemoryContext person_cxt; /* reset for each person */
} FactReader;

/*
 * Open the scans under snapshot.  with_feed: also the feed's latest row
 * (ReadLatest).  check_acl: the caller is a query (code_color), which needs
 * SELECT on the tables as a query of its own would.
 */
extern void FactReaderOpen(FactReader *r, Snapshot snapshot, bool with_feed,
						   bool check_acl);
extern void FactReaderClose(FactReader *r);
/*
 * The facts about one person at instant at, in r->person_cxt.  Persons asked
 * of one reader in ascending order are read in one pass of each index.
 */
extern void GatherFacts(FactReader *r, int64 person_id, TimestampTz at,
						CodeFacts *f);
/* The reason of the person's latest feed row; clear when there is none. */
extern CodeReason ReadLatest(FactReader *r, int64 person_id);
/* The snapshot a STABLE function reads with: the caller's. */
extern Snapshot ReadingSnapshot(void);

#endif /* QUARANTINE_HEALTH_FACTS_H */
