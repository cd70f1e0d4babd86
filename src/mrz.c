/*
 * mrz.c
 *		mrz_parse(text): the machine-readable zone of a passport (ICAO 9303
 *		part 4, TD3: two lines of 44 characters) and its check digits.
 *
 * Charter-flight lists carry passport numbers as the document number (seed
 * 003); reading the MRZ instead of retyping the data page avoids typing
 * errors.  Every check digit is verified (ICAO 9303-3 §4.9, weights 7, 3, 1).
 */
#include "quarantine.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#define TD3_LINE 44
#define TD3_LEN	 (2 * TD3_LINE)

#define MRZ_NATTS 10

/* Raise 22P02 for the MRZ text with a DETAIL. */
static void
pg_attribute_noreturn()
	MrzError(const char *input, const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid machine-readable zone: \"%s\"", input),
			 errdetail_internal("%s", detail),
			 errhint("%s", hint ? hint
								: "Scan or type both lines of the zone at "
								  "the foot of the passport data page.")));
}

/* Characters [from, from+len) without the trailing fillers, '<' as blank. */
static char *
MrzField(const char *s, int len)
{
	char *out = pnstrdup(s, len);
	int	  n = len;

	while (n > 0 && out[n - 1] == '<')
		n--;
	out[n] = '\0';
	for (int i = 0; i < n; i++)
		if (out[i] == '<')
			out[i] = ' ';
	return out;
}

/* Verify one check digit (ICAO 9303-3 §4.9) or raise naming the field. */
static void
CheckField(const char *input, const char *mrz, int from, int len, int at,
		   const char *what, bool filler_ok)
{
	int	 expected = Icao9303CheckDigit(mrz + from, len);
	char given = mrz[at];

	/* An empty optional-data field may carry a filler as check digit. */
	if (filler_ok && given == '<')
	{
		for (int i = from; i < from + len; i++)
			if (mrz[i] != '<')
				MrzError(input,
						 psprintf(_Q("The check digit of the %s is <, but the "
									 "field is not empty."),
								  what),
						 NULL);
		return;
	}
	if (given - '0' != expected)
		MrzError(
			input,
			psprintf(_Q("The check digit of the %s (line 2, character %d) "
						"is %c, but the field gives %d."),
					 what, at + 1, given, expected),
			"Look for a misread character: each field of the zone "
			"carries an ICAO 9303 check digit (weights 7, 3, 1).");
}

/*
 * A YYMMDD date of the zone.  The century is not written: a birth date is
 * the latest one not after today; an expiry date is in 20YY unless that is
 * more than 50 years ahead.
 */
static DateADT
MrzDate(const char *input, const char *s, int at, const char *what, bool birth)
{
	int		yy, mm, dd, year;
	DateADT today = LocalDateOf(GetCurrentTransactionStartTimestamp());
	int		ty, tm, td;

	for (int i = 0; i < 6; i++)
		if (!isdigit((unsigned char) s[at + i]))
			MrzError(
				input,
				psprintf(_Q("The %s \"%.6s\" (line 2, characters %d to %d) "
							"is not a date YYMMDD."),
						 what, s + at, at + 1, at + 6),
				NULL);
	yy = (s[at] - '0') * 10 + (s[at + 1] - '0');
	mm = (s[at + 2] - '0') * 10 + (s[at + 3] - '0');
	dd = (s[at + 4] - '0') * 10 + (s[at + 5] - '0');
	j2date(today + POSTGRES_EPOCH_JDATE, &ty, &tm, &td);
	if (birth)
	{
		year = 2000 + yy;
		if (year > ty || (year == ty && (mm > tm || (mm == tm && dd > td))))
			year -= 100;
	}
	else
	{
		year = 2000 + yy;
		if (year > ty + 50)
			year -= 100;
	}
	if (!CnidDateExists(year, mm, dd))
		MrzError(
			input,
			psprintf(_Q("The %s %.6s (YYMMDD) does not exist."), what, s + at),
			NULL);
	return date2j(year, mm, dd) - POSTGRES_EPOCH_JDATE;
}

/* A country code field: 3 characters A-Z or '<' (ICAO 9303-3 §5). */
static char *
MrzCountry(const char *input, const char *s, int at, const char *what)
{
	for (int i = at; i < at + 3; i++)
		if (!(s[i] == '<' || (s[i] >= 'A' && s[i] <= 'Z')))
			MrzError(
				input,
				psprintf(_Q("The %s \"%.3s\" is not a three-letter code."),
						 what, s + at),
				NULL);
	if (s[at] == '<')
		MrzError(input,
				 psprintf(_Q("The %s \"%.3s\" is empty."), what, s + at),
				 NULL);
	return MrzField(s + at, 3);
}

PG_FUNCTION_INFO_V1(mrz_parse);
PG_FUNCTION_INFO_V1(mrz_check_digit);

/*
 * mrz_parse(mrz text): the fields of a TD3 passport zone, both lines given
 * one after the other (a line break between them and surrounding blanks are
 * ignored).
 */
