/*
 * names.c
 *		Name keys and name similarity for duplicate control
 *		(doc/tasks-phones-names.md).
 *
 * The same person reaches the control list twice when the province's list, the
 * police's charter manifest and the district's own entry spell the name
 * differently (the national plan and the district notes).
 * doc/tasks-phones-names.md asks that blanks, full-width characters, Latin
 * name order and case be ignored: name_key() folds those away so that equal
 * keys can be found by an index, and name_similarity() scores the remaining
 * near misses for review (never for merging).
 *
 * Names are worked on as arrays of Unicode code points, so that one Chinese
 * character counts as one character. Pinyin and Chinese characters, and
 * traditional and simplified characters, cannot be matched without a
 * dictionary and are not.
 */
#include "rules/rules.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

/* Only this much of a name is read: nobody's name is longer. */
#define NAME_MAX_INPUT_BYTES 4096
/* Edit distances are computed on at most this many characters of a key. */
#define NAME_MAX_CHARS 128
/* Latin names up to this many words are also compared in every word order. */
#define NAME_PERM_MAX_WORDS 4
/* Edit costs in half units: a transposition costs half a substitution. */
#define EDIT_COST	   2
#define TRANSPOSE_COST 1
#define FOLD_SEPARATOR (-1)

/*
 * A name folded into words: the characters of all words without separators,
 * and where each word starts.
 */
typedef struct NameWords
{
	pg_wchar *chars;
	int		  nchars;
	int		  nwords;
	int		 *start; /* nwords + 1 entries; word i is [start[i], start[i+1]) */
	bool	  latin; /* has an ASCII letter: word order does not count */
} NameWords;

/*
 * Latin-1 Supplement and Latin Extended-A letters (U+00C0..U+017F) without
 * their accents, lower case.  Passports print names without diacritics (ICAO
 * 9303 transliterates them), a clerk copying from another document may not:
 * "José" and "JOSE" are the same name.  NULL for × and ÷.
 */
/* clang-format off */
static const char *const latin_base[] = {
	/* U+00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00D0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */ "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	/* U+0110 */ "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 */ "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	/* U+0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 */ "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	/* U+0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 */ "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	/* U+0170 */ "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};
/* clang-format on */
StaticAssertDecl(lengthof(latin_base) == 0x180 - 0xC0,
				 "latin_base must cover U+00C0..U+017F");

/* Characters that separate words: blanks, middle dots, name punctuation. */
static bool
IsNameSeparator(pg_wchar c)
{
	if (c < 0x20 || c == 0x7F)
		return true;
	switch (c)
	{
		case ' ':
			/* ASCII punctuation between words: "ZHANG/SAN" (airline PNR),
			 * "ZHANG<<SAN" (MRZ), "ZHANG, San", "Jean-Pierre", "J. Smith" */
		case '-':
		case ',':
		case '.':
		case '/':
		case '<':
		case '_':
		case ';':
		case ':':
		case '(':
		case ')':
		case '[':
		case ']':
		case '"':
			/* blanks other than ASCII: NBSP, ogham, en/em spaces, ideographic */
		case 0x00A0:
		case 0x1680:
		case 0x2028:
		case 0x2029:
		case 0x202F:
		case 0x205F:
		case 0x3000:
			/* middle dots between the parts of a transcribed foreign or
			 * minority name ("约翰·史密斯"), as each input method types it */
		case 0x00B7:
		case 0x0387:
		case 0x2022:
		case 0x2027:
		case 0x2219:
		case 0x22C5:
		case 0x30FB:
		case 0xFF65:
			return true;
		default:
			return c >= 0x2000 && c <= 0x200A;
	}
}

