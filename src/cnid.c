/*
 * cnid.c
 *		The cnid type: a PRC resident identity number (GB 11643-1999).
 *
 * A number has 18 characters: a 6-digit address code, an 8-digit birth date
 * YYYYMMDD, a 3-digit sequence code (odd for men) and an ISO 7064 MOD 11-2
 * check character.  Legacy cards (before 1999) carry 15 digits: the year has
 * 2 digits and there is no check character; they are upgraded on input.
 *
 * The value is stored as the 17-digit body in an int8.  The check character
 * is derived from the body, and every body has exactly 17 digits (the
 * province code never starts with 0), so ordering bodies as integers orders
 * the canonical text.  Comparison and hashing reuse the int8 functions.
 *
 * Validation checks the province-level prefix only: county-level codes
 * change over time (GB/T 2260) and numbers issued under old codes stay valid.
 */
#include "quarantine.h"

#include "access/xact.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "pg_compat.h"

/* Birth years before this are taken for typing errors, not for people. */
#define CNID_MIN_YEAR 1800

#define CNID_BODY_MIN INT64CONST(10000000000000000) /* 10^16 */
#define CNID_BODY_MAX INT64CONST(99999999999999999) /* 10^17 - 1 */

/* What is wrong with an input, with the values its DETAIL names. */
typedef enum CnidProblem
{
	CNID_OK,
	CNID_BAD_LENGTH,
	CNID_BAD_CHAR,
	CNID_BAD_PROVINCE,
	CNID_BAD_DATE,
	CNID_EARLY_DATE,
	CNID_FUTURE_DATE,
	CNID_BAD_CHECK
} CnidProblem;

typedef struct CnidScan
{
	CnidProblem problem;
	bool		legacy;	  /* input had 15 digits */
	int			length;	  /* characters after trimming */
	int			position; /* 1-based character position of a bad char */
	char		bad[8];	  /* that character (possibly multibyte) */
	int			province; /* first two digits */
	int			year;
	int			month;
	int			day;
	char		found;	  /* check character given */
	char		expected; /* check character computed */
} CnidScan;

/* ---------- check characters ---------- */

/*
 * ISO 7064 MOD 11-2 check character of 17 digits, as GB 11643-1999 §5.2
 * defines it: weight of position i (counted from the right, the check
 * character being position 1) is 2^(i-1) mod 11, which read left to right
 * is 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2; the check character is the one
 * that makes the weighted sum congruent to 1 mod 11, i.e. "10X98765432"
 * indexed by sum mod 11.  The same check closes the 2023 foreign permanent
 * resident ID (docs.c).
 */
char
Iso7064Mod11_2(const char *digits)
{
	static const int weights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
									3, 7, 9,  10, 5, 8, 4, 2};
	int				 sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (digits[i] - '0') * weights[i];
	return "10X98765432"[sum % 11];
}

/* The 17 digits of a body, as text (buf of 18 bytes). */
static void
BodyDigits(Cnid id, char *buf)
{
	if (id < CNID_BODY_MIN || id > CNID_BODY_MAX)
		elog(ERROR, "cnid body %lld out of range", (long long) id);
	for (int i = 16; i >= 0; i--)
	{
		buf[i] = '0' + (char) (id % 10);
		id /= 10;
	}
	buf[17] = '\0';
}

/* ---------- the parts of a number ---------- */

/*
 * Province-level codes of GB/T 2260, the first two digits of an address code
 * (doc/identity.md): 11-15 north, 21-23 north-east, 31-37 east, 41-46
 * south-central, 50-54 south-west, 61-65 north-west, 71 Taiwan, 81 Hong Kong,
 * 82 Macao, and 83, used by the residence permits of Taiwan residents.
 */
bool
CnidProvinceKnown(int code)
{
	return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) ||
		   (code >= 31 && code <= 37) || (code >= 41 && code <= 46) ||
		   (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
		   code == 71 || code == 81 || code == 82 || code == 83;
}

/* Whether year-month-day is a day of the Gregorian calendar. */
bool
CnidDateExists(int year, int month, int day)
{
	return month >= 1 && month <= 12 && day >= 1 &&
		   day <= day_tab[isleap(year) ? 1 : 0][month - 1];
}

/*
 * Whether a birth date lies after today, "today" being the local date in
 * quarantine.timezone at the start of the transaction, so that one statement
 * accepts or rejects a value the same way on every row.  Any zone's date is
 * within a day of the UTC date, so the zone is looked up only for dates near
 * today.
 */