Datum
mrz_parse(PG_FUNCTION_ARGS)
{
	char	   *input = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char		mrz[TD3_LEN + 1];
	int			n = 0;
	int			nchars = 0;
	const char *l1, *l2;
	const char *name;
	const char *gap;
	TupleDesc	tupdesc;
	Datum		values[MRZ_NATTS];
	bool		nulls[MRZ_NATTS] = {0};
	char	   *given;
	int			enc = GetDatabaseEncoding();
	int			inlen = strlen(input);
	int			start = 0, end = inlen;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	while (start < end && isspace((unsigned char) input[start]))
		start++;
	while (end > start && isspace((unsigned char) input[end - 1]))
		end--;

	/* Collect the characters, dropping line breaks between the lines. */
	for (int i = start; i < end;)
	{
		int mblen = IS_HIGHBIT_SET(input[i])
						? pg_encoding_mblen_bounded(enc, input + i)
						: 1;

		if (mblen < 1 || mblen > end - i)
			mblen = end - i;
		if (input[i] == '\n' || input[i] == '\r')
		{
			i++;
			continue;
		}
		nchars++;
		if (mblen == 1 &&
			(input[i] == '<' || isdigit((unsigned char) input[i]) ||
			 (input[i] >= 'A' && input[i] <= 'Z')))
		{
			if (n < TD3_LEN)
				mrz[n] = input[i];
			n++;
		}
		else
			MrzError(
				input,
				psprintf(_Q("Character %d is \"%.*s\", but a machine-readable "
							"zone has only A-Z, 0-9 and <."),
						 nchars, mblen, input + i),
				NULL);
		i += mblen;
	}
	if (n != TD3_LEN)
		MrzError(
			input,
			psprintf(_Q("A passport (TD3) zone has 88 characters, 2 lines of "
						"44, but this one has %d%s."),
					 n,
					 n == 90   ? ", the size of a TD1 card"
					 : n == 72 ? ", the size of a TD2 document"
							   : ""),
			"Only passport zones (TD3) are read.");
	mrz[TD3_LEN] = '\0';
	l1 = mrz;
	l2 = mrz + TD3_LINE;

	/* Line 1: document code, issuing state, name (ICAO 9303-4 §4.2.2). */
	if (l1[0] != 'P')
		MrzError(
			input,
			psprintf(_Q("The document code \"%.2s\" does not start with P, "
						"which marks a passport."),
					 l1),
			NULL);
	for (int i = 5; i < TD3_LINE; i++)
		if (isdigit((unsigned char) l1[i]))
			MrzError(
				input,
				psprintf(_Q("Character %d of line 1 is \"%c\", but the name "
							"field has only letters and <."),
						 i + 1, l1[i]),
				NULL);
	name = pnstrdup(l1 + 5, TD3_LINE - 5);
	if (name[0] == '<')
		MrzError(input, "The name field does not start with the surname.",
				 NULL);
	gap = strstr(name, "<<");
	given = gap ? MrzField(gap + 2, strlen(gap + 2)) : pstrdup("");
	/* Given names are separated by one filler; two mean the field ended. */
	if (given[0] == ' ' || strstr(given, "  ") != NULL)
		MrzError(input,
				 psprintf(_Q("The name field \"%s\" goes on after two fillers "
							 "ended the given names."),
						  name),
				 NULL);

	values[0] = CStringGetTextDatum(MrzField(l1, 2));
	values[1] = CStringGetTextDatum(MrzCountry(input, l1, 2, "issuing state"));
	values[2] = CStringGetTextDatum(
		MrzField(name, gap ? (int) (gap - name) : (int) strlen(name)));
	values[3] = CStringGetTextDatum(given);
	nulls[3] = given[0] == '\0';

	/*
	 * Line 2 (ICAO 9303-4 §4.2.2.2): number, nationality, dates, sex,
	 * optional data.  The fields are read before the check digits are
	 * verified, so that an impossible date is named as such.
	 */
	values[4] = CStringGetTextDatum(MrzField(l2, 9));
	values[5] = CStringGetTextDatum(MrzCountry(input, l2, 10, "nationality"));
	values[6] = DateADTGetDatum(MrzDate(input, l2, 13, "birth date", true));
	if (!(l2[20] == 'M' || l2[20] == 'F' || l2[20] == 'X' || l2[20] == '<'))
		MrzError(
			input,
			psprintf(_Q("The sex (line 2, character 21) is \"%c\", but must "
						"be M, F, X or <."),
					 l2[20]),
			NULL);
	if (l2[20] == '<')
		nulls[7] = true;
	else
		values[7] = CStringGetTextDatum(pnstrdup(l2 + 20, 1));
	values[8] = DateADTGetDatum(MrzDate(input, l2, 21, "expiry date", false));
	values[9] = CStringGetTextDatum(MrzField(l2 + 28, 14));
	nulls[9] = VARSIZE_ANY_EXHDR(DatumGetTextPP(values[9])) == 0;

	CheckField(input, l2, 0, 9, 9, "document number", false);
	CheckField(input, l2, 13, 6, 19, "birth date", false);
	CheckField(input, l2, 21, 6, 27, "expiry date", false);
	CheckField(input, l2, 28, 14, 42, "optional data", true);
	{
		/* Composite: number+check, birth+check, expiry to optional+check. */
		char composite[10 + 7 + 22 + 1];
		int	 expected;

		memcpy(composite, l2, 10);
		memcpy(composite + 10, l2 + 13, 7);
		memcpy(composite + 17, l2 + 21, 22);
		expected = Icao9303CheckDigit(composite, 39);
		if (l2[43] - '0' != expected)
			MrzError(
				input,
				psprintf(_Q("The composite check digit (line 2, character "
							"44) is %c, but the zone gives %d."),
						 l2[43], expected),
				"Look for a misread character: the last digit checks "
				"the number, the dates and the optional data together.");
	}

	PG_RETURN_DATUM(
		HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* mrz_check_digit(data text): the ICAO 9303 check digit of MRZ characters. */
Datum
mrz_check_digit(PG_FUNCTION_ARGS)
{
	text *t = PG_GETARG_TEXT_PP(0);
	int	  d = Icao9303CheckDigit(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	if (d < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid machine-readable zone characters: \"%s\"",
						text_to_cstring(t)),
				 errdetail("Only A-Z, 0-9 and < have a value in a check "
						   "digit."),
				 errhint("Remove blanks and line breaks.")));
	PG_RETURN_INT32(d);
}
