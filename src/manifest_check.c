/*
 * manifest_check.c
 *		manifest_check(manifest_staging) → manifest_row: one staged manifest
 *		row judged alone and normalized, without raising (SPEC §11).
 *
 * Seed 003 (包机人员录入): the police list of a charter flight arrives as a
 * spreadsheet with passport numbers, filler phone numbers and the hotel; it
 * is imported around 14:00 and the districts fix it by 17:00.  Every field
 * is text as typed; this function reads each one the way the record tables
 * will store it, so that a row it passes is one the triggers accept, and a
 * row it fails carries the rule name, a message and a detail sentence
 * instead of an error that would abort the whole load.
 */
#include "manifest.h"
#include "control_rules.h"
#include "person_rules.h"
#include "records.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(manifest_check);

/* ---------- the staged row ---------- */

enum
{
	S_ROW_NO,
	S_NAME,
	S_DOC_KIND,
	S_DOC_NO,
	S_NATIONALITY,
	S_SEX,
	S_BIRTH_DATE,
	S_PHONE,
	S_FLIGHT,
	S_SEAT,
	S_ENTERED_AT,
	S_PORT,
	S_SITE,
	S_JURISDICTION,
	S_NFIELDS
};

static const FieldSpec staging_fields[S_NFIELDS] = {
	{"row_no", INT4OID},	 {"name", TEXTOID},		   {"doc_kind", TEXTOID},
	{"doc_no", TEXTOID},	 {"nationality", TEXTOID}, {"sex", TEXTOID},
	{"birth_date", TEXTOID}, {"phone", TEXTOID},	   {"flight", TEXTOID},
	{"seat", TEXTOID},		 {"entered_at", TEXTOID},  {"port", TEXTOID},
	{"site", TEXTOID},		 {"jurisdiction", TEXTOID}};

/* ---------- the result (type manifest_row) ---------- */

enum
{
	R_RULE,
	R_MESSAGE,
	R_DETAIL,
	R_NAME,
	R_DOC_KIND,
	R_DOC_NO,
	R_IDENTITY_SCOPE,
	R_NATIONALITY,
	R_SEX,
	R_BIRTH_DATE,
	R_PHONE,
	R_PHONE_KIND,
	R_FLIGHT,
	R_SEAT,
	R_ENTERED_AT,
	R_ENTRY_DAY,
	R_CATEGORY,
	R_PORT,
	R_SITE,
	R_JURISDICTION,
	R_NFIELDS
};

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

/* Record the first problem of the row; returns false for `return Bad(...)`. */
static bool
Bad(Checked *c, const char *rule, char *message, char *detail)
{
	c->rule = rule;
	c->message = message;
	c->detail = detail;
	return false;
}

/* The first problem of the row, as a shared rule states it. */
static bool
BadProblem(Checked *c, const Problem *p)
{
	return Bad(c, p->rule, p->message, p->detail);
}

/* ---------- text ---------- */

/* Length of a blank at s: ASCII white space, NBSP, U+3000, or a BOM. */
static int
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

/*
 * A field with surrounding blanks removed, or NULL when it is NULL or blank
 * (spreadsheets pad cells and leave empty ones).  The wide blanks are
 * recognized in UTF-8 databases only.
 */
static char *
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

static int
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
		return psprintf("%04d-%02d-%02d does not exist.", y, m, d);
	return NULL;
}

static DateADT
MakeDate(int y, int m, int d)
{
	return date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
}

/* The birth date field: a date, not after today. */
static bool
CheckBirthDate(const char *text, Checked *c)
{
	const char *t = text;
	int			y, m, d;
	char	   *problem;
	Problem		p = {0};

	if (text == NULL)
		return true;
	if (!ReadDate(&t, &y, &m, &d) || *t != '\0')
		return Bad(c, "manifest_date",
				   psprintf("invalid birth date: \"%s\"", text),
				   pstrdup("Write dates as YYYY-MM-DD or YYYYMMDD."));
	if ((problem = DateProblem(y, m, d)) != NULL)
		return Bad(c, "manifest_date",
				   psprintf("invalid birth date: \"%s\"", text), problem);
	c->birth = MakeDate(y, m, d);
	c->has_birth = true;
	/* person_birth_date, as the person trigger states it */
	if (!PlausibleBirthDate(c->birth, LocalToday(), "manifest_date", &p))
		return BadProblem(c, &p);
	return true;
}

