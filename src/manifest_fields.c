/*
 * manifest_fields.c
 *		The field parsers of a staged manifest row (doc/import.md): each field
 *		as typed (text) read the way the record tables will store it, or the
 *		first problem of the row. The row as a whole is judged by
 *		manifest_check.c.
 */
#include "manifest.h"
#include "person_rules.h"
#include "records.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

/* ---------- text ---------- */

/*
 * A field with surrounding blanks removed, or NULL when it is NULL or blank
 * (spreadsheets pad cells and leave empty ones).  The wide blanks are
 * recognized in UTF-8 databases only.
 */
char *
Trimmed(Datum value, bool isnull)
{
	char *s;
	char *end;
	int	  n;

	if (isnull)
		return NULL;
	s = TextDatumGetCString(value);
	while ((n = BlankAt((unsigned char *) s)) > 0)
		s += n;
	end = s + strlen(s);
	while (end > s)
	{
		const char *p = end - 1;

		/* Step back to the first byte of the last character. */
		while (p > s && (((unsigned char) *p) & 0xC0) == 0x80)
			p--;
		if (BlankAt((const unsigned char *) p) != end - p)
			break;
		end = (char *) p;
	}
	*end = '\0';
	return *s ? s : NULL;
}

int
CharLength(const char *s)
{
	return pg_mbstrlen_with_len(s, strlen(s));
}

/* ---------- dates ---------- */

/* Between min and max decimal digits at *p; false when fewer than min. */
static bool
ReadNumber(const char **p, int min, int max, int *value)
{
	int n = 0;

	*value = 0;
	while (n < max && isdigit((unsigned char) (*p)[0]))
	{
		*value = *value * 10 + ((*p)[0] - '0');
		(*p)++;
		n++;
	}
	return n >= min && !isdigit((unsigned char) (*p)[0]);
}

/*
 * A calendar date at *p: YYYY-MM-DD, with '/' or '.' as the separator too,
 * or YYYYMMDD as police lists often write it.  Leaves *p after it.
 */
static bool
ReadDate(const char **p, int *y, int *m, int *d)
{
	const char *s = *p;
	char		sep;
	int			ndigits = strspn(s, "0123456789");

	if (ndigits == 8)
	{
		*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
			 (s[3] - '0');
		*m = (s[4] - '0') * 10 + (s[5] - '0');
		*d = (s[6] - '0') * 10 + (s[7] - '0');
		*p = s + 8;
		return true;
	}
	if (!ReadNumber(&s, 4, 4, y))
		return false;
	sep = *s;
	if (sep != '-' && sep != '/' && sep != '.')
		return false;
	s++;
	if (!ReadNumber(&s, 1, 2, m) || *s != sep)
		return false;
	s++;
	if (!ReadNumber(&s, 1, 2, d))
		return false;
	*p = s;
	return true;
}

/*
 * NULL when y-m-d is a date of the years records hold (ImplausibleYear, the
 * check the triggers make on direct writes too), else a DETAIL saying why.
 */
static char *
DateProblem(int y, int m, int d)
{
	char *why = ImplausibleYear(y);

	if (why != NULL)
		return why;
	if (!CnidDateExists(y, m, d))
		return psprintf(_Q("%04d-%02d-%02d does not exist."), y, m, d);
	return NULL;
}

static DateADT
MakeDate(int y, int m, int d)
{
	return date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
}

/* The birth date field: a date, not after today. */
bool
CheckBirthDate(const char *text, Checked *c)
{
	const char *t = text;
	int			y, m, d;
	char	   *problem;
	Problem		p = {0};

	if (text == NULL)
		return true;
	if (!ReadDate(&t, &y, &m, &d) || *t != '\0')
		return CheckedBad(
			c, "manifest_date",
			psprintf(_Q("invalid birth date: \"%s\""), text),
			pstrdup(_Q("Write dates as YYYY-MM-DD or YYYYMMDD.")));
	if ((problem = DateProblem(y, m, d)) != NULL)
		return CheckedBad(c, "manifest_date",
						  psprintf(_Q("invalid birth date: \"%s\""), text),
						  problem);
	c->birth = MakeDate(y, m, d);
	c->has_birth = true;
	/* person_birth_date, as the person trigger states it */
	if (!PlausibleBirthDate(c->birth, LocalToday(), "manifest_date", &p))
		return CheckedBadProblem(c, &p);
	return true;
}