bool
CnidBirthDateInFuture(DateADT birth)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	DateADT		utc_today = (DateADT) (now / USECS_PER_DAY);

	if (birth < utc_today)
		return false;
	return birth > LocalDateOf(now);
}

/* Length in characters of len bytes; the input is valid in the encoding. */
static int
CharCount(const char *s, int len)
{
	/* Numbers are ASCII: count multibyte characters only when there are any. */
	for (int i = 0; i < len; i++)
		if (IS_HIGHBIT_SET(s[i]))
			return pg_mbstrlen_with_len(s, len);
	return len;
}

/*
 * Scan the characters of a trimmed number of 15 or 18 characters: digits
 * only, except an X (or x) as the 18th.  Records the first bad character.
 */
static bool
ScanChars(const char *s, int len, CnidScan *r)
{
	int enc = GetDatabaseEncoding();
	int pos = 0;

	for (int i = 0; i < len;)
	{
		int mblen =
			IS_HIGHBIT_SET(s[i]) ? pg_encoding_mblen_bounded(enc, s + i) : 1;

		if (mblen < 1 || mblen > len - i)
			mblen = len - i;
		pos++;
		if (!(mblen == 1 && (isdigit((unsigned char) s[i]) ||
							 (pos == 18 && (s[i] == 'X' || s[i] == 'x')))))
		{
			r->problem = CNID_BAD_CHAR;
			r->position = pos;
			memcpy(r->bad, s + i, Min(mblen, (int) sizeof(r->bad) - 1));
			r->bad[Min(mblen, (int) sizeof(r->bad) - 1)] = '\0';
			return false;
		}
		i += mblen;
	}
	return true;
}

/*
 * Parse a number into its body, without raising: r says what is wrong.
 * Checks in the order a reader of the number would: its shape, then the
 * province, the birth date and finally the check character (a typing error
 * in the date also breaks the check character; naming the date is more
 * useful).
 */