/*
 * The entry time: a date, then optionally a time HH:MM[:SS[.ffffff]] after
 * 'T' or blanks, then optionally a UTC offset (Z, +08, +0800, +08:00).
 * Without an offset the time is local in quarantine.timezone; a date alone
 * is local midnight.  Not more than a day ahead of the load: a list may be
 * sent before the flight lands, not days before.
 */
static bool
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
		return Bad(c, "manifest_date", pstrdup("entry time is missing"),
				   pstrdup("Every manifest row needs entered_at, the time "
						   "the person crossed the border."));
	what = psprintf("invalid entry time: \"%s\"", text);
	if (!ReadDate(&p, &y, &m, &d))
		return Bad(c, "manifest_date", what,
				   pstrdup("Write the entry time as YYYY-MM-DD HH:MM, "
						   "optionally with seconds and a UTC offset."));
	if (*p == 'T' || *p == ' ')
	{
		while (*p == 'T' || *p == ' ')
			p++;
		if (!ReadNumber(&p, 1, 2, &hour) || *p++ != ':' ||
			!ReadNumber(&p, 2, 2, &minute))
			return Bad(c, "manifest_date", what,
					   pstrdup("Write the time of day as HH:MM or "
							   "HH:MM:SS."));
		if (*p == ':')
		{
			p++;
			if (!ReadNumber(&p, 2, 2, &second))
				return Bad(c, "manifest_date", what,
						   pstrdup("Write the seconds with two digits."));
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
					return Bad(c, "manifest_date", what,
							   pstrdup("A decimal point needs digits after "
									   "it."));
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
				return Bad(c, "manifest_date", what,
						   pstrdup("Write a UTC offset as Z, +08, +0800 or "
								   "+08:00."));
			oh = (p[0] - '0') * 10 + (p[1] - '0');
			if (nd == 4)
				om = (p[2] - '0') * 10 + (p[3] - '0');
			p += nd;
			if (nd == 2 && *p == ':')
			{
				p++;
				if (strspn(p, "0123456789") != 2)
					return Bad(c, "manifest_date", what,
							   pstrdup("Write a UTC offset as Z, +08, +0800 "
									   "or +08:00."));
				om = (p[0] - '0') * 10 + (p[1] - '0');
				p += 2;
			}
			if (oh > 14 || om > 59)
				return Bad(c, "manifest_date", what,
						   pstrdup("UTC offsets run from -14:00 to +14:00."));
			has_zone = true;
			offset = sign * (oh * SECS_PER_HOUR + om * SECS_PER_MINUTE);
		}
	}
	if (*p != '\0')
		return Bad(c, "manifest_date", what,
				   pstrdup("Write the entry time as YYYY-MM-DD HH:MM, "
						   "optionally with seconds and a UTC offset."));
	if ((problem = DateProblem(y, m, d)) != NULL)
		return Bad(c, "manifest_date", what, problem);
	if (hour > 23 || minute > 59 || second > 59)
		return Bad(c, "manifest_date", what,
				   psprintf("%02d:%02d:%02d is not a time of day.", hour,
							minute, second));

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
			return Bad(c, "manifest_date", what,
					   pstrdup("The time is out of range."));
	}
	else
		c->entered_at = LocalTimestampOf(MakeDate(y, m, d), hour, minute) +
						second * USECS_PER_SEC + fsec;
	c->has_entered = true;
	c->entry_day = LocalDateOf(c->entered_at);

	limit = GetCurrentTransactionStartTimestamp() + USECS_PER_DAY;
	if (c->entered_at > limit)
		return Bad(c, "manifest_date",
				   psprintf("entry time \"%s\" is in the future", text),
				   psprintf("The entry is on %s; a load accepts entries at "
							"most a day ahead of its start.",
							DateText(c->entry_day)));
	if (c->has_birth && c->birth > c->entry_day)
		return Bad(c, "manifest_date",
				   psprintf("birth date %s is after the entry on %s",
							DateText(c->birth), DateText(c->entry_day)),
				   pstrdup("One of the two dates is wrong."));
	return true;
}

/* ---------- documents ---------- */

