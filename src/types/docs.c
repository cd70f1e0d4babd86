/*
 * docs.c
 *		Document numbers: normalize_doc(kind, number) and its C API.
 *
 * Case systems receive document numbers typed by hand or copied from manifests
 * (the district notes: charter-flight lists), with blanks, hyphens, lower case
 * and full-width characters. A number is stored in one canonical form per kind
 * so that the same document always finds the same person (doc/records.md,
 * person_identity): upper case, blanks and hyphens removed, full-width forms
 * folded to ASCII, and the format of the kind checked.
 */
#include "types/types.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

/* Longest local_code or other number accepted (decision, see docs). */
#define DOC_MAX_FREE_LEN 32
/* Longest input read at all, blanks and hyphens included. */
#define DOC_MAX_INPUT_LEN 1024

/* A number after cleaning, with the position of each character in the input. */
typedef struct CleanNumber
{
	char *text;	  /* cleaned characters, NUL-terminated */
	int	 *pos;	  /* 1-based character position in the input, per byte */
	int	  len;	  /* bytes in text */
	int	  bad;	  /* byte offset of the first non-alphanumeric, or -1 */
	int	  badlen; /* its length in bytes */
} CleanNumber;

/* What is wrong with a number: DETAIL and HINT, palloc'd. */
typedef struct DocProblem
{
	char *detail;
	char *hint;
} DocProblem;

/* ---------- cleaning ---------- */

/* Blank or hyphen code points dropped from a number, besides ASCII ones. */
static bool
IsDroppedUnicode(pg_wchar cp)
{
	return cp == 0x00A0						 /* no-break space */
		   || cp == 0x3000					 /* ideographic space */
		   || (cp >= 0x2010 && cp <= 0x2015) /* hyphens and dashes */
		   || cp == 0x2212;					 /* minus sign */
}

/*
 * Upper-case, drop blanks and hyphens, fold full-width forms (U+FF01-U+FF5E,
 * as typed by Chinese input methods) to ASCII, and remember where each kept
 * character stood in the input, so that a DETAIL can point at it.
 */
static void
CleanDocNumber(const char *number, CleanNumber *c)
{
	int enc = GetDatabaseEncoding();
	int inlen = strlen(number);
	int charno = 0;
	int o = 0;

	c->text = palloc(inlen + 1);
	c->pos = palloc((inlen + 1) * sizeof(int));
	c->bad = -1;
	c->badlen = 0;

	for (int i = 0; i < inlen;)
	{
		unsigned char ch = (unsigned char) number[i];
		int			  mblen = IS_HIGHBIT_SET(ch)
								  ? pg_encoding_mblen_bounded(enc, number + i)
								  : 1;

		if (mblen < 1 || mblen > inlen - i)
			mblen = inlen - i;
		charno++;
		if (mblen > 1 && enc == PG_UTF8)
		{
			pg_wchar cp = utf8_to_unicode((const unsigned char *) number + i);

			if (IsDroppedUnicode(cp))
			{
				i += mblen;
				continue;
			}
			if (cp >= 0xFF01 && cp <= 0xFF5E)
			{
				/* Full-width form of an ASCII character: read it as ASCII. */
				ch = (unsigned char) (cp - 0xFEE0);
				i += mblen;
				mblen = 0;
			}
		}
		if (mblen <= 1)
		{
			i += mblen;
			if (isspace(ch) || ch == '-')
				continue;
			ch = pg_ascii_toupper(ch);
			if (c->bad < 0 && !(isdigit(ch) || (ch >= 'A' && ch <= 'Z')))
			{
				c->bad = o;
				c->badlen = 1;
			}
			c->pos[o] = charno;
			c->text[o++] = (char) ch;
			continue;
		}
		/* Any other multibyte character is kept, and is not alphanumeric. */
		if (c->bad < 0)
		{
			c->bad = o;
			c->badlen = mblen;
		}
		for (int k = 0; k < mblen; k++)
		{
			c->pos[o] = charno;
			c->text[o++] = number[i + k];
		}
		i += mblen;
	}
	c->text[o] = '\0';
	c->len = o;
}

/* "Character N is "x"" for byte offset at of the cleaned number. */
static char *
CharAt(const CleanNumber *c, int at, int nbytes)
{
	return psprintf("Character %d is \"%.*s\"", c->pos[at], nbytes,
					c->text + at);
}

/* First byte offset in [from, to) that is not a digit, or -1. */
static int
FirstNonDigit(const CleanNumber *c, int from, int to)
{
	for (int i = from; i < to; i++)
		if (!isdigit((unsigned char) c->text[i]))
			return i;
	return -1;
}

/* The value of n decimal digits. */
static int
Digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* ---------- check digits ---------- */

