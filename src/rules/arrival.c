/*
 * arrival.c
 *		Arrival screening at the port (doc/arrival.md): the category of an
 *		arrival and the flight close-contact rule by seat row.
 *
 * The Fujian guideline 四(二): customs screen every arrival;
 * "体温超过37.3度或有干咳、乏力 等症状的人员" go to the negative-pressure
 * room. The national plan 二(一): arrivals are sorted into the "four
 * categories" (确诊, 疑似, 有发热等症状者, 密切接触者) and the rest. Flights:
 * test/data/close_contact_transport_rules.tsv, "病例座位的
 * 同排和前后各三排座位的全部旅客".
 */
#include "rules/rule.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(classify_arrival);
PG_FUNCTION_INFO_V1(seat_row);
PG_FUNCTION_INFO_V1(is_flight_close_contact);

/* ---------- classification ---------- */

/*
 * The symptom vocabulary: the respiratory and digestive symptoms that make an
 * arrival "有发热等症状者" (the national plan 二(一); the Fujian guideline
 * 四(二) names 干咳、乏力). Any of them makes the arrival symptomatic.
 */
static const char *const symptom_codes[] = {
	"fever",		 "dry_cough",	  "fatigue",  "sore_throat",
	"loss_of_smell", "loss_of_taste", "diarrhea", "dyspnea",
};

#define N_SYMPTOMS lengthof(symptom_codes)
#define SYMPTOM_VOCABULARY                                                   \
	"fever, dry_cough, fatigue, sore_throat, loss_of_smell, loss_of_taste, " \
	"diarrhea, dyspnea"

/*
 * A body temperature outside this range (°C) is a recording error — typically
 * a Fahrenheit reading such as 98.6 — not a measurement to classify.
 */
#define MIN_BODY_TEMPERATURE 30.0
#define MAX_BODY_TEMPERATURE 45.0

/*
 * Temperatures are compared as decimals rounded to 9 places: a double carries
 * binary noise (37.1 + 0.2 is 37.300000000000004), and the Fujian guideline is
 * explicit that only a temperature *above* 37.3 is fever, so 37.3 must stay
 * 37.3.
 */
#define TEMPERATURE_SCALE 1e9

/* Is code one of the symptom vocabulary?  len bytes, not NUL-terminated. */
static bool
IsSymptomCode(const char *code, int len)
{
	for (int i = 0; i < (int) N_SYMPTOMS; i++)
		if ((int) strlen(symptom_codes[i]) == len &&
			memcmp(symptom_codes[i], code, len) == 0)
			return true;
	return false;
}

/*
 * A plausible body temperature in degrees Celsius (98.6 is Fahrenheit);
 * shown is its text.  The one statement of the range, under the rule name of
 * the table that was written (a client switches on the table it wrote).
 */
static bool
TemperatureInRange(double t, const char *shown, const char *rule, Problem *p)
{
	if (t >= MIN_BODY_TEMPERATURE && t <= MAX_BODY_TEMPERATURE)
		return true;
	return Flag(
		p, rule, ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("temperature %s is not a body temperature in degrees "
					"Celsius"),
				 shown),
		psprintf(_Q("A measured temperature must lie between %.0f and "
					"%.0f degrees Celsius, but it is %s."),
				 MIN_BODY_TEMPERATURE, MAX_BODY_TEMPERATURE, shown),
		pstrdup(_Q("Record the temperature in degrees Celsius, or leave "
				   "it NULL when it was not measured.")));
}

/*
 * entry_temperature: the entry trigger raises it as a rule (23514),
 * classify_arrival() as a bad parameter (22023).
 */
bool
BodyTemperature(double t, const char *shown, Problem *p)
{
	return TemperatureInRange(t, shown, "entry_temperature", p);
}

/*
 * health_check_temperature (doc/monitoring.md): the temperature of a daily
 * health check, in the same range as an arrival's.
 */
bool
HealthCheckTemperature(double t, const char *shown, Problem *p)
{
	return TemperatureInRange(t, shown, "health_check_temperature", p);
}

/*
 * The one reading of a symptom list: the first code not in the vocabulary
 * (NULL when every code is known), and in *any whether the list holds a
 * symptom.  NULL elements are skipped: a NULL array means "none reported"
 * (doc/arrival.md) and a NULL element is an empty slot of the same kind (a
 * form's unticked box).
 */
static char *
UnknownSymptom(ArrayType *symptoms, bool *any)
{
	Datum *elems;
	bool  *nulls;
	int	   n;
	char  *unknown = NULL;

	if (ARR_ELEMTYPE(symptoms) != TEXTOID)
		elog(ERROR, "symptoms must be an array of text");
	deconstruct_array(symptoms, TEXTOID, -1, false, TYPALIGN_INT, &elems,
					  &nulls, &n);
	*any = false;
	for (int i = 0; i < n && unknown == NULL; i++)
	{
		text *code;

		if (nulls[i])
			continue;
		code = DatumGetTextPP(elems[i]);
		if (!IsSymptomCode(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code)))
			unknown = text_to_cstring(code);
		*any = true;
	}
	pfree(elems);
	pfree(nulls);
	return unknown;
}

