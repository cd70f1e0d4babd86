/*
 * person_rules.h
 *		The rules of a person record (doc/identity.md; doc/records.md) as pure
 *		functions, shared by the person trigger (trg_person.c), the manifest
 *		check (manifest_check.c) and person_for_doc().
 */
#ifndef QUARANTINE_PERSON_RULES_H
#define QUARANTINE_PERSON_RULES_H

#include "rules/rule.h"

/*
 * person_nationality: the nationality as stored — blanks trimmed (char(3)
 * pads), upper case ('gbr' and 'GBR' are one), three ASCII letters (ISO
 * 3166-1 alpha-3) — into *norm (NULL when raw is NULL or blank).  A passport
 * needs one: its number identifies a person only with the issuing
 * nationality (doc/records.md).  doc_no names the document in the message.
 */
extern bool PersonNationality(DocKind kind, const char *doc_no,
							  const char *raw, char **norm, const char *rule,
							  Problem *p);

/* A name of more characters is a typing or splitting error, not a name. */
#define PERSON_MAX_NAME_CHARS 200

/* Length of a blank at s: ASCII white space, NBSP, U+3000, or a BOM. */
extern int BlankAt(const unsigned char *s);

/*
 * person_name (manifest_name in a manifest): a name as it is stored has a
 * character other than a blank (tabs, line breaks, no-break and ideographic
 * spaces are blanks), at most PERSON_MAX_NAME_CHARS characters, and no
 * control character (U+0000-U+001F, DEL).  23514.
 */
extern bool PersonName(const char *name, const char *rule, Problem *p);

/*
 * person_key_range: on a node of a federation (doc/federation.md) a person's
 * key lies in the node's range [lo, hi], the bounds federation_set_node gave
 * the identity sequence; a key from another node's range would collide with
 * that node's persons at the province.  23514.
 */
extern bool PersonKeyRange(int64 person_id, int64 lo, int64 hi, Problem *p);

/* The identity scope of a document: the nationality for passports, else "". */
extern const char *PersonIdentityScope(DocKind kind, const char *nationality);

/*
 * person_document_agreement: a resident ID carries birth date and sex
 * (GB 11643-1999); given ones must agree.  has_birth/sex 0 when not given.
 * On success *id_birth and *id_sex are the ID's (for a resident ID).
 */
extern bool PersonDocumentAgreement(DocKind kind, const char *doc_no,
									bool has_birth, DateADT birth, char sex,
									bool *from_id, DateADT *id_birth,
									char *id_sex, Problem *p);

/*
 * person_identity: the document already belongs to person existing (a row
 * written earlier by the same statement when in_statement: the DETAIL then
 * names the document, not an id that vanishes with the failed statement).
 */
/* hidden: the existing person is outside the caller's row-level scope. */
extern bool PersonIdentity(const char *kindname, const char *doc_no,
						   const char *scope, int64 existing,
						   bool in_statement, bool hidden, Problem *p);

/*
 * person_merged: a person merged into another (merged_into set) takes no new
 * records; table names the table of the refused row, for the HINT.
 * merged_into 0: the person merged into is one the caller may not see, and
 * is not named.
 */
extern bool PersonNotMerged(int64 person_id, bool merged, int64 merged_into,
							const char *table, Problem *p);

/*
 * The person (the survivor after a merge) holding a normalized document in
 * an identity scope, whoever's district it is, or 0 (trg_person.c: the probe
 * of person_identity's index).
 */
extern int64 PersonHoldingDocument(Datum kind, const char *doc_no,
								   const char *scope);

#endif /* QUARANTINE_PERSON_RULES_H */
