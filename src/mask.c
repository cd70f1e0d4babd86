/*
 * mask.c
 *		Masked documents, names and phones for analysts (doc/security.md, the
 *		national plan: the inbound-person database is built with personal
 *		privacy protected). What is kept is enough to tell two rows apart on a
 *		screen and never enough to find the person: a resident ID keeps its
 *		region and its last four characters (as mask(cnid) does), other
 *		documents their first and last two, a name the first character of each
 *		word, a phone its first three and last two digits.
 */
#include "quarantine.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(mask_doc);
PG_FUNCTION_INFO_V1(mask_name);
PG_FUNCTION_INFO_V1(mask_phone);

/* Copy the first keep_head and last keep_tail bytes of s, '*' between. */
static text *
MaskMiddle(const char *s, int len, int keep_head, int keep_tail)
{
	char *out = palloc(len + 1);

	if (keep_head + keep_tail >= len)
		keep_head = keep_tail = 0; /* too short: hide all of it */
	for (int i = 0; i < len; i++)
		out[i] = (i < keep_head || i >= len - keep_tail) ? s[i] : '*';
	out[len] = '\0';
	return cstring_to_text(out);
}

/* mask_doc(kind, number): the number with its middle hidden. */
Datum
mask_doc(PG_FUNCTION_ARGS)
{
	Oid			kind = PG_GETARG_OID(0);
	text	   *number = PG_GETARG_TEXT_PP(1);
	const char *s = VARDATA_ANY(number);
	int			len = VARSIZE_ANY_EXHDR(number);

	/* Document numbers are ASCII once normalized; mask bytes. */
	if (EnumLabelIndex(QE_DOC_KIND, kind) == DOC_RESIDENT_ID)
		PG_RETURN_TEXT_P(MaskMiddle(s, len, 6, 4));
	PG_RETURN_TEXT_P(MaskMiddle(s, len, 2, 2));
}

/* mask_name(name): the first character of each word, '*' for the rest. */
Datum
mask_name(PG_FUNCTION_ARGS)
{
	text		  *name = PG_GETARG_TEXT_PP(0);
	const char	  *s = VARDATA_ANY(name);
	int			   len = VARSIZE_ANY_EXHDR(name);
	StringInfoData out;
	bool		   word_start = true;

	initStringInfo(&out);
	for (int i = 0; i < len;)
	{
		int n = pg_mblen(s + i);

		if (n > len - i)
			n = len - i;
		if (s[i] == ' ')
		{
			appendStringInfoChar(&out, ' ');
			word_start = true;
		}
		else if (word_start)
		{
			appendBinaryStringInfo(&out, s + i, n);
			word_start = false;
		}
		else
			appendStringInfoChar(&out, '*');
		i += n;
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/* mask_phone(phone): digits past the third and before the last two hidden. */
Datum
mask_phone(PG_FUNCTION_ARGS)
{
	text *phone = PG_GETARG_TEXT_PP(0);
	char *s = text_to_cstring(phone);
	int	  ndigits = 0;
	int	  seen = 0;

	for (char *p = s; *p; p++)
		if (*p >= '0' && *p <= '9')
			ndigits++;
	for (char *p = s; *p; p++)
		if (*p >= '0' && *p <= '9')
		{
			if (ndigits <= 5 || (seen >= 3 && seen < ndigits - 2))
				*p = '*';
			seen++;
		}
	PG_RETURN_TEXT_P(cstring_to_text(s));
}