/*
 * health_check_symptoms (doc/monitoring.md): every code of a health check's
 * symptom list is one of the arrival's vocabulary (22023 otherwise).
 */
bool
HealthCheckSymptoms(ArrayType *symptoms, Problem *p)
{
	bool  any;
	char *code = UnknownSymptom(symptoms, &any);

	if (code == NULL)
		return true;
	return Flag(p, "health_check_symptoms", ERRCODE_INVALID_PARAMETER_VALUE,
				psprintf(_Q("unrecognized symptom code \"%s\""), code),
				psprintf(_Q("Symptom code \"%s\" is not in the symptom "
							"vocabulary."),
						 code),
				psprintf(_Q("Use one of: %s."), SYMPTOM_VOCABULARY));
}

/*
 * A health check that calls for a medical referral (doc/monitoring.md, the Fujian guideline 七):
 * a fever or any symptom, exactly as an arrival is symptomatic.
 */
bool
HealthCheckAlarming(bool has_temp, double temperature, ArrayType *symptoms)
{
	return ClassifyArrival(has_temp, temperature, symptoms, -1, false) ==
		   CAT_SYMPTOMATIC;
}

/* Raise 22023 unless t is a plausible body temperature. */
static void
CheckTemperature(double t, const char *shown)
{
	Problem p;

	if (!BodyTemperature(t, shown, &p))
	{
		p.sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		RaiseProblem(&p, NULL);
	}
}

/*
 * Does the symptom list hold any symptom?  Every element is checked, so an
 * unknown code is reported even when another element already decides.
 */
static bool
HasSymptom(ArrayType *symptoms)
{
	bool  any;
	char *code = UnknownSymptom(symptoms, &any);

	if (code != NULL)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unrecognized symptom code \"%s\"", code),
						errdetail("Symptom code \"%s\" is not in the symptom "
								  "vocabulary.",
								  code),
						errhint("Use one of: " SYMPTOM_VOCABULARY ".")));
	return any;
}

/*
 * Classify an arrival (doc/arrival.md). Confirmed beats symptomatic beats
 * close contact beats general, the order in which the national plan 二(二)1
 * routes them (hospital before isolation site). "suspected" is a clinician's
 * call and is never inferred here.
 */
ArrivalCategory
ClassifyArrival(bool has_temp, double temperature, ArrayType *symptoms,
				int nat_result, bool close_contact)
{
	bool fever = false;
	bool symptomatic;

	if (has_temp)
	{
		char shown[32];

		snprintf(shown, sizeof(shown), "%g", temperature);
		CheckTemperature(temperature, shown);
		/*
		 * The Fujian guideline 四(二): "体温超过37.3度" — strictly above the
		 * threshold.
		 */
		fever = rint(temperature * TEMPERATURE_SCALE) >
				rint(quarantine_fever_threshold * TEMPERATURE_SCALE);
	}
	symptomatic = symptoms != NULL && HasSymptom(symptoms);

	if (nat_result == RESULT_POSITIVE)
		return CAT_CONFIRMED;
	if (fever || symptomatic)
		return CAT_SYMPTOMATIC;
	if (close_contact)
		return CAT_CLOSE_CONTACT;
	return CAT_GENERAL;
}

/*
 * classify_arrival(temperature numeric, symptoms text[], nat_result
 * test_result, close_contact boolean) → arrival_category.  Not strict: NULL
 * temperature is "not measured", NULL symptoms "none reported", NULL
 * nat_result "no result", NULL close_contact false.
 */
Datum
classify_arrival(PG_FUNCTION_ARGS)
{
	bool	   has_temp = !PG_ARGISNULL(0);
	double	   temperature = 0;
	ArrayType *symptoms = PG_ARGISNULL(1) ? NULL : PG_GETARG_ARRAYTYPE_P(1);
	int		   nat_result = -1;
	bool	   close_contact = !PG_ARGISNULL(3) && PG_GETARG_BOOL(3);
	ArrivalCategory cat;

	if (has_temp)
	{
		/*
		 * Through the exact decimal text: strtod never fails (1e400 becomes
		 * HUGE_VAL, NaN stays NaN) and the range check then reports the value
		 * as the user wrote it.
		 */
		char *shown = DatumGetCString(
			DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(0)));

		temperature = strtod(shown, NULL);
		CheckTemperature(temperature, shown);
	}
	if (!PG_ARGISNULL(2))
		nat_result = EnumLabelIndex(QE_TEST_RESULT, PG_GETARG_OID(2));

	cat = ClassifyArrival(has_temp, temperature, symptoms, nat_result,
						  close_contact);
	PG_RETURN_OID(EnumLabelOid(QE_ARRIVAL_CATEGORY, cat));
}