/*
 * ICAO 9303-3 §4.9 check digit: 0-9 count as themselves, A-Z as 10-35, the
 * filler '<' as 0; weights 7, 3, 1 repeating; the sum modulo 10.  Used by
 * machine-readable zones (mrz.c) and by the 15-character foreign permanent
 * resident ID.
 */
int
Icao9303CheckDigit(const char *s, int len)
{
	static const int weights[3] = {7, 3, 1};
	int				 sum = 0;

	for (int i = 0; i < len; i++)
	{
		int v;

		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'A' && s[i] <= 'Z')
			v = s[i] - 'A' + 10;
		else if (s[i] == '<')
			v = 0;
		else
			return -1;
		sum += v * weights[i % 3];
	}
	return sum % 10;
}

/* ---------- per kind ---------- */

/* resident_id: the cnid rules; the canonical 18 characters. */
static char *
ResidentId(const CleanNumber *c, DocProblem *p)
{
	Cnid  id;
	char *out;

	/* Name bad characters by their place in the input, not after cleaning. */
	if (c->len == 15 || c->len == 18)
	{
		int at = FirstNonDigit(c, 0, c->len == 18 ? 17 : 15);

		if (at < 0 && c->len == 18 && c->text[17] != 'X' &&
			!isdigit((unsigned char) c->text[17]))
			at = 17;
		if (at >= 0)
		{
			p->detail = psprintf("%s, but a resident identity number has "
								 "digits only, and X as the check character.",
								 CharAt(c, at, 1));
			p->hint =
				pstrdup(_Q("Enter the 17 digits and the check character, "
						   "or a 15-digit legacy number."));
			return NULL;
		}
	}
	if (!CnidCheck(c->text, &id, &p->detail, &p->hint))
		return NULL;
	out = palloc(CNID_TEXT_LEN + 1);
	CnidFormat(id, out);
	return out;
}

static const char *const fpid_hint =
	"Enter the 18-character number of a 2023 card (9, 16 digits and a check "
	"character) or the 15 characters of an older card (3 letters and 12 "
	"digits).";

/*
 * foreign_permanent_id, 2023 card: 9 | issuing province (2) | nationality,
 * ISO 3166 numeric (3) | birth date YYYYMMDD | sequence (3) | MOD 11-2
 * check, the layout of the resident identity number with a leading 9
 * ("新版外国人永久居留身份证机读信息规则(2023版)").
 */
static bool
ForeignId18(const CleanNumber *c, DocProblem *p)
{
	const char *s = c->text;
	int			at = FirstNonDigit(c, 0, 17);
	int			year, month, day;
	char		check;

	if (at < 0 && s[17] != 'X' && !isdigit((unsigned char) s[17]))
		at = 17;
	if (at >= 0)
	{
		p->detail = psprintf("%s, but an 18-character foreign permanent "
							 "resident ID has digits only, and X as the "
							 "check character.",
							 CharAt(c, at, 1));
		return false;
	}
	if (s[0] != '9')
	{
		p->detail =
			psprintf(_Q("The number starts with %c, but an 18-character "
						"foreign permanent resident ID starts with 9."),
					 s[0]);
		return false;
	}
	if (!CnidProvinceKnown(Digits(s + 1, 2)))
	{
		p->detail = psprintf(_Q("Digits 2 and 3 are %.2s, which is not a "
								"province-level code of the issuing office."),
							 s + 1);
		return false;
	}
	year = Digits(s + 6, 4);
	month = Digits(s + 10, 2);
	day = Digits(s + 12, 2);
	if (!CnidDateExists(year, month, day) || year < 1800)
	{
		p->detail =
			psprintf(_Q("The birth date %.4s-%.2s-%.2s (digits 7 to 14) "
						"does not exist."),
					 s + 6, s + 10, s + 12);
		return false;
	}
	if (CnidBirthDateInFuture(date2j(year, month, day) - POSTGRES_EPOCH_JDATE))
	{
		p->detail =
			psprintf(_Q("The birth date %.4s-%.2s-%.2s (digits 7 to 14) "
						"is in the future."),
					 s + 6, s + 10, s + 12);
		return false;
	}
	check = Iso7064Mod11_2(s);
	if (check != s[17])
	{
		p->detail =
			psprintf(_Q("The check character is \"%c\", but the first 17 "
						"digits require \"%c\"."),
					 s[17], check);
		p->hint = pstrdup(_Q("Look for a mistyped digit: the check character "
							 "(ISO 7064 MOD 11-2) catches any single wrong "
							 "digit."));
		return false;
	}
	return true;
}

/*
 * foreign_permanent_id, 2004 card: nationality, ISO 3166 alpha-3 (3) |
 * issuing region (4) | birth date YYMMDD | 1 digit | check digit over the
 * first 14 characters with the ICAO 9303 weights 7,3,1 (the reading of
 * howardli/CredentialKit, whose vectors are in test/data).
 */