typedef struct KindName
{
	const char *name;
	DocKind		kind;
} KindName;

/* The enum labels and the names police lists use (seed 003). */
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

static bool
CheckDocKind(const char *text, Checked *c)
{
	if (text == NULL)
		return Bad(c, "manifest_doc_kind", pstrdup("document kind is missing"),
				   pstrdup("Name the kind of document: passport, "
						   "resident_id, hk_macao_permit, taiwan_permit, "
						   "foreign_permanent_id, local_code or other."));
	for (int i = 0; kind_names[i].name != NULL; i++)
		if (pg_strcasecmp(text, kind_names[i].name) == 0)
		{
			c->kind = kind_names[i].kind;
			c->has_kind = true;
			return true;
		}
	return Bad(c, "manifest_doc_kind",
			   psprintf("unknown document kind: \"%s\"", text),
			   pstrdup("Known kinds are passport (护照), resident_id "
					   "(身份证), hk_macao_permit (回乡证), taiwan_permit "
					   "(台胞证), foreign_permanent_id, local_code and "
					   "other."));
}

static bool
CheckDocNo(const char *text, Checked *c)
{
	CaughtError err = {NULL, NULL};

	if (text == NULL)
		return Bad(c, "manifest_doc_no",
				   psprintf("%s number is missing",
							EnumLabelName(QE_DOC_KIND, c->kind)),
				   pstrdup("A person without a document gets a local_code "
						   "from the district (seed 003)."));
	c->doc_no = TryNormalizeDoc(c->kind, text, &err);
	if (c->doc_no == NULL)
		return Bad(c, "manifest_doc_no", err.message, err.detail);
	return true;
}

/*
 * SPEC §7: a passport number identifies a person only with its issuing
 * nationality, so a passport row without one cannot be matched or stored
 * (person_nationality, as the person trigger states it).
 */
static bool
CheckNationality(const char *text, Checked *c)
{
	Problem p = {0};

	if (!PersonNationality(c->kind, c->doc_no, text, &c->nationality,
						   "manifest_nationality", &p))
		return BadProblem(c, &p);
	c->scope = (char *) PersonIdentityScope(c->kind, c->nationality);
	return true;
}

static bool
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
		return Bad(c, "manifest_sex", psprintf("invalid sex: \"%s\"", text),
				   pstrdup("Write M or F (男 or 女), or leave it empty."));
	return true;
}

/* person_document_agreement, as the person trigger states it. */
static bool
CheckAgreement(Checked *c)
{
	Problem p = {0};
	bool	from_id;
	DateADT id_birth;
	char	id_sex;

	if (!PersonDocumentAgreement(c->kind, c->doc_no, c->has_birth, c->birth,
								 c->sex, &from_id, &id_birth, &id_sex, &p))
		return BadProblem(c, &p);
	/* The trigger fills both from the number; say so in the result. */
	if (from_id)
	{
		c->birth = id_birth;
		c->has_birth = true;
		c->sex = id_sex;
	}
	return true;
}

/* ---------- travel ---------- */

/*
 * A flight number: an airline designator (two characters, not both digits,
 * or three ICAO letters), 1-4 digits and an optional suffix letter; stored
 * upper-case without blanks so that flight_close_contacts() finds every
 * passenger of one flight.
 */