/* ---------- flight seats ---------- */

#define MAX_SEAT_ROW 999

/*
 * The next character of a seat as ASCII, full-width forms folded (seats typed
 * on a Chinese keyboard: "１２Ａ"); U+3000 ideographic space becomes ' '.  Any
 * other non-ASCII character comes back as 0x80, which matches nothing.
 */
static char
NextSeatChar(const char **p)
{
	const unsigned char *s = (const unsigned char *) *p;

	if (s[0] < 0x80)
	{
		(*p)++;
		return (char) s[0];
	}
	if (GetDatabaseEncoding() == PG_UTF8)
	{
		/* U+FF01..U+FF5E are EF BC 81..EF BD 9E and map to 0x21..0x7E. */
		if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x81 && s[2] <= 0xBF)
		{
			*p += 3;
			return (char) (s[2] - 0x81 + 0x21);
		}
		if (s[0] == 0xEF && s[1] == 0xBD && s[2] >= 0x80 && s[2] <= 0x9E)
		{
			*p += 3;
			return (char) (s[2] - 0x80 + 0x60);
		}
		if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		{
			*p += 3;
			return ' ';
		}
	}
	*p += pg_mblen(*p);
	return (char) 0x80;
}

static bool
IsSeatBlank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Raise 22P02 for a malformed seat with a DETAIL naming what is wrong. */
static void
pg_attribute_noreturn() SeatSyntaxError(const char *seat, const char *detail)
{
	ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					errmsg("invalid input syntax for a seat: \"%s\"", seat),
					errdetail_internal("%s", detail),
					errhint("Write the row number followed by one seat "
							"letter, as in \"12A\".")));
}

/*
 * Row number of a seat "<row><letter>" such as "12A" (row 1-999, one letter
 * A-Z, either case).  Blanks may surround the seat and separate row from
 * letter ("12 A"), but not split the row.
 */
int
SeatRow(const char *seat)
{
	const char *p = seat;
	char		c;
	int			row = 0;
	int			ndigits = 0;

	/* Skip leading blanks. */
	do
	{
		c = NextSeatChar(&p);
	} while (c != '\0' && IsSeatBlank(c));
	if (c == '\0')
		SeatSyntaxError(seat, "The seat is empty.");

	/* The row: digits, leading zeros allowed as on boarding passes ("003A"). */
	while (c >= '0' && c <= '9')
	{
		if (row <= MAX_SEAT_ROW)
			row = row * 10 + (c - '0');
		ndigits++;
		c = NextSeatChar(&p);
	}
	if (ndigits == 0)
		SeatSyntaxError(seat, psprintf(_Q("Seat \"%s\" does not start with a "
										  "row number."),
									   seat));
	if (row < 1 || row > MAX_SEAT_ROW)
		SeatSyntaxError(seat, psprintf(row < 1 ? "Seat \"%s\" is in row 0, "
												 "but rows start at 1."
											   : "The row number of seat "
												 "\"%s\" is above 999.",
									   seat));

	/* The letter, after optional blanks. */
	while (c != '\0' && IsSeatBlank(c))
	{
		c = NextSeatChar(&p);
	}
	if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
		SeatSyntaxError(seat,
						psprintf(c == '\0' ? "Seat \"%s\" has no seat letter "
											 "after its row number."
										   : "Seat \"%s\" has a character "
											 "other than a seat letter after "
											 "its row number.",
								 seat));

	/* Nothing but blanks after the letter. */
	do
	{
		c = NextSeatChar(&p);
	} while (c != '\0' && IsSeatBlank(c));
	if (c != '\0')
		SeatSyntaxError(seat,
						psprintf(_Q("Seat \"%s\" has characters after its "
									"seat letter."),
								 seat));
	return row;
}

/* seat_row(text) → int: the row of a seat, '12A' → 12. */
Datum
seat_row(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(SeatRow(text_to_cstring(PG_GETARG_TEXT_PP(0))));
}

/*
 * is_flight_close_contact(seat_a, seat_b) → boolean: are the two seats within
 * quarantine.flight_contact_rows rows of each other (inclusive)?  The national
 * rule: "病例座位的同排和前后各三排座位的全部旅客".
 */
Datum
is_flight_close_contact(PG_FUNCTION_ARGS)
{
	int a = SeatRow(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	int b = SeatRow(text_to_cstring(PG_GETARG_TEXT_PP(1)));

	PG_RETURN_BOOL(abs(a - b) <= quarantine_flight_contact_rows);
}