/*
 * The entry time: a date, then optionally a time HH:MM[:SS[.ffffff]] after
 * 'T' or blanks, then optionally a UTC offset (Z, +08, +0800, +08:00).
 * Without an offset the time is local in quarantine.timezone; a date alone
 * is local midnight.  Not more than a day ahead of the load: a list may be
 * sent before the flight lands, not days before.
 */
bool
CheckEnteredAt(const char *text, Checked *c)
{
	const char	*p = text;
	struct pg_tm tm;
	int			 y, m, d;
	int			 hour = 0, minute = 0, second = 0;
	fsec_t		 fsec = 0;
	bool		 has_zone = false;
	int			 offset = 0;
	char		*what;
	char		*problem;
	TimestampTz	 limit;

	if (text == NULL)
		return CheckedBad(
			c, "manifest_date", pstrdup(_Q("entry time is missing")),
			pstrdup(_Q("Every manifest row needs entered_at, the time "
					   "the person crossed the border.")));
	what = psprintf(_Q("invalid entry time: \"%s\""), text);
	if (!ReadDate(&p, &y, &m, &d))
		return CheckedBad(
			c, "manifest_date", what,
			pstrdup(_Q("Write the entry time as YYYY-MM-DD HH:MM, "
					   "optionally with seconds and a UTC offset.")));
	if (*p == 'T' || *p == ' ')
	{
		while (*p == 'T' || *p == ' ')
			p++;
		if (!ReadNumber(&p, 1, 2, &hour) || *p++ != ':' ||
			!ReadNumber(&p, 2, 2, &minute))
			return CheckedBad(c, "manifest_date", what,
							  pstrdup(_Q("Write the time of day as HH:MM or "
										 "HH:MM:SS.")));
		if (*p == ':')
		{
			p++;
			if (!ReadNumber(&p, 2, 2, &second))
				return CheckedBad(
					c, "manifest_date", what,
					pstrdup(_Q("Write the seconds with two digits.")));
			if (*p == '.')
			{
				int digits = 0;

				p++;
				while (isdigit((unsigned char) *p))
				{
					if (digits < 6)
						fsec = fsec * 10 + (*p - '0');
					digits++;
					p++;
				}
				if (digits == 0)
					return CheckedBad(
						c, "manifest_date", what,
						pstrdup(_Q("A decimal point needs digits after "
								   "it.")));
				for (; digits < 6; digits++)
					fsec *= 10;
			}
		}
		while (*p == ' ')
			p++;
		if (*p == 'Z' || *p == 'z')
		{
			has_zone = true;
			p++;
		}
		else if (*p == '+' || *p == '-')
		{
			int sign = (*p == '-') ? -1 : 1;
			int nd;
			int oh;
			int om = 0;

			p++;
			nd = strspn(p, "0123456789");
			if (nd != 2 && nd != 4)
				return CheckedBad(
					c, "manifest_date", what,
					pstrdup(_Q("Write a UTC offset as Z, +08, +0800 or "
							   "+08:00.")));
			oh = (p[0] - '0') * 10 + (p[1] - '0');
			if (nd == 4)
				om = (p[2] - '0') * 10 + (p[3] - '0');
			p += nd;
			if (nd == 2 && *p == ':')
			{
				p++;
				if (strspn(p, "0123456789") != 2)
					return CheckedBad(
						c, "manifest_date", what,
						pstrdup(_Q("Write a UTC offset as Z, +08, +0800 "
								   "or +08:00.")));
				om = (p[0] - '0') * 10 + (p[1] - '0');
				p += 2;
			}
			if (oh > 14 || om > 59)
				return CheckedBad(
					c, "manifest_date", what,
					pstrdup(_Q("UTC offsets run from -14:00 to +14:00.")));
			has_zone = true;
			offset = sign * (oh * SECS_PER_HOUR + om * SECS_PER_MINUTE);
		}
	}
	if (*p != '\0')
		return CheckedBad(
			c, "manifest_date", what,
			pstrdup(_Q("Write the entry time as YYYY-MM-DD HH:MM, "
					   "optionally with seconds and a UTC offset.")));
	if ((problem = DateProblem(y, m, d)) != NULL)
		return CheckedBad(c, "manifest_date", what, problem);
	if (hour > 23 || minute > 59 || second > 59)
		return CheckedBad(c, "manifest_date", what,
						  psprintf(_Q("%02d:%02d:%02d is not a time of day."),
								   hour, minute, second));

	if (has_zone)
	{
		int tz = -offset; /* PostgreSQL counts seconds west of UTC */

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y;
		tm.tm_mon = m;
		tm.tm_mday = d;
		tm.tm_hour = hour;
		tm.tm_min = minute;
		tm.tm_sec = second;
		if (tm2timestamp(&tm, fsec, &tz, &c->entered_at) != 0)
			return CheckedBad(c, "manifest_date", what,
							  pstrdup(_Q("The time is out of range.")));
	}
	else
		c->entered_at = LocalTimestampOf(MakeDate(y, m, d), hour, minute) +
						second * USECS_PER_SEC + fsec;
	c->has_entered = true;
	c->entry_day = LocalDateOf(c->entered_at);

	limit = GetCurrentTransactionStartTimestamp() + USECS_PER_DAY;
	if (c->entered_at > limit)
		return CheckedBad(
			c, "manifest_date",
			psprintf(_Q("entry time \"%s\" is in the future"), text),
			psprintf(_Q("The entry is on %s; a load accepts entries at "
						"most a day ahead of its start."),
					 DateText(c->entry_day)));
	if (c->has_birth && c->birth > c->entry_day)
		return CheckedBad(
			c, "manifest_date",
			psprintf(_Q("birth date %s is after the entry on %s"),
					 DateText(c->birth), DateText(c->entry_day)),
			pstrdup(_Q("One of the two dates is wrong.")));
	return true;
}