/* Characters that vanish: apostrophes ("O'Brien" = "OBrien"), invisible marks. */
static bool
IsNameIgnored(pg_wchar c)
{
	return c == '\'' || c == '`' || c == 0x00B4 || c == 0x02BC ||
		   c == 0x2018 || c == 0x2019 || c == 0x00AD ||
		   (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

/*
 * Fold one code point: full-width ASCII (U+FF01..U+FF5E) to ASCII as NFKC
 * does, the ideographic space to a blank, Latin letters to lower case without
 * accents.  Writes up to 2 characters to out and returns how many, or
 * FOLD_SEPARATOR.
 */
static int
FoldNameChar(pg_wchar c, pg_wchar *out)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		c -= 0xFEE0;
	if (IsNameSeparator(c))
		return FOLD_SEPARATOR;
	if (IsNameIgnored(c))
		return 0;
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	else if (c >= 0xC0 && c <= 0x17F && latin_base[c - 0xC0] != NULL)
	{
		const char *base = latin_base[c - 0xC0];
		int			n = 0;

		while (base[n])
		{
			out[n] = (pg_wchar) base[n];
			n++;
		}
		return n;
	}
	out[0] = c;
	return 1;
}

/*
 * Split a UTF-8 name into folded words.  An invalid byte sequence becomes
 * U+FFFD, so that odd input still yields a key and never reads past the end;
 * of a longer name only the whole characters in the first
 * NAME_MAX_INPUT_BYTES are read.
 */
static void
NameFold(const char *name, NameWords *nw)
{
	const unsigned char *p = (const unsigned char *) name;
	size_t				 len = strnlen(name, NAME_MAX_INPUT_BYTES);
	const unsigned char *end = p + len;
	bool				 in_word = false;

	/* Cut a long name before the character that straddles the limit. */
	for (int i = 0; i < 3 && end > p && (*end & 0xC0) == 0x80; i++)
		end--;
	len = end - p;

	/* A character folds into at most 2. */
	nw->chars = palloc((2 * len + 1) * sizeof(pg_wchar));
	nw->start = palloc((len + 2) * sizeof(int));
	nw->nchars = 0;
	nw->nwords = 0;
	nw->latin = false;

	while (p < end)
	{
		int		 clen = pg_utf_mblen(p);
		pg_wchar c;
		pg_wchar folded[2];
		int		 n;

		if (end - p < clen || !pg_utf8_islegal(p, clen))
		{
			c = 0xFFFD;
			clen = 1;
		}
		else
			c = utf8_to_unicode(p);
		p += clen;

		n = FoldNameChar(c, folded);
		if (n == FOLD_SEPARATOR)
		{
			in_word = false;
			continue;
		}
		for (int i = 0; i < n; i++)
		{
			if (!in_word)
			{
				nw->start[nw->nwords++] = nw->nchars;
				in_word = true;
			}
			if (folded[i] >= 'a' && folded[i] <= 'z')
				nw->latin = true;
			nw->chars[nw->nchars++] = folded[i];
		}
	}
	nw->start[nw->nwords] = nw->nchars;
}

/* Compare two words by code points (the order of their UTF-8 bytes). */
static int
CompareWords(const pg_wchar *a, int alen, const pg_wchar *b, int blen)
{
	for (int i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen - blen;
}

/* qsort_arg comparator of word numbers, by their words. */
static int
CompareWordsAt(const void *x, const void *y, void *arg)
{
	const NameWords *nw = (const NameWords *) arg;
	int				 a = *(const int *) x;
	int				 b = *(const int *) y;

	return CompareWords(
		nw->chars + nw->start[a], nw->start[a + 1] - nw->start[a],
		nw->chars + nw->start[b], nw->start[b + 1] - nw->start[b]);
}

/* The words in the order given by order[], concatenated into out. */
static int
ConcatWords(const NameWords *nw, const int *order, pg_wchar *out)
{
	int n = 0;

	for (int w = 0; w < nw->nwords; w++)
	{
		int s = nw->start[order[w]];
		int len = nw->start[order[w] + 1] - s;

		memcpy(out + n, nw->chars + s, len * sizeof(pg_wchar));
		n += len;
	}
	return n;
}

/*
 * The matching key as code points: a Latin name's words sorted (so that
 * "ZHANG San" and "san zhang" meet), any other name's words in their order,
 * concatenated without separators.  Returns a palloc'd array of nchars.
 */
static pg_wchar *
NameKeyChars(const NameWords *nw, int *nkey)
{
	int		 *order = palloc((nw->nwords + 1) * sizeof(int));
	pg_wchar *key = palloc((nw->nchars + 1) * sizeof(pg_wchar));

	for (int w = 0; w < nw->nwords; w++)
		order[w] = w;
	if (nw->latin)
		qsort_arg(order, nw->nwords, sizeof(int), CompareWordsAt, (void *) nw);
	*nkey = ConcatWords(nw, order, key);
	pfree(order);
	return key;
}

/*
 * Matching key of a personal name (doc/tasks-phones-names.md), palloc'd UTF-8.
 */
char *
NameKey(const char *name)
{
	NameWords	   nw;
	int			   nkey;
	pg_wchar	  *key;
	char		  *result;
	unsigned char *out;

	NameFold(name, &nw);
	key = NameKeyChars(&nw, &nkey);
	result = palloc(nkey * 4 + 1);
	out = (unsigned char *) result;
	for (int i = 0; i < nkey; i++)
	{
		unicode_to_utf8(key[i], out);
		out += pg_utf_mblen(out);
	}
	*out = '\0';
	return result;
}

/*
 * Optimal string alignment distance in half units: insertion, deletion and
 * substitution cost EDIT_COST, a transposition of two adjacent characters
 * TRANSPOSE_COST (the commonest slip of the hand, and the given-name /
 * family-name swap of a two-character name).  Both strings have at most
 * NAME_MAX_CHARS characters.
 */
static int
EditDistance(const pg_wchar *a, int na, const pg_wchar *b, int nb)
{
	int	 rows[3][NAME_MAX_CHARS + 1];
	int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	for (int j = 0; j <= nb; j++)
		prev[j] = j * EDIT_COST;
	for (int i = 1; i <= na; i++)
	{
		int *t;

		cur[0] = i * EDIT_COST;
		for (int j = 1; j <= nb; j++)
		{
			int d = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : EDIT_COST);

			d = Min(d, prev[j] + EDIT_COST);
			d = Min(d, cur[j - 1] + EDIT_COST);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
				a[i - 2] == b[j - 1] && a[i - 1] != b[j - 1])
				d = Min(d, prev2[j - 2] + TRANSPOSE_COST);
			cur[j] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[nb];
}

/* Same characters, each as often, in both (a reordering at most). */
static bool
SameCharacters(const pg_wchar *a, const pg_wchar *b, int n)
{
	bool used[NAME_MAX_CHARS] = {false};

	for (int i = 0; i < n; i++)
	{
		int j = 0;

		while (j < n && (used[j] || b[j] != a[i]))
			j++;
		if (j == n)
			return false;
		used[j] = true;
	}
	return true;
}

/*
 * Similarity of two names written in characters (Chinese, and any other
 * script without ASCII letters): 1 - distance / length, in characters.  In
 * a three-character name one wrong character (a homophone picked from the
 * input method's list: 张小明 / 张晓明) leaves 0.67, two leave 0.33.  A
 * two-character name has a one-character given name: any other difference
 * makes a different, common name (王伟 / 王炜), so the score is halved unless
 * the two only swap their characters.
 */
static double
CharSimilarity(const pg_wchar *a, int na, const pg_wchar *b, int nb)
{
	int	   n = Max(na, nb);
	double sim = 1.0 - (double) EditDistance(a, na, b, nb) / (EDIT_COST * n);

	if (Min(na, nb) <= 2 && !(na == nb && SameCharacters(a, b, na)))
		sim /= 2;
	return sim;
}

static inline void
SwapInts(int *a, int *b)
{
	int t = *a;

	*a = *b;
	*b = t;
}

/* Advance order[0..n) to the next permutation; false after the last one. */
static bool
NextPermutation(int *order, int n)
{
	int i = n - 2, j = n - 1;

	while (i >= 0 && order[i] >= order[i + 1])
		i--;
	if (i < 0)
		return false;
	while (order[j] <= order[i])
		j--;
	SwapInts(&order[i], &order[j]);
	for (int l = i + 1, r = n - 1; l < r; l++, r--)
		SwapInts(&order[l], &order[r]);
	return true;
}

/*
 * Smallest distance between a's words in every order and b's words in their
 * written order: "ZHANG XIAOMING" meets "Zhang Xiao Ming" and "ZHANGSAN"
 * meets "SAN ZHANG", which sorting words alone cannot do.
 */
static int
MinPermutedDistance(const NameWords *a, const NameWords *b, int best)
{
	int		 order[NAME_PERM_MAX_WORDS];
	pg_wchar sa[NAME_MAX_CHARS], sb[NAME_MAX_CHARS];
	int		 nb;

	for (int w = 0; w < b->nwords; w++)
		order[w] = w;
	nb = ConcatWords(b, order, sb);
	for (int w = 0; w < a->nwords; w++)
		order[w] = w;
	do
	{
		int na = ConcatWords(a, order, sa);

		best = Min(best, EditDistance(sa, na, sb, nb));
	} while (best > 0 && NextPermutation(order, a->nwords));
	return best;
}

/*
 * Similarity of two Latin names: 1 - 2 * distance / length on the letters,
 * taking the best word order and word split.  A letter carries less than a
 * Chinese character (a pinyin syllable is three letters on average), so one
 * letter edit weighs double: one slip in "zhang san" leaves 0.75 to 0.78,
 * two slips in a short pinyin name fall below 0.6.
 */
static double
LatinSimilarity(const NameWords *wa, const pg_wchar *ka, int na,
				const NameWords *wb, const pg_wchar *kb, int nb)
{
	int n = Max(na, nb);
	int d = EditDistance(ka, na, kb, nb);

	if (d > 0 && wa->nwords <= NAME_PERM_MAX_WORDS &&
		wb->nwords <= NAME_PERM_MAX_WORDS && wa->nchars <= NAME_MAX_CHARS &&
		wb->nchars <= NAME_MAX_CHARS)
	{
		d = MinPermutedDistance(wa, wb, d);
		d = MinPermutedDistance(wb, wa, d);
	}
	return 1.0 - 2.0 * d / (EDIT_COST * n);
}

/* Similarity in [0,1] of two personal names (doc/tasks-phones-names.md). */
float4
NameSimilarity(const char *a, const char *b)
{
	NameWords wa, wb;
	pg_wchar *ka, *kb;
	int		  na, nb;
	double	  sim;

	NameFold(a, &wa);
	NameFold(b, &wb);
	ka = NameKeyChars(&wa, &na);
	kb = NameKeyChars(&wb, &nb);

	/* A name with no characters is evidence of nothing, not even of itself. */
	if (na == 0 || nb == 0)
		return 0.0f;
	if (na == nb && memcmp(ka, kb, na * sizeof(pg_wchar)) == 0)
		return 1.0f;
	/* Pinyin against characters needs a dictionary: no evidence either way. */
	if (wa.latin != wb.latin)
		return 0.0f;

	na = Min(na, NAME_MAX_CHARS);
	nb = Min(nb, NAME_MAX_CHARS);
	if (wa.latin)
		sim = LatinSimilarity(&wa, ka, na, &wb, kb, nb);
	else
		sim = CharSimilarity(ka, na, kb, nb);
	/* Equal keys scored 1 above; a near miss stays below it. */
	return (float4) Max(0.0, Min(sim, 0.99));
}

/* Probably the same person by name: NameSimilarity >= the threshold. */
bool
NamesSimilar(const char *a, const char *b)
{
	return NameSimilarity(a, b) >= NAME_SIMILAR_THRESHOLD;
}

PG_FUNCTION_INFO_V1(name_key);

/* name_key(full_name text) → text */
Datum
name_key(PG_FUNCTION_ARGS)
{
	char *name = text_to_cstring(PG_GETARG_TEXT_PP(0));

	PG_RETURN_TEXT_P(cstring_to_text(NameKey(name)));
}

PG_FUNCTION_INFO_V1(name_similarity);

/* name_similarity(a text, b text) → real */
Datum
name_similarity(PG_FUNCTION_ARGS)
{
	char *a = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char *b = text_to_cstring(PG_GETARG_TEXT_PP(1));

	PG_RETURN_FLOAT4(NameSimilarity(a, b));
}

PG_FUNCTION_INFO_V1(names_similar);

/* names_similar(a text, b text) → boolean */
Datum
names_similar(PG_FUNCTION_ARGS)
{
	char *a = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char *b = text_to_cstring(PG_GETARG_TEXT_PP(1));

	PG_RETURN_BOOL(NamesSimilar(a, b));
}

/*
 * An upper bound of NameSimilarity from the two names' keys (name_key): the
 * duplicate search skips a pair whose bound is below the threshold without
 * computing the similarity, so it finds exactly the pairs it found before
 * (issue 12).  Every distance NameSimilarity takes is between strings with
 * the characters of the keys (word orders only rearrange them), and each
 * insertion, deletion or substitution, which cost EDIT_COST, changes at most
 * one character of each side's multiset while a transposition changes none:
 * d >= EDIT_COST * bd, bd = max(|A - B|, |B - A|).  Hence sim <= 1 - 2bd / n
 * for two Latin names (1 - 2d / (EDIT_COST n)) and sim <= 1 - bd / n for two
 * character names (1 - d / (EDIT_COST n)); halving short names or capping at
 * 0.99 only lowers it.  A Latin name (one with a letter a-z, as NameFold
 * decides) against another scores 0 unless the keys are equal.  Keys longer
 * than NAME_MAX_CHARS are compared truncated: no bound is claimed for them.
 */
static int
CompareChars(const void *x, const void *y)
{
	pg_wchar a = *(const pg_wchar *) x;
	pg_wchar b = *(const pg_wchar *) y;

	return a < b ? -1 : a > b;
}

/*
 * Sort a key's characters.  A key longer than NAME_MAX_CHARS claims no bound
 * (KeysSimilarityBound), so it is left as it is: the work on a key is then
 * linear in its length, however long a key a caller passes.
 */
static void
SortChars(pg_wchar *a, int n)
{
	if (n <= NAME_MAX_CHARS)
		qsort(a, n, sizeof(pg_wchar), CompareChars);
}

static bool
HasLatinLetter(const pg_wchar *a, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] >= 'a' && a[i] <= 'z')
			return true;
	return false;
}

