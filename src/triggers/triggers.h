/*
 * triggers.h
 *		What the triggers share with the operations that drive them
 *		(control_ops.c): the switches of the person and control triggers.
 */
#ifndef QUARANTINE_TRIGGERS_TRIGGERS_H
#define QUARANTINE_TRIGGERS_TRIGGERS_H

#include "records/records.h"

/* Person-trigger switch (GUC quarantine.duplicate_detection). */
extern bool quarantine_duplicate_detection;

/* Set while correct_control_start() updates a row (control_start_fixed). */
extern bool control_start_correction;
/* Note written into control_event by the statement trigger, if any. */
extern const char *control_event_note;

extern void TriggersInit(void);

#endif /* QUARANTINE_TRIGGERS_TRIGGERS_H */