/* ---------- documents ---------- */

typedef struct KindName
{
	const char *name;
	DocKind		kind;
} KindName;

/* The enum labels and the names police lists use (the district notes). */
static const KindName kind_names[] = {
	{"resident_id", DOC_RESIDENT_ID},
	{"身份证", DOC_RESIDENT_ID},
	{"居民身份证", DOC_RESIDENT_ID},
	{"passport", DOC_PASSPORT},
	{"护照", DOC_PASSPORT},
	{"hk_macao_permit", DOC_HK_MACAO_PERMIT},
	{"回乡证", DOC_HK_MACAO_PERMIT},
	{"港澳居民来往内地通行证", DOC_HK_MACAO_PERMIT},
	{"taiwan_permit", DOC_TAIWAN_PERMIT},
	{"台胞证", DOC_TAIWAN_PERMIT},
	{"台湾居民来往大陆通行证", DOC_TAIWAN_PERMIT},
	{"foreign_permanent_id", DOC_FOREIGN_PERMANENT_ID},
	{"外国人永久居留身份证", DOC_FOREIGN_PERMANENT_ID},
	{"local_code", DOC_LOCAL_CODE},
	{"other", DOC_OTHER},
	{NULL, 0}};

bool
CheckDocKind(const char *text, Checked *c)
{
	if (text == NULL)
		return CheckedBad(
			c, "manifest_doc_kind", pstrdup(_Q("document kind is missing")),
			pstrdup(_Q("Name the kind of document: passport, "
					   "resident_id, hk_macao_permit, taiwan_permit, "
					   "foreign_permanent_id, local_code or other.")));
	for (int i = 0; kind_names[i].name != NULL; i++)
		if (pg_strcasecmp(text, kind_names[i].name) == 0)
		{
			c->kind = kind_names[i].kind;
			c->has_kind = true;
			return true;
		}
	return CheckedBad(
		c, "manifest_doc_kind",
		psprintf(_Q("unknown document kind: \"%s\""), text),
		pstrdup(_Q("Known kinds are passport (护照), resident_id "
				   "(身份证), hk_macao_permit (回乡证), taiwan_permit "
				   "(台胞证), foreign_permanent_id, local_code and "
				   "other.")));
}

bool
CheckDocNo(const char *text, Checked *c)
{
	CaughtError err = {NULL, NULL};

	if (text == NULL)
		return CheckedBad(
			c, "manifest_doc_no",
			psprintf("%s number is missing",
					 EnumLabelName(QE_DOC_KIND, c->kind)),
			pstrdup(_Q("A person without a document gets a local_code "
					   "from the district.")));
	c->doc_no = TryNormalizeDoc(c->kind, text, &err);
	if (c->doc_no == NULL)
		return CheckedBad(c, "manifest_doc_no", err.message, err.detail);
	return true;
}