static bool
ForeignId15(const CleanNumber *c, DocProblem *p)
{
	const char *s = c->text;
	int			at = -1;
	int			year, month, day;
	int			check;

	for (int i = 0; i < 3 && at < 0; i++)
		if (!(s[i] >= 'A' && s[i] <= 'Z'))
			at = i;
	if (at >= 0)
	{
		p->detail = psprintf("%s, but a 15-character foreign permanent "
							 "resident ID starts with 3 letters.",
							 CharAt(c, at, 1));
		return false;
	}
	at = FirstNonDigit(c, 3, 15);
	if (at >= 0)
	{
		p->detail =
			psprintf("%s, but the 3 letters of a 15-character foreign "
					 "permanent resident ID are followed by 12 digits.",
					 CharAt(c, at, 1));
		return false;
	}
	if (!CnidProvinceKnown(Digits(s + 3, 2)))
	{
		p->detail = psprintf(_Q("Digits 4 and 5 are %.2s, which is not a "
								"province-level code of the issuing office."),
							 s + 3);
		return false;
	}
	year = Digits(s + 7, 2);
	month = Digits(s + 9, 2);
	day = Digits(s + 11, 2);
	/* The century is not written: accept a day of either the 1900s or 2000s. */
	if (!CnidDateExists(1900 + year, month, day) &&
		!CnidDateExists(2000 + year, month, day))
	{
		p->detail = psprintf(_Q("The birth date %.6s (characters 8 to 13, "
								"YYMMDD) does not exist."),
							 s + 7);
		return false;
	}
	check = Icao9303CheckDigit(s, 14);
	if (check != s[14] - '0')
	{
		p->detail = psprintf(_Q("The check digit is %c, but the first 14 "
								"characters require %d."),
							 s[14], check);
		p->hint =
			pstrdup(_Q("Look for a mistyped character: the last digit is "
					   "an ICAO 9303 check digit (weights 7, 3, 1)."));
		return false;
	}
	return true;
}

/* foreign_permanent_id: either card. */
static char *
ForeignPermanentId(const CleanNumber *c, DocProblem *p)
{
	bool ok;

	if (c->len == 18)
		ok = ForeignId18(c, p);
	else if (c->len == 15)
		ok = ForeignId15(c, p);
	else
	{
		p->detail = psprintf(_Q("A foreign permanent resident ID has 18 or 15 "
								"characters, but this one has %d."),
							 c->len);
		ok = false;
	}
	if (!ok && p->hint == NULL)
		p->hint = pstrdup(fpid_hint);
	return ok ? pstrdup(c->text) : NULL;
}

/*
 * hk_macao_permit (回乡证): H (Hong Kong) or M (Macao), the 8-digit lifetime
 * number and, on cards before 2013, a 2-digit renewal count (MPS Exit-Entry
 * Administration, 2010-03-10; test/data/doc_format_rules.md).
 */
static char *
HkMacaoPermit(const CleanNumber *c, DocProblem *p)
{
	int at;

	p->hint =
		pstrdup(_Q("Enter H or M and the 8 digits of the lifetime number, "
				   "with the 2-digit renewal count where the card has it."));
	if (c->len != 9 && c->len != 11)
	{
		p->detail =
			psprintf(_Q("Numbers of kind hk_macao_permit have 9 or 11 "
						"characters (H or M and 8 or 10 digits), but this "
						"one has %d."),
					 c->len);
		return NULL;
	}
	if (c->text[0] != 'H' && c->text[0] != 'M')
	{
		p->detail = psprintf("%s, but numbers of kind hk_macao_permit start "
							 "with H (Hong Kong) or M (Macao).",
							 CharAt(c, 0, 1));
		return NULL;
	}
	at = FirstNonDigit(c, 1, c->len);
	if (at >= 0)
	{
		p->detail = psprintf("%s, but only digits follow the %c.",
							 CharAt(c, at, 1), c->text[0]);
		return NULL;
	}
	return pstrdup(c->text);
}

/*
 * taiwan_permit (台胞证): the 8-digit lifetime number of the 2015 card, or
 * 10 digits where a system appends the 2-digit renewal count.
 */
static char *
TaiwanPermit(const CleanNumber *c, DocProblem *p)
{
	int at;

	p->hint = pstrdup(_Q("Enter the 8 digits of the lifetime number, with the "
						 "2-digit renewal count where the card has it."));
	if (c->len != 8 && c->len != 10)
	{
		p->detail = psprintf(_Q("Numbers of kind taiwan_permit have 8 or 10 "
								"digits, but this one has %d characters."),
							 c->len);
		return NULL;
	}
	at = FirstNonDigit(c, 0, c->len);
	if (at >= 0)
	{
		p->detail = psprintf("%s, but numbers of kind taiwan_permit have "
							 "digits only.",
							 CharAt(c, at, 1));
		return NULL;
	}
	return pstrdup(c->text);
}