/*
 * A key as the bound needs it (SortedKey, rules.h): its characters sorted,
 * whether it is Latin.  The duplicate search calls the filter for every pair
 * of a block, one side the same for a run of calls, so the last key of each
 * side is kept.
 */
void
SortKey(SortedKey *k, const char *key, int len, MemoryContext cxt)
{
	if (k->bytes != NULL && k->nbytes == len &&
		memcmp(k->bytes, key, len) == 0)
		return;
	if (k->bytes != NULL)
	{
		pfree(k->bytes);
		pfree(k->chars);
	}
	k->bytes = MemoryContextAlloc(cxt, len + 1);
	memcpy(k->bytes, key, len);
	k->nbytes = len;
	k->chars = MemoryContextAlloc(cxt, (len + 1) * sizeof(pg_wchar));
	k->nchars =
		pg_encoding_mb2wchar_with_len(PG_UTF8, k->bytes, k->chars, len);
	k->latin = HasLatinLetter(k->chars, k->nchars);
	SortChars(k->chars, k->nchars);
}

static double
KeysSimilarityBound(const SortedKey *ka, const SortedKey *kb)
{
	const pg_wchar *a = ka->chars;
	const pg_wchar *b = kb->chars;
	int				na = ka->nchars;
	int				nb = kb->nchars;
	int				common = 0;
	int				bd;

	if (na == 0 || nb == 0)
		return 0.0;
	if (na > NAME_MAX_CHARS || nb > NAME_MAX_CHARS)
		return 1.0;
	if (ka->latin != kb->latin)
		return 0.0; /* NameSimilarity gives 0: the keys differ */
	for (int i = 0, j = 0; i < na && j < nb;)
	{
		if (a[i] == b[j])
		{
			common++;
			i++;
			j++;
		}
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	bd = Max(na - common, nb - common);
	return 1.0 - (ka->latin ? 2.0 : 1.0) * bd / Max(na, nb);
}

/* False only when no two names with these keys reach threshold. */
bool
SortedKeysMayMatch(const SortedKey *a, const SortedKey *b, float4 threshold)
{
	/* a margin for the float4 the similarity is returned in */
	return KeysSimilarityBound(a, b) >= (double) threshold - 1e-6;
}

PG_FUNCTION_INFO_V1(name_keys_may_match);

/*
 * name_keys_may_match(key_a text, key_b text, threshold real) → boolean:
 * false only when name_similarity of any two names with these keys is below
 * threshold; true when a key is unknown (NULL).
 */
Datum
name_keys_may_match(PG_FUNCTION_ARGS)
{
	SortedKey *keys = fcinfo->flinfo->fn_extra;
	text	  *a;
	text	  *b;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_BOOL(true);
	if (keys == NULL)
		keys = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(
			fcinfo->flinfo->fn_mcxt, 2 * sizeof(SortedKey));
	a = PG_GETARG_TEXT_PP(0);
	b = PG_GETARG_TEXT_PP(1);
	SortKey(&keys[0], VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a),
			fcinfo->flinfo->fn_mcxt);
	SortKey(&keys[1], VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b),
			fcinfo->flinfo->fn_mcxt);
	PG_RETURN_BOOL(
		SortedKeysMayMatch(&keys[0], &keys[1], PG_GETARG_FLOAT4(2)));
}
