/*
 * record_locks.h
 *		Row locks on person that make the rules hold when sessions write at
 *		once (issue 11): the health-code feed and person_merged.
 */
#ifndef QUARANTINE_RECORD_LOCKS_H
#define QUARANTINE_RECORD_LOCKS_H

#include "rules/rules.h"

/*
 * Sort ids ascending and drop repeats, in place; returns how many remain.
 * Person rows are always locked in this order, so two writers never wait on
 * each other in a circle.
 */
extern int SortUniquePersonIds(int64 *ids, int n);

/*
 * Lock the person rows of ids (sorted ascending, no repeats) FOR NO KEY
 * UPDATE, waiting, until the end of the transaction: the feed recomputes a
 * person only under this lock, so recomputations of one person run one after
 * the other and the last one sees every committed write.
 */
extern void LockPersonsForFeed(const int64 *ids, int n);

/*
 * Refuse to run fname with a transaction snapshot (REPEATABLE READ,
 * SERIALIZABLE): it waits for concurrent writers on the person rows and must
 * then see what they committed (merge_persons).
 */
extern void RequireReadCommitted(const char *fname);

#endif /* QUARANTINE_RECORD_LOCKS_H */