/*
 * passport: 5 to 17 letters and digits.  The issuing state is not known
 * here, so no state's own pattern is imposed (ICAO 9303 allows up to 9
 * characters in the MRZ field, more with the optional-data extension).
 */
static char *
Passport(const CleanNumber *c, DocProblem *p)
{
	if (c->len < 5 || c->len > 17)
	{
		p->detail = psprintf(_Q("A passport number has 5 to 17 letters and "
								"digits, but this one has %d."),
							 c->len);
		p->hint =
			pstrdup(_Q("Enter the number printed on the data page, without "
					   "the nationality or any check digit."));
		return NULL;
	}
	return pstrdup(c->text);
}

/* local_code and other: 1 to DOC_MAX_FREE_LEN letters and digits. */
static char *
FreeNumber(const char *kind, const CleanNumber *c, DocProblem *p)
{
	if (c->len > DOC_MAX_FREE_LEN)
	{
		p->detail =
			psprintf(_Q("Numbers of kind %s have at most %d letters and "
						"digits, but this one has %d."),
					 kind, DOC_MAX_FREE_LEN, c->len);
		p->hint =
			pstrdup(_Q("Enter the number without any comment; notes belong "
					   "in a note column."));
		return NULL;
	}
	return pstrdup(c->text);
}

/* ---------- C API and SQL ---------- */

/*
 * Canonical form of a document number of a kind; 22P02 with the kind in the
 * message when the number is malformed.
 */
char *
NormalizeDoc(DocKind kind, const char *number)
{
	const char *kname = EnumLabelName(QE_DOC_KIND, kind);
	CleanNumber c;
	DocProblem	p = {NULL, NULL};
	char	   *result = NULL;

	/* Far beyond any document, even spaced out; bounds the work below. */
	if (strlen(number) > DOC_MAX_INPUT_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s number: \"%.*s...\"", kname,
						pg_mbcliplen(number, strlen(number), 40), number),
				 errdetail("The text is %zu bytes long, more than the %d read "
						   "as a document number.",
						   strlen(number), DOC_MAX_INPUT_LEN),
				 errhint("Enter the number alone.")));

	CleanDocNumber(number, &c);
	if (c.len == 0)
	{
		p.detail =
			pstrdup(_Q("The number is empty once blanks and hyphens are "
					   "removed."));
		p.hint = pstrdup(_Q("Enter the number as printed on the document; a "
							"person without a document gets a local_code."));
	}
	else if (c.bad >= 0 && kind != DOC_RESIDENT_ID)
	{
		p.detail = psprintf("%s, which is not a letter or digit.",
							CharAt(&c, c.bad, c.badlen));
		p.hint =
			pstrdup(_Q("Document numbers contain letters and digits only; "
					   "blanks and hyphens are ignored."));
	}
	else if (c.bad >= 0)
	{
		/* The cnid rules name the character, whatever the length. */
		p.detail = psprintf("%s, but a resident identity number has digits "
							"only, and X as the check character.",
							CharAt(&c, c.bad, c.badlen));
		p.hint =
			pstrdup(_Q("Enter the 17 digits and the check character, or a "
					   "15-digit legacy number."));
	}
	else
	{
		switch (kind)
		{
			case DOC_RESIDENT_ID:
				result = ResidentId(&c, &p);
				break;
			case DOC_FOREIGN_PERMANENT_ID:
				result = ForeignPermanentId(&c, &p);
				break;
			case DOC_HK_MACAO_PERMIT:
				result = HkMacaoPermit(&c, &p);
				break;
			case DOC_TAIWAN_PERMIT:
				result = TaiwanPermit(&c, &p);
				break;
			case DOC_PASSPORT:
				result = Passport(&c, &p);
				break;
			case DOC_LOCAL_CODE:
			case DOC_OTHER:
				result = FreeNumber(kname, &c, &p);
				break;
			default:
				elog(ERROR, "unknown document kind %d", (int) kind);
		}
	}
	if (result == NULL)
		ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						errmsg("invalid %s number: \"%s\"", kname, number),
						p.detail ? errdetail_internal("%s", p.detail) : 0,
						p.hint ? errhint("%s", p.hint) : 0));
	return result;
}

PG_FUNCTION_INFO_V1(docs_normalize);

/* normalize_doc(kind doc_kind, number text) → text */
Datum
docs_normalize(PG_FUNCTION_ARGS)
{
	DocKind kind = (DocKind) EnumLabelIndex(QE_DOC_KIND, PG_GETARG_OID(0));
	char   *number = text_to_cstring(PG_GETARG_TEXT_PP(1));

	PG_RETURN_TEXT_P(cstring_to_text(NormalizeDoc(kind, number)));
}