static bool
CheckFlight(const char *text, Checked *c)
{
	char *f;
	int	  n = 0;
	int	  len;
	int	  designator;
	int	  digits;

	if (text == NULL)
		return Bad(c, "manifest_flight", pstrdup("flight is missing"),
				   pstrdup("A manifest lists the passengers of one flight; "
						   "give its flight number, e.g. CA939."));
	f = palloc(strlen(text) + 1);
	for (const char *p = text; *p; p++)
	{
		if (*p == ' ' || *p == '-')
			continue;
		if (!isalnum((unsigned char) *p))
			return Bad(c, "manifest_flight",
					   psprintf("invalid flight number: \"%s\"", text),
					   pstrdup("A flight number has letters and digits "
							   "only, e.g. CA939."));
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
		return Bad(c, "manifest_flight",
				   psprintf("invalid flight number: \"%s\"", text),
				   pstrdup("A flight number is an airline code (CA, MU, 3U "
						   "or CCA) followed by 1 to 4 digits and an "
						   "optional letter, e.g. CA939."));
	c->flight = f;
	return true;
}

static bool
CheckSeat(const char *text, Checked *c)
{
	CaughtError err = {NULL, NULL};

	if (text == NULL)
		return true; /* crew and infants have none */
	if (TrySeatRow(text, &err) == 0)
		return Bad(c, "manifest_seat", err.message, err.detail);
	c->seat = pstrdup(text);
	return true;
}

/* ---------- the row ---------- */

static bool
CheckRow(Datum *v, bool *n, Checked *c)
{
	char *name = Trimmed(v[S_NAME], n[S_NAME]);
	char *text;

	/*
	 * The entry trigger classifies an arrival without screening data as
	 * the function does here; the control trigger then needs a policy plan
	 * for that category on the entry day (control_plan_required, below).
	 */
	c->category = ClassifyArrival(false, 0, NULL, -1, false);

	if (n[S_ROW_NO])
		return Bad(c, "manifest_row_no", pstrdup("row number is missing"),
				   pstrdup("Every staged row needs row_no, its line in the "
						   "manifest, so that a second load can skip it."));
	if (DatumGetInt32(v[S_ROW_NO]) < 1)
		return Bad(c, "manifest_row_no",
				   psprintf("row number %d is not positive",
							DatumGetInt32(v[S_ROW_NO])),
				   pstrdup("Number the rows of a manifest from 1."));

	if (name == NULL)
		return Bad(c, "manifest_name", pstrdup("name is missing"),
				   pstrdup("Every person needs a name as on the document."));
	if (CharLength(name) > MANIFEST_MAX_NAME_CHARS)
		return Bad(c, "manifest_name",
				   psprintf("name is longer than %d characters",
							MANIFEST_MAX_NAME_CHARS),
				   psprintf("The name has %d characters; notes belong "
							"elsewhere.",
							CharLength(name)));
	for (const char *p = name; *p; p++)
		if ((unsigned char) *p < 0x20 || *p == 0x7F)
			return Bad(c, "manifest_name",
					   pstrdup("name contains a control character"),
					   psprintf("Character 0x%02X is not part of a name; the "
								"row may have been split badly.",
								(unsigned char) *p));
	c->name = name;

	if (!CheckDocKind(Trimmed(v[S_DOC_KIND], n[S_DOC_KIND]), c) ||
		!CheckDocNo(Trimmed(v[S_DOC_NO], n[S_DOC_NO]), c) ||
		!CheckNationality(Trimmed(v[S_NATIONALITY], n[S_NATIONALITY]), c) ||
		!CheckSex(Trimmed(v[S_SEX], n[S_SEX]), c) ||
		!CheckBirthDate(Trimmed(v[S_BIRTH_DATE], n[S_BIRTH_DATE]), c) ||
		!CheckEnteredAt(Trimmed(v[S_ENTERED_AT], n[S_ENTERED_AT]), c) ||
		!CheckAgreement(c))
		return false;

	/*
	 * Any number is kept: the person trigger marks fillers placeholder and
	 * malformed numbers invalid, and both get a phone check (seed 003).
	 */
	text = Trimmed(v[S_PHONE], n[S_PHONE]);
	if (text != NULL && CharLength(text) > MANIFEST_MAX_PHONE_CHARS)
		return Bad(c, "manifest_phone",
				   psprintf("phone number is longer than %d characters",
							MANIFEST_MAX_PHONE_CHARS),
				   psprintf("The field has %d characters; put other contacts "
							"in a note.",
							CharLength(text)));
	c->phone = text;
	if (text != NULL)
	{
		c->phone_kind = PhoneKindOf(text);
		c->has_phone_kind = true;
	}

	if (!CheckFlight(Trimmed(v[S_FLIGHT], n[S_FLIGHT]), c) ||
		!CheckSeat(Trimmed(v[S_SEAT], n[S_SEAT]), c))
		return false;

	text = Trimmed(v[S_PORT], n[S_PORT]);
	if (text != NULL && CharLength(text) > MANIFEST_MAX_PORT_CHARS)
		return Bad(c, "manifest_port",
				   psprintf("port is longer than %d characters",
							MANIFEST_MAX_PORT_CHARS),
				   psprintf("The field has %d characters; give the airport "
							"code or name.",
							CharLength(text)));
	c->port = text;
	c->site = Trimmed(v[S_SITE], n[S_SITE]);
	c->jurisdiction = Trimmed(v[S_JURISDICTION], n[S_JURISDICTION]);

	{
		IsolationPlan plan;
		Problem		  p = {0};

		/* control_plan_required, as the control trigger states it */
		if (!ControlPlanRequired(c->category, c->entry_day, &plan, &p))
			return BadProblem(c, &p);
	}
	return true;
}

static Datum
TextOrNull(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

/*
 * manifest_check(row manifest_staging) → manifest_row: the rule the row
 * breaks (NULL when none) with message and detail, and the values as the
 * tables will store them.  Never raises on data.
 */
Datum
manifest_check(PG_FUNCTION_ARGS)
{
	FieldReader *reader = FieldReaderFor(fcinfo, S_NFIELDS);
	Datum		 in[S_NFIELDS];
	bool		 innull[S_NFIELDS];
	Datum		 out[R_NFIELDS];
	bool		 outnull[R_NFIELDS];
	Checked		 c;
	TupleDesc	 desc;

	if (reader->extra == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "manifest_check must return a composite type");
		reader->extra = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
	}
	desc = (TupleDesc) reader->extra;

	ReadFields(fcinfo, reader, 0, staging_fields, in, innull);
	memset(&c, 0, sizeof(c));
	CheckRow(in, innull, &c);

	out[R_RULE] = TextOrNull(c.rule, &outnull[R_RULE]);
	out[R_MESSAGE] = TextOrNull(c.message, &outnull[R_MESSAGE]);
	out[R_DETAIL] = TextOrNull(c.detail, &outnull[R_DETAIL]);
	out[R_NAME] = TextOrNull(c.name, &outnull[R_NAME]);
	outnull[R_DOC_KIND] = !c.has_kind;
	out[R_DOC_KIND] =
		c.has_kind ? ObjectIdGetDatum(EnumLabelOid(QE_DOC_KIND, c.kind)) : 0;
	out[R_DOC_NO] = TextOrNull(c.doc_no, &outnull[R_DOC_NO]);
	out[R_IDENTITY_SCOPE] = TextOrNull(c.scope, &outnull[R_IDENTITY_SCOPE]);
	out[R_NATIONALITY] = TextOrNull(c.nationality, &outnull[R_NATIONALITY]);
	{
		char sex[2] = {c.sex, '\0'};

		out[R_SEX] = TextOrNull(c.sex ? sex : NULL, &outnull[R_SEX]);
	}
	outnull[R_BIRTH_DATE] = !c.has_birth;
	out[R_BIRTH_DATE] = DateADTGetDatum(c.birth);
	out[R_PHONE] = TextOrNull(c.phone, &outnull[R_PHONE]);
	out[R_PHONE_KIND] =
		TextOrNull(c.has_phone_kind ? PhoneKindName(c.phone_kind) : NULL,
				   &outnull[R_PHONE_KIND]);
	out[R_FLIGHT] = TextOrNull(c.flight, &outnull[R_FLIGHT]);
	out[R_SEAT] = TextOrNull(c.seat, &outnull[R_SEAT]);
	outnull[R_ENTERED_AT] = !c.has_entered;
	out[R_ENTERED_AT] = TimestampTzGetDatum(c.entered_at);
	outnull[R_ENTRY_DAY] = !c.has_entered;
	out[R_ENTRY_DAY] = DateADTGetDatum(c.entry_day);
	outnull[R_CATEGORY] = !c.has_entered;
	out[R_CATEGORY] =
		ObjectIdGetDatum(EnumLabelOid(QE_ARRIVAL_CATEGORY, c.category));
	out[R_PORT] = TextOrNull(c.port, &outnull[R_PORT]);
	out[R_SITE] = TextOrNull(c.site, &outnull[R_SITE]);
	out[R_JURISDICTION] = TextOrNull(c.jurisdiction, &outnull[R_JURISDICTION]);

	if (desc->natts != R_NFIELDS)
		elog(ERROR, "manifest_row has %d fields, expected %d", desc->natts,
			 R_NFIELDS);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, out, outnull)));
}
