/*
 * person_rules.c
 *		The rules of a person record, pure (see person_rules.h).
 */
#include "rules/person_rules.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

int
BlankAt(const unsigned char *s)
{
	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	if (GetDatabaseEncoding() != PG_UTF8)
		return 0;
	if (s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return 3;
	return 0;
}

bool
PersonName(const char *name, const char *rule, Problem *p)
{
	const char *s = name ? name : "";
	int			n;
	int			nchars;

	while ((n = BlankAt((const unsigned char *) s)) > 0)
		s += n;
	if (*s == '\0')
		return Flag(
			p, rule, ERRCODE_CHECK_VIOLATION, pstrdup(_Q("name is missing")),
			pstrdup(name && *name ? _Q("The name is made of blanks only.")
								  : _Q("The name is empty.")),
			pstrdup(_Q("Every person needs a name as on the document.")));
	nchars = pg_mbstrlen_with_len(name, strlen(name));
	if (nchars > PERSON_MAX_NAME_CHARS)
		return Flag(p, rule, ERRCODE_CHECK_VIOLATION,
					psprintf(_Q("name is longer than %d characters"),
							 PERSON_MAX_NAME_CHARS),
					psprintf(_Q("The name has %d characters; notes belong "
								"elsewhere."),
							 nchars),
					pstrdup(_Q("Write the name as on the document.")));
	for (s = name; *s; s++)
		if ((unsigned char) *s < 0x20 || *s == 0x7F)
			return Flag(p, rule, ERRCODE_CHECK_VIOLATION,
						pstrdup(_Q("name contains a control character")),
						psprintf(_Q("Character 0x%02X is not part of a name; "
									"the row may have been split badly."),
								 (unsigned char) *s),
						pstrdup(_Q("Remove the control character.")));
	return true;
}

bool
PersonKeyRange(int64 person_id, int64 lo, int64 hi, Problem *p)
{
	if (person_id >= lo && person_id <= hi)
		return true;
	return Flag(p, "person_key_range", ERRCODE_CHECK_VIOLATION,
				psprintf(_Q("person_id %lld is outside this node's key range"),
						 (long long) person_id),
				psprintf(_Q("The keys of this node run from %lld to %lld."),
						 (long long) lo, (long long) hi),
				pstrdup(_Q("Leave person_id to its default, or take a key of "
						   "this node's range.")));
}

bool
PersonNationality(DocKind kind, const char *doc_no, const char *raw,
				  char **norm, const char *rule, Problem *p)
{
	const char *s = raw;
	int			len;

	*norm = NULL;
	if (s != NULL)
	{
		s += strspn(s, " ");
		len = strlen(s);
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (len > 0)
		{
			if (len != 3 || !isalpha((unsigned char) s[0]) ||
				!isalpha((unsigned char) s[1]) ||
				!isalpha((unsigned char) s[2]))
				return Flag(
					p, rule, ERRCODE_INVALID_TEXT_REPRESENTATION,
					psprintf(_Q("invalid nationality: \"%s\""), raw),
					pstrdup(_Q("Write the nationality as the "
							   "three-letter code of the passport (ISO "
							   "3166-1 alpha-3, e.g. CHN, ITA).")),
					NULL);
			*norm = psprintf("%c%c%c", pg_ascii_toupper(s[0]),
							 pg_ascii_toupper(s[1]), pg_ascii_toupper(s[2]));
		}
	}
	if (*norm == NULL && kind == DOC_PASSPORT)
		return Flag(p, rule, ERRCODE_CHECK_VIOLATION,
					psprintf(_Q("passport %s has no nationality"), doc_no),
					pstrdup(_Q("A passport number identifies a person only "
							   "together with its issuing nationality (ISO "
							   "3166-1 alpha-3, e.g. CHN, ITA).")),
					pstrdup(_Q("Give the nationality of the passport.")));
	return true;
}

const char *
PersonIdentityScope(DocKind kind, const char *nationality)
{
	return (kind == DOC_PASSPORT && nationality != NULL) ? nationality : "";
}

bool
PersonDocumentAgreement(DocKind kind, const char *doc_no, bool has_birth,
						DateADT birth, char sex, bool *from_id,
						DateADT *id_birth, char *id_sex, Problem *p)
{
	Cnid id;

	*from_id = false;
	if (kind != DOC_RESIDENT_ID || !CnidParse(doc_no, &id, false))
		return true;
	*id_birth = CnidBirthDate(id);
	*id_sex = CnidSex(id);
	if (has_birth && birth != *id_birth)
		return Flag(
			p, "person_document_agreement", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("birth date disagrees with resident ID %s"), doc_no),
			psprintf(_Q("The ID says %s, the row says %s."),
					 DateText(*id_birth), DateText(birth)),
			pstrdup(_Q("Leave birth_date NULL to take it from the ID.")));
	if (sex != 0 && sex != *id_sex)
		return Flag(
			p, "person_document_agreement", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("sex disagrees with resident ID %s"), doc_no),
			psprintf(_Q("The ID says %c, the row says %c."), *id_sex, sex),
			pstrdup(_Q("Leave sex NULL to take it from the ID.")));
	*from_id = true;
	return true;
}

