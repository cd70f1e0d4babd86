/*
 * manifest.h
 *		Bulk import of passenger manifests (doc/import.md, the district notes
 *		包机人员录入): what manifest_fields.c, manifest_check.c,
 *		manifest_verdict.c, manifest_load.c and manifest_record.c share.
 *
 * A manifest row is judged in two steps, both by C functions that never raise
 * on data: manifest_check() looks at the row alone (formats, dates, the
 * resident ID, the policy of the entry day), manifest_verdict() at the facts
 * load_manifest() gathers set-based from the tables (sites, jurisdictions, the
 * person a document belongs to, open controls, the rest of the batch). A row
 * either passes both or lands whole in import_reject with the rule name the
 * triggers would have used.
 */
#ifndef QUARANTINE_MANIFEST_H
#define QUARANTINE_MANIFEST_H

#include "rules/rule.h"

#include "fmgr.h"

/* Longest values read at all (decisions: README, "Bulk import"). */
#define MANIFEST_MAX_PHONE_CHARS 32
#define MANIFEST_MAX_PORT_CHARS	 64

/*
 * Fields of a composite argument, read by name.  The attribute positions are
 * looked up once per query (per row type) and kept in fn_extra, so a change
 * of the row type (ALTER TABLE manifest_staging) cannot leave them stale.
 * A field the row does not have reads as NULL.
 */
typedef struct FieldSpec
{
	const char *name;
	Oid			type;	 /* expected type, a built-in one */
	const char *typname; /* or a type of schema quarantine (an enum) */
} FieldSpec;

typedef struct FieldReader
{
	Oid	  typid;
	int32 typmod;
	int	  nfields;
	int	 *attidx; /* per FieldSpec: 0-based attribute index, or -1 */
	void *extra;  /* for the caller: e.g. its result descriptor */
} FieldReader;

/* The reader kept in fcinfo's fn_extra (created on first use). */
extern FieldReader *FieldReaderFor(FunctionCallInfo fcinfo, int nfields);
/* Deform composite argument argno into values/nulls, ordered as specs. */
extern void ReadFields(FunctionCallInfo fcinfo, FieldReader *reader, int argno,
					   const FieldSpec *specs, Datum *values, bool *nulls);

/*
 * Call a C routine that reports bad input by ereport(ERROR) and keep the
 * error instead: the routines wrapped here (NormalizeDoc, SeatRow) are pure
 * computations that hold no lock, buffer or other resource when they raise,
 * so the error can be caught without a subtransaction.  Only errors of
 * class 22 (data exceptions) are caught; anything else is re-thrown.
 */
typedef struct CaughtError
{
	char *message;
	char *detail;
} CaughtError;

/* NormalizeDoc(kind, number), or NULL with the error in *err. */
extern char *TryNormalizeDoc(DocKind kind, const char *number,
							 CaughtError *err);
/* SeatRow(seat) > 0, or 0 with the error in *err. */
extern int TrySeatRow(const char *seat, CaughtError *err);

/* ---------- one staged row as read (manifest_fields.c) ---------- */

/* The fields of a manifest row as the tables will store them, and the first
 * problem of the row (rule NULL while none). */
typedef struct Checked
{
	const char	   *rule;
	char		   *message;
	char		   *detail;
	char		   *name;
	bool			has_kind;
	DocKind			kind;
	char		   *doc_no;
	char		   *scope;
	char		   *nationality;
	char			sex; /* 'M', 'F' or 0 */
	bool			has_birth;
	DateADT			birth;
	char		   *phone;
	bool			has_phone_kind;
	PhoneKind		phone_kind;
	char		   *flight;
	char		   *seat;
	bool			has_entered;
	TimestampTz		entered_at;
	DateADT			entry_day;
	ArrivalCategory category;
	char		   *port;
	char		   *site;
	char		   *jurisdiction;
} Checked;

/* Record the first problem of the row; false, for `return CheckedBad(...)`. */
static inline bool
CheckedBad(Checked *c, const char *rule, char *message, char *detail)
{
	c->rule = rule;
	c->message = message;
	c->detail = detail;
	return false;
}

/* The first problem of the row, as a shared rule (rule.h) states it. */
static inline bool
CheckedBadProblem(Checked *c, const Problem *p)
{
	return CheckedBad(c, p->rule, p->message, p->detail);
}

/* A field with surrounding blanks removed, or NULL when NULL or blank. */
extern char *Trimmed(Datum value, bool isnull);
/* Length in characters (of the database encoding). */
extern int CharLength(const char *s);

/* The field parsers: each reads its field into c, or records the problem. */
extern bool CheckDocKind(const char *text, Checked *c);
extern bool CheckDocNo(const char *text, Checked *c);
extern bool CheckNationality(const char *text, Checked *c);
extern bool CheckSex(const char *text, Checked *c);
extern bool CheckBirthDate(const char *text, Checked *c);
extern bool CheckEnteredAt(const char *text, Checked *c);
extern bool CheckFlight(const char *text, Checked *c);
extern bool CheckSeat(const char *text, Checked *c);

#endif /* QUARANTINE_MANIFEST_H */