/*
 * doc/records.md: a passport number identifies a person only with its issuing
 * nationality, so a passport row without one cannot be matched or stored
 * (person_nationality, as the person trigger states it).
 */
bool
CheckNationality(const char *text, Checked *c)
{
	Problem p = {0};

	if (!PersonNationality(c->kind, c->doc_no, text, &c->nationality,
						   "manifest_nationality", &p))
		return CheckedBadProblem(c, &p);
	c->scope = (char *) PersonIdentityScope(c->kind, c->nationality);
	return true;
}

bool
CheckSex(const char *text, Checked *c)
{
	c->sex = 0;
	if (text == NULL || strcmp(text, "X") == 0 || strcmp(text, "x") == 0 ||
		strcmp(text, "<") == 0)
		return true; /* ICAO 9303: X or < is unspecified */
	if (pg_strcasecmp(text, "M") == 0 || pg_strcasecmp(text, "male") == 0 ||
		strcmp(text, "男") == 0)
		c->sex = 'M';
	else if (pg_strcasecmp(text, "F") == 0 ||
			 pg_strcasecmp(text, "female") == 0 || strcmp(text, "女") == 0)
		c->sex = 'F';
	else
		return CheckedBad(
			c, "manifest_sex", psprintf(_Q("invalid sex: \"%s\""), text),
			pstrdup(_Q("Write M or F (男 or 女), or leave it empty.")));
	return true;
}

/* person_document_agreement, as the person trigger states it. */
/* ---------- travel ---------- */

/*
 * A flight number: an airline designator (two characters, not both digits,
 * or three ICAO letters), 1-4 digits and an optional suffix letter; stored
 * upper-case without blanks so that flight_close_contacts() finds every
 * passenger of one flight.
 */
bool
CheckFlight(const char *text, Checked *c)
{
	char *f;
	int	  n = 0;
	int	  len;
	int	  designator;
	int	  digits;

	if (text == NULL)
		return CheckedBad(
			c, "manifest_flight", pstrdup(_Q("flight is missing")),
			pstrdup(_Q("A manifest lists the passengers of one flight; "
					   "give its flight number, e.g. CA939.")));
	f = palloc(strlen(text) + 1);
	for (const char *p = text; *p; p++)
	{
		if (*p == ' ' || *p == '-')
			continue;
		if (!isalnum((unsigned char) *p))
			return CheckedBad(
				c, "manifest_flight",
				psprintf(_Q("invalid flight number: \"%s\""), text),
				pstrdup(_Q("A flight number has letters and digits "
						   "only, e.g. CA939.")));
		f[n++] = pg_ascii_toupper(*p);
	}
	f[n] = '\0';
	len = n;
	designator =
		(len >= 3 && isalpha((unsigned char) f[0]) &&
		 isalpha((unsigned char) f[1]) && isalpha((unsigned char) f[2]))
			? 3
			: 2;
	if (designator == 2 && (len < 3 || (isdigit((unsigned char) f[0]) &&
										isdigit((unsigned char) f[1]))))
		designator = 0;
	digits = 0;
	if (designator > 0)
		while (designator + digits < len &&
			   isdigit((unsigned char) f[designator + digits]))
			digits++;
	if (designator == 0 || digits < 1 || digits > 4 ||
		len - designator - digits > 1)
		return CheckedBad(
			c, "manifest_flight",
			psprintf(_Q("invalid flight number: \"%s\""), text),
			pstrdup(_Q("A flight number is an airline code (CA, MU, 3U "
					   "or CCA) followed by 1 to 4 digits and an "
					   "optional letter, e.g. CA939.")));
	c->flight = f;
	return true;
}

bool
CheckSeat(const char *text, Checked *c)
{
	CaughtError err = {NULL, NULL};

	if (text == NULL)
		return true; /* crew and infants have none */
	if (TrySeatRow(text, &err) == 0)
		return CheckedBad(c, "manifest_seat", err.message, err.detail);
	c->seat = pstrdup(text);
	return true;
}