bool
PersonIdentity(const char *kindname, const char *doc_no, const char *scope,
			   int64 existing, bool in_statement, bool hidden, Problem *p)
{
	char *doc;
	char *detail;
	char *hint;

	if (existing == 0)
		return true;
	doc = psprintf("%s %s%s%s", kindname, doc_no, *scope ? " of " : "", scope);
	if (in_statement)
	{
		detail =
			psprintf(_Q("Document %s is given twice in this statement."), doc);
		hint = pstrdup(_Q("Write each person once; later rows of the person "
						  "refer to the first."));
	}
	else if (hidden)
	{
		/*
		 * doc/security.md: that the document is taken, not whose record it is.
		 */
		detail = psprintf(_Q("Document %s belongs to a person outside your "
							 "jurisdictions."),
						  doc);
		hint = pstrdup(_Q("Ask a quarantine_admin to give your district the "
						  "person's record rather than creating a new one."));
	}
	else
	{
		detail = psprintf(_Q("Document %s belongs to person_id %lld."), doc,
						  (long long) existing);
		hint = psprintf(
			_Q("Use person_id %lld instead of creating a new person."),
			(long long) existing);
	}
	return Flag(
		p, "person_identity", ERRCODE_UNIQUE_VIOLATION,
		psprintf(_Q("person with %s %s already exists"), kindname, doc_no),
		detail, hint);
}

bool
PersonNotMerged(int64 person_id, bool merged, int64 merged_into,
				const char *table, Problem *p)
{
	if (!merged)
		return true;
	if (merged_into == 0) /* a person the caller may not see */
		return Flag(
			p, "person_merged", ERRCODE_CHECK_VIOLATION,
			psprintf(_Q("person %lld was merged into another person"),
					 (long long) person_id),
			psprintf(_Q("Person %lld has merged_into set: its records and "
						"its document belong to a person outside your "
						"jurisdictions."),
					 (long long) person_id),
			psprintf(_Q("Ask a quarantine_admin where to write the %s "
						"row."),
					 table));
	return Flag(p, "person_merged", ERRCODE_CHECK_VIOLATION,
				psprintf(_Q("person %lld was merged into person %lld"),
						 (long long) person_id, (long long) merged_into),
				psprintf(_Q("Person %lld has merged_into = %lld: its records "
							"and its document belong to person %lld."),
						 (long long) person_id, (long long) merged_into,
						 (long long) merged_into),
				psprintf(_Q("Write the %s row for person %lld."), table,
						 (long long) merged_into));
}

PG_FUNCTION_INFO_V1(person_identity_scope);

/*
 * identity_scope(kind, nationality) → text: the identity_scope the person
 * trigger stores for a document (person_for_doc matches on it), so 'usa'
 * finds a passport stored as USA.  NULL kind gives NULL; a malformed
 * nationality raises 22P02 as the trigger does; a passport without one has
 * the empty scope (as rows written before person_nationality held).
 */
Datum
person_identity_scope(PG_FUNCTION_ARGS)
{
	DocKind kind;
	char   *norm;
	Problem p = {0};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	kind = (DocKind) EnumLabelIndex(QE_DOC_KIND, PG_GETARG_OID(0));
	if (!PersonNationality(
			DOC_OTHER, "",
			PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1)),
			&norm, "person_nationality", &p))
		RaiseProblem(&p, NULL);
	PG_RETURN_TEXT_P(cstring_to_text(PersonIdentityScope(kind, norm)));
}
