/*
 * phone.c
 *		What kind of telephone number a person record carries
 *		(doc/tasks-phones-names.md).
 *
 * The province monitors mainland mobile numbers for unusual movement, so
 * charter-flight manifests from the police carry 11-digit filler numbers until
 * the district has confirmed the real ones "次日12:00之前" (the district
 * notes). phone_kind() tells those fillers apart from real mainland mobiles,
 * foreign numbers and garbage, so that a loader can mark the phone
 * `placeholder` and issue a phone_check task.
 */
#include "rules/rules.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

/*
 * E.164 allows at most 15 digits, country code included.  The shortest
 * subscriber numbers in use have 4 digits (Niue, Tokelau, ...).
 */
#define E164_MAX_DIGITS		15
#define NATIONAL_MIN_DIGITS 4
/* Filler patterns are only recognised from this many digits on. */
#define PLACEHOLDER_MIN_DIGITS 5
/*
 * A placeholder stands in for a mainland mobile, so it has a mobile's 11
 * digits (doc/tasks-phones-names.md); a filler pattern of another length
 * ('12345', '00000', '+39 0000000') is no number at all: invalid.
 */
#define PLACEHOLDER_DIGITS 11
/* Longer digit strings are not phone numbers at all. */
#define PHONE_MAX_DIGITS 32

static const char *const phone_kind_names[] = {
	[PHONE_MOBILE] = "mobile",
	[PHONE_FOREIGN] = "foreign",
	[PHONE_PLACEHOLDER] = "placeholder",
	[PHONE_INVALID] = "invalid",
};

/*
 * ITU-T E.164 country codes in service (the list of assigned codes, ITU-T
 * Operational Bulletin), by length.  Country codes are prefix-free, so at
 * most one of them is a prefix of a number.  1 is the North American
 * Numbering Plan, 7 Russia and Kazakhstan; 86 is mainland China, which is
 * not "foreign"; 852, 853 and 886 (Hong Kong, Macao, Taiwan) are.
 */
static const char *const country_codes_2[] = {
	"20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41",
	"43", "44", "45", "46", "47", "48", "49", "51", "52", "53", "54",
	"55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
	"81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"};

static const char *const country_codes_3[] = {
	"211", "212", "213", "216", "218", "220", "221", "222", "223", "224",
	"225", "226", "227", "228", "229", "230", "231", "232", "233", "234",
	"235", "236", "237", "238", "239", "240", "241", "242", "243", "244",
	"245", "246", "247", "248", "249", "250", "251", "252", "253", "254",
	"255", "256", "257", "258", "260", "261", "262", "263", "264", "265",
	"266", "267", "268", "269", "290", "291", "297", "298", "299", "350",
	"351", "352", "353", "354", "355", "356", "357", "358", "359", "370",
	"371", "372", "373", "374", "375", "376", "377", "378", "379", "380",
	"381", "382", "383", "385", "386", "387", "389", "420", "421", "423",
	"500", "501", "502", "503", "504", "505", "506", "507", "508", "509",
	"590", "591", "592", "593", "594", "595", "596", "597", "598", "599",
	"670", "672", "673", "674", "675", "676", "677", "678", "679", "680",
	"681", "682", "683", "685", "686", "687", "688", "689", "690", "691",
	"692", "800", "808", "850", "852", "853", "855", "856", "870", "878",
	"880", "881", "882", "883", "886", "888", "960", "961", "962", "963",
	"964", "965", "966", "967", "968", "970", "971", "972", "973", "974",
	"975", "976", "977", "979", "992", "993", "994", "995", "996", "998"};

/* Length of the E.164 country code that starts digits, 0 when none does. */
static int
CountryCodeLength(const char *digits, int n)
{
	if (n >= 1 && (digits[0] == '1' || digits[0] == '7'))
		return 1;
	if (n >= 2)
	{
		for (int i = 0; i < (int) lengthof(country_codes_2); i++)
			if (memcmp(digits, country_codes_2[i], 2) == 0)
				return 2;
	}
	if (n >= 3)
	{
		for (int i = 0; i < (int) lengthof(country_codes_3); i++)
			if (memcmp(digits, country_codes_3[i], 3) == 0)
				return 3;
	}
	return 0;
}

