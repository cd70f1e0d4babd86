/*
 * places.h
 *		Places (doc/places.md): the jurisdiction a location lies in, for the
 *		triggers that fill a row's jurisdiction from its location, and the
 *		retention of the scan trail.
 */
#ifndef QUARANTINE_PLACES_H
#define QUARANTINE_PLACES_H

#include "records/records.h"

/* GUC quarantine.scan_retention_days (places_settings.c): days of scans kept. */
extern int quarantine_scan_retention_days;

/*
 * The code of the smallest jurisdiction whose boundary covers location (a
 * geography point of type typid), through a kept plan of
 * quarantine.jurisdictions_at() (GiST index jurisdiction_boundary).  False
 * when none covers it: outside every boundary.
 */
extern bool JurisdictionAt(Datum location, Oid typid, Datum *code);

/*
 * For a BEFORE ROW trigger: when row has no jurisdiction but a location, the
 * jurisdiction covering it.  map names the location column, then
 * "jurisdiction", of rel's table.  True with the column's attribute number
 * and the value to store; false when there is nothing to fill.
 */
extern bool JurisdictionFromLocation(ColumnMap *map, Relation rel,
									 HeapTuple row, int *attnum, Datum *code);

/* ---------- settings ---------- */
extern void PlacesInit(void);

#endif /* QUARANTINE_PLACES_H */
