/*
 * mask.c
 *		Masked documents, names and phones for analysts (doc/security.md, the
 *		national plan: the inbound-person database is built with personal
 *		privacy protected). What is kept is enough to tell two rows apart on a
 *		screen and never enough to find the person: a resident ID keeps its
 *		region and its last four characters (as mask(cnid) does), other
 *		documents their first and last two characters, a name its first
 *		character and the first of each further word of two or more, a
 *		phone its first three and last two digits.  They work on
 *		characters, never bytes, and read full-width digits as digits.
 */
#include "rules/rules.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(mask_doc);
PG_FUNCTION_INFO_V1(mask_name);
PG_FUNCTION_INFO_V1(mask_phone);

/*
 * The characters of a text as code points (the database is UTF-8),
 * so that a mask never cuts a character in two.
 */
static pg_wchar *
Chars(text *t, int *n)
{
	int		  len = VARSIZE_ANY_EXHDR(t);
	pg_wchar *w = palloc((len + 1) * sizeof(pg_wchar));

	*n = pg_mb2wchar_with_len(VARDATA_ANY(t), w, len);
	return w;
}

/* Append one code point to out in the database encoding. */
static void
AppendChar(StringInfo out, pg_wchar c)
{
	unsigned char buf[8];
	int			  len = pg_wchar2mb_with_len(&c, (char *) buf, 1);

	appendBinaryStringInfo(out, (char *) buf, len);
}

/* A blank between words: ASCII white space, NBSP, U+3000, BOM. */
static bool
IsBlank(pg_wchar c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || c == 0x3000 ||
		   c == 0xFEFF;
}

/* Full-width ASCII forms (U+FF01-U+FF5E) and U+3000 as ASCII, others kept. */
static pg_wchar
NarrowForm(pg_wchar c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		return c - 0xFEE0;
	if (c == 0x3000)
		return ' ';
	return c;
}

/*
 * The first keep_head and last keep_tail characters of a text, '*' for each
 * character between; all '*' when it has no more characters than it keeps.
 */
static text *
MaskMiddle(text *t, int keep_head, int keep_tail)
{
	int			   n;
	pg_wchar	  *c = Chars(t, &n);
	StringInfoData out;

	if (keep_head + keep_tail >= n)
		keep_head = keep_tail = 0; /* too short: hide all of it */
	initStringInfo(&out);
	for (int i = 0; i < n; i++)
	{
		if (i < keep_head || i >= n - keep_tail)
			AppendChar(&out, c[i]);
		else
			appendStringInfoChar(&out, '*');
	}
	return cstring_to_text_with_len(out.data, out.len);
}

/* mask_doc(kind, number): the number with its middle hidden. */
Datum
mask_doc(PG_FUNCTION_ARGS)
{
	Oid	  kind = PG_GETARG_OID(0);
	text *number = PG_GETARG_TEXT_PP(1);

	/* Characters, not bytes: an 'other' document may be written in any. */
	if (EnumLabelIndex(QE_DOC_KIND, kind) == DOC_RESIDENT_ID)
		PG_RETURN_TEXT_P(MaskMiddle(number, 6, 4));
	PG_RETURN_TEXT_P(MaskMiddle(number, 2, 2));
}

/*
 * mask_name(name): the first character of the name and of each further word
 * of two or more characters, '*' for every other character, blanks shown as
 * one space.  A name written with blanks between its characters ('陈 伟')
 * therefore keeps only its first character, as '陈伟' does.
 */
Datum
mask_name(PG_FUNCTION_ARGS)
{
	int			   n;
	pg_wchar	  *c = Chars(PG_GETARG_TEXT_PP(0), &n);
	StringInfoData out;
	bool		   first = true;

	initStringInfo(&out);
	for (int i = 0; i < n;)
	{
		int end = i;

		if (IsBlank(c[i]))
		{
			appendStringInfoChar(&out, ' ');
			i++;
			continue;
		}
		while (end < n && !IsBlank(c[end]))
			end++;
		/* a word [i, end) */
		for (int k = i; k < end; k++)
		{
			if (k == i && (first || end - i >= 2))
				AppendChar(&out, c[k]);
			else
				appendStringInfoChar(&out, '*');
		}
		first = false;
		i = end;
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/* Characters a phone is written with that are never part of the number. */
static bool
IsPhoneSeparator(pg_wchar c)
{
	return c == ' ' || c == '+' || c == '-' || c == '(' || c == ')' ||
		   c == '.' || c == '/';
}

/*
 * mask_phone(phone): full-width forms read as ASCII, then every character
 * but the separators (blanks, + - ( ) . /) counts as a digit: the first 3 and
 * the last 2 are shown, the others hidden, and all of them when there are 5
 * or fewer.  Digits of any script, letters and anything else are hidden
 * alike, so no way of writing a number shows it whole.
 */
Datum
mask_phone(PG_FUNCTION_ARGS)
{
	int			   n;
	pg_wchar	  *c = Chars(PG_GETARG_TEXT_PP(0), &n);
	StringInfoData out;
	int			   ndigits = 0;
	int			   seen = 0;

	for (int i = 0; i < n; i++)
	{
		c[i] = NarrowForm(c[i]);
		if (!IsPhoneSeparator(c[i]))
			ndigits++;
	}
	initStringInfo(&out);
	for (int i = 0; i < n; i++)
	{
		if (IsPhoneSeparator(c[i]))
			AppendChar(&out, c[i]);
		else
		{
			if (ndigits <= 5 || (seen >= 3 && seen < ndigits - 2))
				appendStringInfoChar(&out, '*');
			else
				AppendChar(&out, c[i]);
			seen++;
		}
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}