/* A mainland mobile number: 1[3-9] and 9 more digits (MIIT numbering plan). */
static bool
IsMainlandMobile(const char *digits, int n)
{
	return n == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

/*
 * A filler number, as the police manifests of the district notes carry them
 * and as clerks type them when the person has no phone:
 *	- one digit repeated (00000000000, 11111111111);
 *	- 1 followed by zeros (10000000000);
 *	- a run of consecutive digits up or down (12345678901, 98765432109);
 *	- a mainland mobile prefix followed by eight zeros (13800000000);
 *	- 13800138000, China Mobile's service number, the stock example of every
 *	  Chinese form.
 */
static bool
IsFiller(const char *digits, int n)
{
	bool same = true, ones_zeros = true, up = true, down = true;

	if (n < PLACEHOLDER_MIN_DIGITS)
		return false;
	for (int i = 1; i < n; i++)
	{
		int prev = digits[i - 1] - '0', cur = digits[i] - '0';

		same = same && cur == prev;
		ones_zeros = ones_zeros && cur == 0;
		up = up && cur == (prev + 1) % 10;
		down = down && cur == (prev + 9) % 10;
	}
	if (same || (digits[0] == '1' && ones_zeros) || up || down)
		return true;
	if (IsMainlandMobile(digits, n) && strspn(digits + 3, "0") == 8)
		return true;
	return n == 11 && memcmp(digits, "13800138000", 11) == 0;
}

/*
 * Reduce a written number to its digits.  Blanks (also U+3000 and NBSP),
 * hyphens and dashes, dots and grouping parentheses are separators;
 * full-width digits and plus sign (typed with a Chinese input method) are
 * folded; one '+' is allowed before the first digit.  Anything else
 * (letters, "ext.", "转", a slash before a second number) makes the input no
 * phone number: false.
 */
static bool
PhoneDigits(const char *phone, char *digits, int *ndigits, bool *plus)
{
	const unsigned char *p = (const unsigned char *) phone;
	int					 n = 0;

	*plus = false;
	while (*p)
	{
		int		 len = pg_utf_mblen(p);
		pg_wchar c;

		if ((int) strnlen((const char *) p, len) < len ||
			!pg_utf8_islegal(p, len))
			return false;
		c = utf8_to_unicode(p);
		p += len;

		/* Full-width forms U+FF01..U+FF5E are ASCII shifted by 0xFEE0. */
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;

		if (c >= '0' && c <= '9')
		{
			if (n == PHONE_MAX_DIGITS)
				return false;
			digits[n++] = (char) c;
		}
		else if (c == '+' && n == 0 && !*plus)
			*plus = true;
		else if (c == ' ' || c == '\t' || c == 0x3000 || c == 0x00A0 ||
				 c == '-' || c == '.' || c == '(' || c == ')' ||
				 (c >= 0x2010 && c <= 0x2015) || c == 0x2212)
			continue;
		else
			return false;
	}
	digits[n] = '\0';
	*ndigits = n;
	return true;
}

/* What a filler pattern of n digits is (PLACEHOLDER_DIGITS). */
static PhoneKind
FillerKind(int n)
{
	return n == PLACEHOLDER_DIGITS ? PHONE_PLACEHOLDER : PHONE_INVALID;
}

/* Kind of the number after an international prefix ('+' or "00"). */
static PhoneKind
InternationalKind(const char *digits, int n)
{
	int			cc = CountryCodeLength(digits, n);
	const char *national = digits + cc;
	int			nn = n - cc;

	if (cc == 0)
		return PHONE_INVALID;
	if (IsFiller(national, nn))
		return FillerKind(nn);
	if (cc == 2 && memcmp(digits, "86", 2) == 0)
		return IsMainlandMobile(national, nn) ? PHONE_MOBILE : PHONE_INVALID;
	/* The NANP (+1) and Russia/Kazakhstan (+7) use 10-digit numbers only. */
	if (cc == 1)
		return nn == 10 ? PHONE_FOREIGN : PHONE_INVALID;
	if (nn < NATIONAL_MIN_DIGITS || n > E164_MAX_DIGITS)
		return PHONE_INVALID;
	return PHONE_FOREIGN;
}

/* Classify a written telephone number (doc/tasks-phones-names.md). */
PhoneKind
PhoneKindOf(const char *phone)
{
	char digits[PHONE_MAX_DIGITS + 1];
	int	 n;
	bool plus;

	if (!PhoneDigits(phone, digits, &n, &plus) || n == 0)
		return PHONE_INVALID;

	/* A filler wins over everything, also when it starts with "00". */
	if (IsFiller(digits, n))
		return FillerKind(n);

	if (plus)
		return InternationalKind(digits, n);
	if (n > 2 && digits[0] == '0' && digits[1] == '0')
		return InternationalKind(digits + 2, n - 2);

	/* "86" without '+' is only read as the country code before a mobile. */
	if (n == 13 && digits[0] == '8' && digits[1] == '6')
	{
		if (IsFiller(digits + 2, 11))
			return FillerKind(11);
		if (IsMainlandMobile(digits + 2, 11))
			return PHONE_MOBILE;
	}
	return IsMainlandMobile(digits, n) ? PHONE_MOBILE : PHONE_INVALID;
}

/*
 * The comparable form of a number, for matching two persons by phone
 * (doc/tasks-phones-names.md): a mainland mobile as its 11 digits (any
 * +86/0086/86 prefix and separators dropped), a foreign number as "+" and its
 * digits; NULL for a placeholder or an invalid number, which identify nobody.
 */
char *
PhoneKey(const char *phone)
{
	char digits[PHONE_MAX_DIGITS + 1];
	int	 n;
	bool plus;

	switch (PhoneKindOf(phone))
	{
		case PHONE_MOBILE:
			if (!PhoneDigits(phone, digits, &n, &plus) || n < 11)
				return NULL;
			return pstrdup(digits + n - 11);
		case PHONE_FOREIGN:
			if (!PhoneDigits(phone, digits, &n, &plus))
				return NULL;
			if (!plus && n > 2 && digits[0] == '0' && digits[1] == '0')
				return psprintf("+%s", digits + 2);
			return psprintf("+%s", digits);
		default:
			return NULL;
	}
}

PG_FUNCTION_INFO_V1(phone_key);

/* phone_key(text): SQL face of PhoneKey. */
Datum
phone_key(PG_FUNCTION_ARGS)
{
	char *key = PhoneKey(text_to_cstring(PG_GETARG_TEXT_PP(0)));

	if (key == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(key));
}

/* The SQL label of a phone kind. */
const char *
PhoneKindName(PhoneKind kind)
{
	if (kind < PHONE_MOBILE || kind > PHONE_INVALID)
		elog(ERROR, "unknown phone kind %d", (int) kind);
	return phone_kind_names[kind];
}

PG_FUNCTION_INFO_V1(phone_kind);

/* phone_kind(phone text) → text: mobile, foreign, placeholder or invalid */
Datum
phone_kind(PG_FUNCTION_ARGS)
{
	char *phone = text_to_cstring(PG_GETARG_TEXT_PP(0));

	PG_RETURN_TEXT_P(cstring_to_text(PhoneKindName(PhoneKindOf(phone))));
}
