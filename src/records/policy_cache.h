/*
 * policy_cache.h
 *		The policy table held in backend memory (policy_cache.c).
 */
#ifndef QUARANTINE_RECORDS_POLICY_CACHE_H
#define QUARANTINE_RECORDS_POLICY_CACHE_H

#include "types/types.h"

/* plan_for() from the in-memory policy cache (policy_cache.c); false when
 * no policy covers the day. */
extern bool PolicyPlanFor(ArrivalCategory category, DateADT day,
						  IsolationPlan *plan);

#endif /* QUARANTINE_RECORDS_POLICY_CACHE_H */