static bool
ScanCnid(const char *str, Cnid *result, CnidScan *r)
{
	const char *s = str;
	int			len;
	char		body[18];
	int64		value = 0;

	memset(r, 0, sizeof(*r));

	/* Surrounding blanks are ignored (doc/identity.md). */
	while (*s && isspace((unsigned char) *s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;

	r->length = CharCount(s, len);
	if (r->length != 18 && r->length != 15)
	{
		r->problem = CNID_BAD_LENGTH;
		return false;
	}
	if (!ScanChars(s, len, r))
		return false;
	/* All characters are single bytes from here on. */

	if (len == 15)
	{
		/* GB 11643-1999 §6: the upgrade inserts the century 19. */
		r->legacy = true;
		memcpy(body, s, 6);
		body[6] = '1';
		body[7] = '9';
		memcpy(body + 8, s + 6, 9);
	}
	else
		memcpy(body, s, 17);
	body[17] = '\0';

	r->province = (body[0] - '0') * 10 + (body[1] - '0');
	if (!CnidProvinceKnown(r->province))
	{
		r->problem = CNID_BAD_PROVINCE;
		return false;
	}

	r->year = (body[6] - '0') * 1000 + (body[7] - '0') * 100 +
			  (body[8] - '0') * 10 + (body[9] - '0');
	r->month = (body[10] - '0') * 10 + (body[11] - '0');
	r->day = (body[12] - '0') * 10 + (body[13] - '0');
	if (!CnidDateExists(r->year, r->month, r->day))
	{
		r->problem = CNID_BAD_DATE;
		return false;
	}
	if (r->year < CNID_MIN_YEAR)
	{
		r->problem = CNID_EARLY_DATE;
		return false;
	}
	if (CnidBirthDateInFuture(date2j(r->year, r->month, r->day) -
							  POSTGRES_EPOCH_JDATE))
	{
		r->problem = CNID_FUTURE_DATE;
		return false;
	}

	r->expected = Iso7064Mod11_2(body);
	if (!r->legacy)
	{
		r->found = pg_ascii_toupper((unsigned char) s[17]);
		if (r->found != r->expected)
		{
			r->problem = CNID_BAD_CHECK;
			return false;
		}
	}

	for (int i = 0; i < 17; i++)
		value = value * 10 + (body[i] - '0');
	*result = value;
	return true;
}

/* The DETAIL and HINT of a problem, palloc'd. */
static void
DescribeProblem(const CnidScan *r, char **detail, char **hint)
{
	char *d = NULL;
	char *h = NULL;

	switch (r->problem)
	{
		case CNID_OK:
			break;
		case CNID_BAD_LENGTH:
			d = psprintf(
				_Q("A resident identity number has 18 characters, or 15 "
				   "digits in the legacy form, but this one has %d."),
				r->length);
			h = pstrdup(
				_Q("Enter the 17 digits and the check character printed "
				   "on the card, or a 15-digit legacy number."));
			break;
		case CNID_BAD_CHAR:
			if (r->position == 18)
				d = psprintf(
					_Q("Character 18 is \"%s\", but the check character "
					   "must be a digit or X."),
					r->bad);
			else if (r->length == 15)
				d = psprintf(_Q("Character %d is \"%s\", but a 15-character "
								"legacy number has digits only."),
							 r->position, r->bad);
			else
				d = psprintf(_Q("Character %d is \"%s\", but the first 17 "
								"characters must be digits."),
							 r->position, r->bad);
			h = pstrdup(_Q("Only digits may appear, and X (or x) as the check "
						   "character at the end of an 18-character number."));
			break;
		case CNID_BAD_PROVINCE:
			d = psprintf(_Q("The number starts with %02d, which is not a "
							"province-level code."),
						 r->province);
			h = pstrdup(_Q("The first two digits must be 11-15, 21-23, 31-37, "
						   "41-46, 50-54, 61-65, 71, 81, 82 or 83."));
			break;
		case CNID_BAD_DATE:
			d = psprintf(_Q("The birth date %04d-%02d-%02d does not exist."),
						 r->year, r->month, r->day);
			break;
		case CNID_EARLY_DATE:
			d = psprintf(_Q("The birth date %04d-%02d-%02d is before %d."),
						 r->year, r->month, r->day, CNID_MIN_YEAR);
			break;
		case CNID_FUTURE_DATE:
			d = psprintf(_Q("The birth date %04d-%02d-%02d is in the future."),
						 r->year, r->month, r->day);
			break;
		case CNID_BAD_CHECK:
			d = psprintf(_Q("The check character is \"%c\", but the first 17 "
							"digits require \"%c\"."),
						 r->found, r->expected);
			h = pstrdup(
				_Q("Look for a mistyped digit: the check character (ISO "
				   "7064 MOD 11-2) catches any single wrong digit."));
			break;
	}
	if (r->problem == CNID_BAD_DATE || r->problem == CNID_EARLY_DATE ||
		r->problem == CNID_FUTURE_DATE)
		h = pstrdup(r->legacy
						? "Digits 7 to 12 of a 15-digit number are the birth "
						  "date as YYMMDD, in the 1900s."
						: "Digits 7 to 14 are the birth date as YYYYMMDD.");
	if (detail)
		*detail = d;
	if (hint)
		*hint = h;
}

/* ---------- C API (quarantine.h) ---------- */

static bool CnidParseSafe(const char *str, Cnid *result, Node *escontext);

/*
 * Parse an 18- or 15-character number.  On error raise 22P02 when raise,
 * else return false.
 */
bool
CnidParse(const char *str, Cnid *result, bool raise)
{
	CnidScan r;

	if (raise)
		return CnidParseSafe(str, result, NULL);
	return ScanCnid(str, result, &r);
}

/*
 * Parse, reporting a malformed number through escontext (doc/platforms.md,
 * soft input errors): raised when escontext is NULL, else saved there and
 * false returned.
 */
static bool
CnidParseSafe(const char *str, Cnid *result, Node *escontext)
{
	CnidScan r;
	char	*detail;
	char	*hint;

	if (ScanCnid(str, result, &r))
		return true;
	DescribeProblem(&r, &detail, &hint);
	errsave(escontext, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			errmsg("invalid input syntax for type %s: \"%s\"", "cnid", str),
			errdetail_internal("%s", detail), hint ? errhint("%s", hint) : 0);
	return false;
}

/*
 * Parse like CnidParse without raising; when the number is invalid, return
 * false and, where the pointers are not NULL, a palloc'd DETAIL and HINT
 * (for callers that raise their own message, such as normalize_doc).
 */
bool
CnidCheck(const char *str, Cnid *result, char **detail, char **hint)
{
	CnidScan r;

	if (ScanCnid(str, result, &r))
		return true;
	DescribeProblem(&r, detail, hint);
	return false;
}

/* The canonical 18 characters (buf of CNID_TEXT_LEN + 1 bytes). */
void
CnidFormat(Cnid id, char *buf)
{
	BodyDigits(id, buf);
	buf[17] = Iso7064Mod11_2(buf);
	buf[18] = '\0';
}

/* The birth date, digits 7 to 14 of the body. */
DateADT
CnidBirthDate(Cnid id)
{
	int ymd = (int) ((id / 1000) % 100000000);

	return date2j(ymd / 10000, (ymd / 100) % 100, ymd % 100) -
		   POSTGRES_EPOCH_JDATE;
}

/* 'M' when the 17th digit (last of the sequence code) is odd, else 'F'. */
char
CnidSex(Cnid id)
{
	return (id % 2) ? 'M' : 'F';
}

/* ---------- SQL-callable functions ---------- */

PG_FUNCTION_INFO_V1(cnid_in);
PG_FUNCTION_INFO_V1(cnid_out);
PG_FUNCTION_INFO_V1(cnid_recv);
PG_FUNCTION_INFO_V1(cnid_send);
PG_FUNCTION_INFO_V1(cnid_to_cnid);
PG_FUNCTION_INFO_V1(cnid_is_valid);
PG_FUNCTION_INFO_V1(cnid_birth_date);
PG_FUNCTION_INFO_V1(cnid_sex);
PG_FUNCTION_INFO_V1(cnid_region_code);
PG_FUNCTION_INFO_V1(cnid_mask);

/* Text input: 18 characters or a legacy 15-digit number. */
Datum
cnid_in(PG_FUNCTION_ARGS)
{
	char *str = PG_GETARG_CSTRING(0);
	Cnid  result;

	if (!CnidParseSafe(str, &result, fcinfo->context))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(CnidGetDatum(result));
}

/* Text output: the canonical 18 characters. */
Datum
cnid_out(PG_FUNCTION_ARGS)
{
	Cnid  id = DatumGetCnid(PG_GETARG_DATUM(0));
	char *buf = palloc(CNID_TEXT_LEN + 1);

	CnidFormat(id, buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary input: the body as int8.  Runs exactly the validation of text input
 * (the canonical text of the body goes through the same parser), so no
 * client can store a number that cnid_in would refuse.
 */
Datum
cnid_recv(PG_FUNCTION_ARGS)
{
	StringInfo buf = (StringInfo) PG_GETARG_POINTER(0);
	int64	   body = pq_getmsgint64(buf);
	char	   text[CNID_TEXT_LEN + 1];
	Cnid	   result;

	if (body < CNID_BODY_MIN || body > CNID_BODY_MAX)
		ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						errmsg("invalid external cnid value"),
						errdetail("The body %lld does not have 17 digits.",
								  (long long) body)));
	CnidFormat(body, text);
	CnidParse(text, &result, true);
	PG_RETURN_DATUM(CnidGetDatum(result));
}

/* Binary output: the body as int8. */
Datum
cnid_send(PG_FUNCTION_ARGS)
{
	Cnid		   id = DatumGetCnid(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, id);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* to_cnid(text): the cnid of a text, 22P02 when invalid. */
Datum
cnid_to_cnid(PG_FUNCTION_ARGS)
{
	char *str = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Cnid  result;

	CnidParse(str, &result, true);
	PG_RETURN_DATUM(CnidGetDatum(result));
}

/* Whether text is a valid number; never raises. */
Datum
cnid_is_valid(PG_FUNCTION_ARGS)
{
	char *str = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Cnid  result;

	PG_RETURN_BOOL(CnidParse(str, &result, false));
}

/* birth_date(cnid): digits 7 to 14. */
Datum
cnid_birth_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(CnidBirthDate(DatumGetCnid(PG_GETARG_DATUM(0))));
}

/* sex(cnid): M or F from the parity of the 17th digit (GB 11643-1999 §4.3). */
Datum
cnid_sex(PG_FUNCTION_ARGS)
{
	char c = CnidSex(DatumGetCnid(PG_GETARG_DATUM(0)));

	PG_RETURN_TEXT_P(cstring_to_text_with_len(&c, 1));
}

/* region_code(cnid): the 6-digit address code. */
Datum
cnid_region_code(PG_FUNCTION_ARGS)
{
	char buf[18];

	BodyDigits(DatumGetCnid(PG_GETARG_DATUM(0)), buf);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf, 6));
}

/*
 * mask(cnid): the first 6 and last 4 characters shown, the 8 between (the
 * birth date) hidden, as the national plan asks for personal data to be
 * protected.
 */
Datum
cnid_mask(PG_FUNCTION_ARGS)
{
	char buf[CNID_TEXT_LEN + 1];

	CnidFormat(DatumGetCnid(PG_GETARG_DATUM(0)), buf);
	memset(buf + 6, '*', 8);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf, CNID_TEXT_LEN));
}
