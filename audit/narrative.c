/*
 * narrative.c - composing synthetic assessment narratives; see narrative.h.
 *
 * A narrative is built the way a practitioner writes one: who the person
 * is and why we are here, what matters to them, each outcome in turn, the
 * risks, the carer, choice and control, the decision and the plan.  Which
 * parts appear, and in which voice, is drawn from the partner's quality
 * profile; the words come from narrative_bank.c.
 *
 * Everything is appended to one buffer inside struct ca_narr, so composing
 * allocates nothing.  A sentence that would push the text past the word
 * limit is taken back out, which keeps the 80-400 word promise without
 * planning lengths in advance.
 */
#include "narrative.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "narrative_bank.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(o) (1u << (o))

/* Templates used in the current narrative, so none is said twice. */
#define USED_MAX 96

enum { PRON_SHE, PRON_HE, PRON_THEY };

enum level {
	LEVEL_SINGLE,        /* one presenting issue, one or two outcomes */
	LEVEL_MIDDLE,        /* three to five outcomes */
	LEVEL_HOLISTIC       /* six to ten outcomes */
};

/* How the other person in the narrative relates to the person. */
enum kin {
	KIN_PARENT, KIN_CHILD, KIN_SIBLING, KIN_GRANDPARENT, KIN_GRANDCHILD,
	KIN_AUNT, KIN_NIBLING, KIN_SPOUSE
};

struct relation {
	const char *noun;
	int sex;             /* CA_SEX_FEMALE, CA_SEX_MALE */
	int kin;             /* what the other person is to the person */
};

enum {
	R_MOTHER, R_FATHER, R_SISTER, R_BROTHER, R_GRANDMOTHER, R_AUNT,
	R_DAUGHTER, R_SON, R_NIECE, R_NEPHEW, R_GRANDDAUGHTER, R_GRANDSON,
	R_SPOUSE
};

static const struct relation relations[] = {
	[R_MOTHER] = { "mother", CA_SEX_FEMALE, KIN_PARENT },
	[R_FATHER] = { "father", CA_SEX_MALE, KIN_PARENT },
	[R_SISTER] = { "sister", CA_SEX_FEMALE, KIN_SIBLING },
	[R_BROTHER] = { "brother", CA_SEX_MALE, KIN_SIBLING },
	[R_GRANDMOTHER] = { "grandmother", CA_SEX_FEMALE, KIN_GRANDPARENT },
	[R_AUNT] = { "aunt", CA_SEX_FEMALE, KIN_AUNT },
	[R_DAUGHTER] = { "daughter", CA_SEX_FEMALE, KIN_CHILD },
	[R_SON] = { "son", CA_SEX_MALE, KIN_CHILD },
	[R_NIECE] = { "niece", CA_SEX_FEMALE, KIN_NIBLING },
	[R_NEPHEW] = { "nephew", CA_SEX_MALE, KIN_NIBLING },
	[R_GRANDDAUGHTER] = { "granddaughter", CA_SEX_FEMALE, KIN_GRANDCHILD },
	[R_GRANDSON] = { "grandson", CA_SEX_MALE, KIN_GRANDCHILD },
	[R_SPOUSE] = { "partner", CA_SEX_EITHER, KIN_SPOUSE },
};

/* Who the other person is likely to be, by the person's age band: for
 * someone being assessed it is their carer or closest relative, for a
 * carer it is the person they look after.  Repeats weight the draw. */
static const unsigned char kin_person[CA_AGE_BANDS][8] = {
	{ R_MOTHER, R_MOTHER, R_FATHER, R_SISTER, R_BROTHER, R_GRANDMOTHER,
	  R_AUNT, R_MOTHER },
	{ R_MOTHER, R_FATHER, R_SPOUSE, R_SPOUSE, R_SISTER, R_BROTHER,
	  R_MOTHER, R_SPOUSE },
	{ R_SPOUSE, R_SPOUSE, R_DAUGHTER, R_SON, R_SISTER, R_BROTHER,
	  R_MOTHER, R_SPOUSE },
	{ R_SPOUSE, R_SPOUSE, R_DAUGHTER, R_SON, R_SISTER, R_NIECE,
	  R_DAUGHTER, R_SPOUSE },
	{ R_SPOUSE, R_DAUGHTER, R_SON, R_NIECE, R_NEPHEW, R_GRANDDAUGHTER,
	  R_DAUGHTER, R_SON },
	{ R_DAUGHTER, R_SON, R_NIECE, R_NEPHEW, R_GRANDDAUGHTER, R_GRANDSON,
	  R_DAUGHTER, R_SPOUSE },
};
static const unsigned char kin_carer[CA_AGE_BANDS][8] = {
	{ R_MOTHER, R_MOTHER, R_FATHER, R_BROTHER, R_GRANDMOTHER, R_SISTER,
	  R_MOTHER, R_FATHER },
	{ R_MOTHER, R_FATHER, R_SON, R_DAUGHTER, R_SPOUSE, R_MOTHER,
	  R_SON, R_SPOUSE },
	{ R_MOTHER, R_FATHER, R_SPOUSE, R_SPOUSE, R_SON, R_DAUGHTER,
	  R_MOTHER, R_SPOUSE },
	{ R_SPOUSE, R_SPOUSE, R_SPOUSE, R_MOTHER, R_SON, R_DAUGHTER,
	  R_SISTER, R_SPOUSE },
	{ R_SPOUSE, R_SPOUSE, R_SPOUSE, R_SON, R_DAUGHTER, R_SISTER,
	  R_BROTHER, R_SPOUSE },
	{ R_SPOUSE, R_SPOUSE, R_SPOUSE, R_SON, R_DAUGHTER, R_SISTER,
	  R_SPOUSE, R_SPOUSE },
};

/* What the person is to the other person, by kin and pronoun set. */
static const char *const kin_inverse[][3] = {
	[KIN_PARENT] = { "daughter", "son", "child" },
	[KIN_CHILD] = { "mother", "father", "parent" },
	[KIN_SIBLING] = { "sister", "brother", "sibling" },
	[KIN_GRANDPARENT] = { "granddaughter", "grandson", "grandchild" },
	[KIN_GRANDCHILD] = { "grandmother", "grandfather", "grandparent" },
	[KIN_AUNT] = { "niece", "nephew", "relative" },
	[KIN_NIBLING] = { "aunt", "uncle", "relative" },
	[KIN_SPOUSE] = { "wife", "husband", "partner" },
};

static const char *const relative_visits[] = {
	"visits every {day}", "calls in most days", "visits at weekends",
	"visits twice a week",
};

static const char *const pron_they[] = { "she", "he", "they" };
static const char *const pron_They[] = { "She", "He", "They" };
static const char *const pron_them[] = { "her", "him", "them" };
static const char *const pron_their[] = { "her", "his", "their" };
static const char *const pron_Their[] = { "Her", "His", "Their" };
static const char *const pron_selves[] = { "herself", "himself", "themselves" };
static const char *const verb_s[] = { "s", "s", "" };
static const char *const verb_es[] = { "es", "es", "" };
static const char *const verb_is[] = { "is", "is", "are" };
static const char *const verb_has[] = { "has", "has", "have" };
static const char *const verb_was[] = { "was", "was", "were" };
static const char *const verb_does[] = { "does", "does", "do" };

static const char *const writers[][3] = {
	{ "I", "I", "me" },
	{ "The assessor", "the assessor", "the assessor" },
	{ "The worker", "the worker", "the worker" },
};

static const char *const small_numbers[] = { "two", "three", "four" };
static const char *const weekdays[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};
static const char *const how_many_years[] = {
	"two", "three", "four", "five", "six", "eight", "ten"
};
static const char *const review_weeks[] = { "four", "six", "eight", "twelve" };
static const char *const rag_ratings[] = { "green", "amber", "amber", "red" };
static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static const char *const outcome_names[CA_OUT_COUNT] = {
	[CA_OUT_NUTRITION] = "managing and maintaining nutrition",
	[CA_OUT_HYGIENE] = "maintaining personal hygiene",
	[CA_OUT_TOILET] = "managing toilet needs",
	[CA_OUT_CLOTHING] = "being appropriately clothed",
	[CA_OUT_HOME_SAFELY] = "being able to make use of the home safely",
	[CA_OUT_HABITABLE_HOME] = "maintaining a habitable home environment",
	[CA_OUT_RELATIONSHIPS] =
	    "developing and maintaining family or other personal relationships",
	[CA_OUT_WORK] =
	    "accessing and engaging in work, training, education or volunteering",
	[CA_OUT_COMMUNITY] =
	    "making use of necessary facilities or services in the local community",
	[CA_OUT_CHILD] = "carrying out any caring responsibilities for a child",
};

/* How often each outcome comes up, per thousand draws' weight: for people
 * assessed, for carers, and as the one issue of a single-issue referral. */
static const int outcome_weight_person[CA_OUT_COUNT] =
    { 90, 95, 55, 60, 90, 60, 65, 30, 65, 15 };
static const int outcome_weight_carer[CA_OUT_COUNT] =
    { 50, 40, 30, 30, 40, 50, 80, 60, 70, 35 };
static const int outcome_weight_presenting[CA_OUT_COUNT] =
    { 15, 35, 8, 3, 30, 6, 2, 1, 3, 1 };

/* Who the person being cared for is, for a carer's assessment. */
static const int cared_for_reason_weight[CA_PSR_COUNT] =
    { 35, 5, 35, 10, 12, 3 };

enum slot {
	S_P, S_they, S_They, S_them, S_their, S_Their, S_themselves, S_s,
	S_es, S_is, S_has, S_was, S_does, S_rel, S_relname, S_relshe,
	S_relShe, S_relher, S_relhis, S_relsees, S_rel_of_p, S_friendrel, S_friendname,
	S_Wr, S_wr, S_me, S_cond, S_cond2, S_trigger, S_place, S_act,
	S_group, S_town, S_equip, S_referrer, S_agency, S_home, S_job,
	S_living, S_age, S_n, S_years, S_calls, S_weeks, S_hours, S_budget, S_waited, S_day,
	S_rag, S_outcomes, S_Q, S_nhs, S_phone, S_postcode, S_email, S_dob,
	S_house, S_street
};

static const struct {
	const char *name;
	unsigned char len;
	unsigned char id;
} slots[] = {
#define SLOT(x) { #x, sizeof(#x) - 1, S_##x }
	SLOT(P), SLOT(they), SLOT(They), SLOT(them), SLOT(their),
	SLOT(Their), SLOT(themselves), SLOT(s), SLOT(es), SLOT(is),
	SLOT(has), SLOT(was), SLOT(does), SLOT(rel), SLOT(relname),
	SLOT(relshe), SLOT(relShe), SLOT(relher), SLOT(relhis), SLOT(relsees),
	SLOT(rel_of_p), SLOT(friendrel), SLOT(friendname), SLOT(Wr),
	SLOT(wr), SLOT(me), SLOT(cond), SLOT(cond2), SLOT(trigger),
	SLOT(place), SLOT(act), SLOT(group), SLOT(town), SLOT(equip),
	SLOT(referrer), SLOT(agency), SLOT(home), SLOT(job), SLOT(living),
	SLOT(age), SLOT(n), SLOT(years), SLOT(calls), SLOT(weeks), SLOT(hours), SLOT(budget),
	SLOT(waited), SLOT(day), SLOT(rag), SLOT(outcomes), SLOT(Q),
	SLOT(nhs), SLOT(phone), SLOT(postcode), SLOT(email), SLOT(dob),
	SLOT(house), SLOT(street),
#undef SLOT
};

struct ca_narr {
	char text[CA_NARR_MAX_BYTES];
	size_t len;
	int words;
	int overflow;        /* a sentence did not fit the buffer */
	int unknown;         /* slots nobody knows: a bank typo */
	int pending_break;   /* the next sentence opens a paragraph */
	int last_by_name;    /* the last sentence began with the name */

	/* The case and how this narrative is written. */
	const ca_narr_case *c;
	const ca_narr_person *p;
	ca_rng *r;
	int pron;
	int writer;
	int level;
	int strengths, deficit, good_record, paragraphs;
	const char *para_sep;
	int target;          /* words to aim for before optional sentences stop */
	int pii_at;          /* the section after which personal data goes */
	unsigned chosen;     /* outcomes the narrative means to cover */
	unsigned covered;    /* outcomes it did cover */
	unsigned needs;      /* of those, outcomes where a need was recorded */

	/* Who and what the narrative talks about. */
	char pname[96];
	const char *rel, *relname, *rel_of_p, *relsees, *friendrel, *friendname;
	int relpron;
	int rel_lives_with;
	const char *cond, *cond2, *trigger, *place, *act, *group, *town;
	const char *equip, *referrer, *agency, *home, *job, *weeks, *rag;
	const char *years, *calls;
	const char *street, *quote;
	char living[64], age[48], hours[8], budget[8], waited[12];
	char outcomes[320];
	char nhs[16], phone[32], postcode[12], email[96], dob[24], house[8];

	const char *used[USED_MAX];
	int nused;
	ca_narr_facts f;
};

ca_narr *
ca_narr_new(void)
{
	return calloc(1, sizeof(ca_narr));
}

void
ca_narr_free(ca_narr *n)
{
	free(n);
}

const char *
ca_narr_text(const ca_narr *n)
{
	return n->text;
}

size_t
ca_narr_len(const ca_narr *n)
{
	return n->len;
}

const char *
ca_outcome_name(int outcome)
{
	if (outcome < 0 || outcome >= CA_OUT_COUNT)
		return "";
	return outcome_names[outcome];
}

/* ---- Small draws ----------------------------------------------------- */

/* True with a chance of pm in a thousand.  Integer draws keep the stream
 * free of floating point, so output cannot differ between machines. */
static const char *
vocab(ca_rng *r, const ca_bank *b)
{
	return b->v[ca_rng_below(r, b->n)];
}

/* ---- Text buffer ----------------------------------------------------- */

static void
put(ca_narr *n, const char *s, size_t len)
{
	/* Keep a byte for the terminating NUL. */
	if (len >= sizeof n->text - n->len) {
		n->overflow = 1;
		return;
	}
	memcpy(n->text + n->len, s, len);
	n->len += len;
}

static const char *
slot_value(ca_narr *n, const char *name, size_t len)
{
	int id = -1;

	for (size_t i = 0; i < NITEMS(slots); i++) {
		if (slots[i].len == len && memcmp(slots[i].name, name, len) == 0) {
			id = slots[i].id;
			break;
		}
	}
	switch (id) {
	case S_P: return n->pname;
	case S_they: return pron_they[n->pron];
	case S_They: return pron_They[n->pron];
	case S_them: return pron_them[n->pron];
	case S_their: return pron_their[n->pron];
	case S_Their: return pron_Their[n->pron];
	case S_themselves: return pron_selves[n->pron];
	case S_s: return verb_s[n->pron];
	case S_es: return verb_es[n->pron];
	case S_is: return verb_is[n->pron];
	case S_has: return verb_has[n->pron];
	case S_was: return verb_was[n->pron];
	case S_does: return verb_does[n->pron];
	case S_rel: return n->rel;
	case S_relname: return n->relname;
	case S_relshe: return pron_they[n->relpron];
	case S_relShe: return pron_They[n->relpron];
	case S_relher: return pron_them[n->relpron];
	case S_relhis: return pron_their[n->relpron];
	case S_relsees: return n->relsees;
	case S_rel_of_p: return n->rel_of_p;
	case S_friendrel: return n->friendrel;
	case S_friendname: return n->friendname;
	case S_Wr: return writers[n->writer][0];
	case S_wr: return writers[n->writer][1];
	case S_me: return writers[n->writer][2];
	case S_cond: return n->cond;
	case S_cond2: return n->cond2;
	case S_trigger: return n->trigger;
	case S_place: return n->place;
	case S_act: return n->act;
	case S_group: return n->group;
	case S_town: return n->town;
	case S_equip: return n->equip;
	case S_referrer: return n->referrer;
	case S_agency: return n->agency;
	case S_home: return n->home;
	case S_job: return n->job;
	case S_living: return n->living;
	case S_age: return n->age;
	case S_n: return small_numbers[ca_rng_below(n->r, NITEMS(small_numbers))];
	case S_years: return n->years;
	case S_calls: return n->calls;
	case S_weeks: return n->weeks;
	case S_hours: return n->hours;
	case S_budget: return n->budget;
	case S_waited: return n->waited;
	case S_day: return weekdays[ca_rng_below(n->r, NITEMS(weekdays))];
	case S_rag: return n->rag;
	case S_outcomes: return n->outcomes;
	case S_Q: return n->quote != NULL ? n->quote : "";
	case S_nhs: return n->nhs;
	case S_phone: return n->phone;
	case S_postcode: return n->postcode;
	case S_email: return n->email;
	case S_dob: return n->dob;
	case S_house: return n->house;
	case S_street: return n->street;
	}
	return NULL;
}

static void
expand(ca_narr *n, const char *t, int depth)
{
	while (*t != '\0') {
		const char *open = strchr(t, '{'), *close, *v;

		if (open == NULL) {
			put(n, t, strlen(t));
			return;
		}
		put(n, t, (size_t)(open - t));
		close = strchr(open, '}');
		if (close == NULL) {
			n->unknown++;
			put(n, open, strlen(open));
			return;
		}
		v = slot_value(n, open + 1, (size_t)(close - open - 1));
		if (v == NULL) {
			n->unknown++;
			put(n, open, (size_t)(close - open + 1));
		} else if (depth < 3 && strchr(v, '{') != NULL)
			expand(n, v, depth + 1);
		else
			put(n, v, strlen(v));
		t = close + 1;
	}
}

static int
count_words(const char *s, size_t len)
{
	int words = 0, in = 0;

	for (size_t i = 0; i < len; i++) {
		int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' ||
		    s[i] == '\r';

		if (!space && !in)
			words++;
		in = !space;
	}
	return words;
}

/*
 * Append one expanded sentence.  Returns 1, or 0 when it was taken back
 * because it would break the word or byte limit.
 */
static int
sentence(ca_narr *n, const char *tmpl)
{
	size_t mark = n->len, start;
	int words, by_name = strncmp(tmpl, "{P}", 3) == 0;

	if (n->len > 0) {
		const char *sep = n->pending_break ? n->para_sep : " ";

		put(n, sep, strlen(sep));
	}
	start = n->len;
	n->overflow = 0;
	/*
	 * Writers do not repeat a name at the start of every sentence: after
	 * one that began with it, "She" or "His" often follows.  Not for
	 * "they", whose verb would then disagree with a template written
	 * for a name.
	 */
	if (by_name && n->last_by_name && n->pron != PRON_THEY &&
	    ca_rng_permille(n->r, 450)) {
		if (strncmp(tmpl, "{P}'s ", 6) == 0) {
			put(n, pron_Their[n->pron], strlen(pron_Their[n->pron]));
			tmpl += 5;
		} else {
			put(n, pron_They[n->pron], strlen(pron_They[n->pron]));
			tmpl += 3;
		}
		by_name = 0;
	}
	expand(n, tmpl, 0);
	words = count_words(n->text + start, n->len - start);
	if (n->overflow || n->words + words > CA_NARR_MAX_WORDS) {
		n->len = mark;
		return 0;
	}
	n->words += words;
	n->pending_break = 0;
	n->last_by_name = by_name;
	return 1;
}

static void
paragraph(ca_narr *n)
{
	if (n->paragraphs && n->len > 0)
		n->pending_break = 1;
}

static int
room(const ca_narr *n)
{
	return n->words < n->target;
}

/* ---- Choosing templates ---------------------------------------------- */

enum { PICK_NEED = 1 };  /* refuse "no needs" templates */

static int
was_used(const ca_narr *n, const char *t)
{
	for (int i = 0; i < n->nused; i++)
		if (n->used[i] == t)
			return 1;
	return 0;
}

/*
 * Draw a template from b that suits this person and has not been said
 * yet, and return it without its markers; NULL when none suits.
 */
static const char *
pick(ca_narr *n, const ca_bank *b, int flags, int *no_need)
{
	const int old = n->p->age_band >= 3;

	for (int tries = 0; tries < 10; tries++) {
		const char *t = b->v[ca_rng_below(n->r, b->n)], *s;
		int suits = 1, nn = 0;

		for (s = t; *s == '~' || *s == '^' || *s == '`'; s++) {
			if (*s == '~')
				nn = 1;
			else if ((*s == '^' && old) || (*s == '`' && !old))
				suits = 0;
		}
		if (!suits || (nn && (flags & PICK_NEED)))
			continue;
		/* A repeat only when the bank has nothing fresh left. */
		if (was_used(n, t) && tries < 9)
			continue;
		if (n->nused < USED_MAX)
			n->used[n->nused++] = t;
		if (no_need != NULL)
			*no_need = nn;
		return s;
	}
	return NULL;
}

static int
say(ca_narr *n, const ca_bank *b)
{
	const char *t = pick(n, b, 0, NULL);

	return t != NULL && sentence(n, t);
}

static void
say_strength(ca_narr *n, const ca_bank *b)
{
	if (say(n, b))
		n->f.strengths++;
}

static void
say_deficit(ca_narr *n, const ca_bank *b)
{
	if (say(n, b))
		n->f.deficits++;
}

static void
say_quote(ca_narr *n, const ca_bank *quotes)
{
	n->quote = pick(n, quotes, 0, NULL);
	if (n->quote != NULL && say(n, &ca_bank_quote_frame)) {
		n->f.quotes++;
		n->f.strengths++;
	}
	n->quote = NULL;
}

/* ---- Personal data ----------------------------------------------------- */

/* An NHS number in the 999 range, which the NHS never issues.  The check
 * digit is computed here; redact.c's ca_nhs_check_digit_ok is the one
 * validator, and the generator's tests hold every planted number to it. */
static void
make_nhs(ca_narr *n)
{
	char d[11];
	int sum, check;

	do {
		d[0] = d[1] = d[2] = '9';
		sum = 9 * 10 + 9 * 9 + 9 * 8;
		for (int i = 3; i < 9; i++) {
			d[i] = (char)('0' + ca_rng_below(n->r, 10));
			sum += (d[i] - '0') * (10 - i);
		}
		check = 11 - sum % 11;
		if (check == 11)
			check = 0;
	} while (check == 10);
	d[9] = (char)('0' + check);
	d[10] = '\0';
	if (ca_rng_permille(n->r, 500))
		snprintf(n->nhs, sizeof n->nhs, "%.3s %.3s %.4s", d, d + 3,
		    d + 6);
	else
		snprintf(n->nhs, sizeof n->nhs, "%s", d);
}

/* Telephone numbers from Ofcom's ranges reserved for drama, so none can
 * ring a real line, in the forms people write them. */
static void
make_phone(ca_narr *n)
{
	static const char *const areas[] = {
		"113", "114", "115", "116", "117", "118", "121", "131",
		"141", "151", "161"
	};
	int x = (int)ca_rng_below(n->r, 1000);
	const char *area = areas[ca_rng_below(n->r, NITEMS(areas))];

	switch (ca_rng_below(n->r, 8)) {
	case 0:
	case 1:
		snprintf(n->phone, sizeof n->phone, "07700 900%03d", x);
		break;
	case 2:
		snprintf(n->phone, sizeof n->phone, "+44 7700 900%03d", x);
		break;
	case 3:
		snprintf(n->phone, sizeof n->phone, "07700900%03d", x);
		break;
	case 4:
		snprintf(n->phone, sizeof n->phone, "0%s 496 0%03d", area, x);
		break;
	case 5:
		snprintf(n->phone, sizeof n->phone, "+44 %s 496 0%03d", area, x);
		break;
	case 6:
		snprintf(n->phone, sizeof n->phone, "020 7946 0%03d", x);
		break;
	default:
		snprintf(n->phone, sizeof n->phone, "01632 960%03d", x);
		break;
	}
}

static void
make_postcode(ca_narr *n)
{
	static const char *const areas[] = {
		"LS", "BD", "HX", "HD", "WF", "S", "YO", "HU", "M", "OL", "BL",
		"L", "CH", "NE", "SR", "DL", "TS", "NG", "DE", "LE", "B", "CV",
		"EX", "PL", "BS", "NR", "IP", "CB"
	};
	/* The letters a postcode's last two characters may use. */
	static const char unit[] = "ABDEFGHJLNPQRSTUWXYZ";

	snprintf(n->postcode, sizeof n->postcode, "%s%d %d%c%c",
	    areas[ca_rng_below(n->r, NITEMS(areas))],
	    (int)ca_rng_range(n->r, 1, 29), (int)ca_rng_below(n->r, 10),
	    unit[ca_rng_below(n->r, sizeof unit - 1)],
	    unit[ca_rng_below(n->r, sizeof unit - 1)]);
}

static void
make_email(ca_narr *n)
{
	static const char *const domains[] = {
		"example.com", "example.org", "example.net"
	};
	char first[40], last[40];
	const char *who = ca_rng_permille(n->r, 500) ? n->relname : n->p->first;

	ca_name_fold(first, sizeof first, who);
	ca_name_fold(last, sizeof last, n->p->surname);
	if (ca_rng_permille(n->r, 400))
		snprintf(n->email, sizeof n->email, "%s.%s%d@%s", first, last,
		    (int)ca_rng_range(n->r, 1, 99),
		    domains[ca_rng_below(n->r, NITEMS(domains))]);
	else
		snprintf(n->email, sizeof n->email, "%s.%s@%s", first, last,
		    domains[ca_rng_below(n->r, NITEMS(domains))]);
}

static void
make_dob(ca_narr *n)
{
	const ca_narr_person *p = n->p;

	if (ca_rng_permille(n->r, 750))
		snprintf(n->dob, sizeof n->dob, "%02d/%02d/%04d",
		    p->birth_day, p->birth_month, p->birth_year);
	else
		snprintf(n->dob, sizeof n->dob, "%d %s %d", p->birth_day,
		    month_names[(p->birth_month - 1) % 12], p->birth_year);
}

static void
plant_pii(ca_narr *n, int section)
{
	if (n->f.pii == CA_PLANT_NONE || section != n->pii_at)
		return;
	switch (n->f.pii) {
	case CA_PLANT_NHS_NUMBER: make_nhs(n); break;
	case CA_PLANT_PHONE: make_phone(n); break;
	case CA_PLANT_POSTCODE: make_postcode(n); break;
	case CA_PLANT_EMAIL: make_email(n); break;
	case CA_PLANT_DOB: make_dob(n); break;
	}
	if (!say(n, &ca_bank_pii[n->f.pii]))
		n->f.pii = CA_PLANT_NONE;
}

/* ---- Setting the scene ----------------------------------------------- */

static void
describe_age(ca_narr *n)
{
	static const char *const decades[] = {
		"", "teens", "twenties", "thirties", "forties", "fifties",
		"sixties", "seventies", "eighties", "nineties"
	};
	int age = n->p->age, unit = age % 10;
	const char *part = unit <= 3 ? "early" : unit <= 6 ? "mid" : "late";

	if (age < 18 || age >= 100)
		snprintf(n->age, sizeof n->age, "%d years old", age);
	else if (age < 20)
		snprintf(n->age, sizeof n->age, "in %s late teens",
		    pron_their[n->pron]);
	else
		snprintf(n->age, sizeof n->age, "in %s %s %s",
		    pron_their[n->pron], part, decades[age / 10]);
}

static void
choose_relation(ca_narr *n)
{
	const ca_narr_person *p = n->p;
	const int carer_case = n->c->type == CA_TYPE_CARER;
	const unsigned char *row = carer_case ? kin_carer[p->age_band] :
	    kin_person[p->age_band];
	const struct relation *rel = &relations[row[ca_rng_below(n->r, 8)]];
	int sex = rel->sex, pool = p->pool;

	n->rel = rel->noun;
	if (rel->kin == KIN_SPOUSE) {
		/* Mostly opposite-sex couples, some same-sex; "partner"
		 * whenever the person's gender is not female or male. */
		int same = ca_rng_permille(n->r, 80);

		if (p->gender == CA_GENDER_FEMALE)
			sex = same ? CA_SEX_FEMALE : CA_SEX_MALE;
		else if (p->gender == CA_GENDER_MALE)
			sex = same ? CA_SEX_MALE : CA_SEX_FEMALE;
		else
			sex = ca_rng_permille(n->r, 500) ? CA_SEX_FEMALE : CA_SEX_MALE;
		if (p->gender <= CA_GENDER_MALE && ca_rng_permille(n->r, 750))
			n->rel = sex == CA_SEX_FEMALE ? "wife" : "husband";
		if (ca_rng_permille(n->r, 150))
			pool = (int)ca_rng_below(n->r, CA_POOL_COUNT);
	}
	n->relpron = sex == CA_SEX_FEMALE ? PRON_SHE : PRON_HE;
	n->relname = ca_name_first(n->r, pool, sex);
	n->rel_of_p = kin_inverse[rel->kin][n->pron];
	if (rel->kin == KIN_SPOUSE && strcmp(n->rel, "partner") == 0)
		n->rel_of_p = "partner";

	n->rel_lives_with = rel->kin == KIN_SPOUSE ||
	    (rel->kin == KIN_PARENT && p->age_band <= 1) ||
	    (carer_case && ca_rng_permille(n->r, 600));
	n->relsees = n->rel_lives_with ? "lives with {them}" :
	    relative_visits[ca_rng_below(n->r, NITEMS(relative_visits))];
	if (n->rel_lives_with)
		snprintf(n->living, sizeof n->living, "with {their} {rel} {relname}");
	else if (p->reason == CA_PSR_LEARNING && !carer_case && ca_rng_permille(n->r, 500))
		snprintf(n->living, sizeof n->living, "in a supported living scheme");
	else if (p->age_band <= 1 && ca_rng_permille(n->r, 400))
		snprintf(n->living, sizeof n->living, "with a friend");
	else
		snprintf(n->living, sizeof n->living, "alone");
}

static void
set_scene(ca_narr *n, ca_rng *r, const ca_narr_case *c)
{
	const ca_narr_person *p = c->person;
	int reason;

	n->len = 0;
	n->text[0] = '\0';
	n->words = 0;
	n->overflow = 0;
	n->unknown = 0;
	n->pending_break = 0;
	n->last_by_name = 0;
	n->nused = 0;
	n->quote = NULL;
	n->covered = n->needs = n->chosen = 0;
	memset(&n->f, 0, sizeof n->f);
	n->c = c;
	n->p = p;
	n->r = r;

	n->pron = p->gender == CA_GENDER_FEMALE ? PRON_SHE :
	    p->gender == CA_GENDER_MALE ? PRON_HE : PRON_THEY;
	/* Younger people, and people with a learning disability, are more
	 * often written about by first name. */
	if (p->title != NULL &&
	    ca_rng_permille(r, p->age_band <= 1 || p->reason == CA_PSR_LEARNING ? 250 : 700))
		snprintf(n->pname, sizeof n->pname, "%s %s", p->title,
		    p->surname);
	else
		snprintf(n->pname, sizeof n->pname, "%s", p->first);
	n->writer = (int)ca_rng_below(r, NITEMS(writers));
	describe_age(n);
	choose_relation(n);

	n->friendrel = vocab(r, &ca_vocab_friendrel);
	n->friendname = ca_name_first(r, ca_rng_permille(r, 600) ? CA_POOL_BRITISH :
	    p->pool, ca_rng_permille(r, 700) ? CA_SEX_FEMALE : CA_SEX_MALE);
	reason = c->type == CA_TYPE_CARER ?
	    ca_rng_weighted(r, cared_for_reason_weight, CA_PSR_COUNT) : p->reason;
	if (reason < 0 || reason >= CA_PSR_COUNT)
		reason = CA_PSR_PHYSICAL;
	n->cond = vocab(r, &ca_vocab_cond[reason]);
	n->cond2 = vocab(r, &ca_vocab_cond2);
	n->trigger = vocab(r, &ca_vocab_trigger);
	n->place = vocab(r, &ca_vocab_place);
	n->act = vocab(r, &ca_vocab_act);
	n->group = vocab(r, &ca_vocab_group);
	/* Often the group and place go with the condition or the family:
	 * a dementia café, the gurdwara. */
	if (ca_rng_permille(r, 350))
		n->group = vocab(r, &ca_vocab_group_reason[reason]);
	else if (p->pool >= 0 && p->pool < CA_POOL_COUNT && ca_rng_permille(r, 300))
		n->group = vocab(r, &ca_vocab_group_pool[p->pool]);
	if (p->pool >= 0 && p->pool < CA_POOL_COUNT && ca_rng_permille(r, 250))
		n->place = vocab(r, &ca_vocab_place_pool[p->pool]);
	n->town = vocab(r, &ca_vocab_town);
	n->equip = vocab(r, &ca_vocab_equip);
	n->referrer = vocab(r, &ca_vocab_referrer);
	n->agency = vocab(r, &ca_vocab_agency);
	n->home = vocab(r, &ca_vocab_home);
	n->job = vocab(r, p->age >= 55 ? &ca_vocab_job_past :
	    &ca_vocab_job_young);
	n->street = vocab(r, &ca_vocab_street);
	n->weeks = review_weeks[ca_rng_below(r, NITEMS(review_weeks))];
	n->years = how_many_years[ca_rng_below(r, NITEMS(how_many_years))];
	n->calls = small_numbers[ca_rng_below(r, NITEMS(small_numbers))];
	n->rag = rag_ratings[ca_rng_below(r, NITEMS(rag_ratings))];
	snprintf(n->hours, sizeof n->hours, "%d",
	    5 * (int)ca_rng_range(r, 3, 16));
	snprintf(n->budget, sizeof n->budget, "%d",
	    5 * (int)ca_rng_range(r, 17, 128));
	snprintf(n->waited, sizeof n->waited, "%d",
	    c->wait_days > 0 ? c->wait_days : 1);
	snprintf(n->house, sizeof n->house, "%d",
	    (int)ca_rng_range(r, 1, 120));
	n->outcomes[0] = '\0';
	n->nhs[0] = n->phone[0] = n->postcode[0] = '\0';
	n->email[0] = n->dob[0] = '\0';
}

/* Decide the shape of the narrative from the partner's profile. */
static void
set_style(ca_narr *n)
{
	const ca_narr_profile *q = n->c->profile;
	ca_rng *r = n->r;

	n->strengths = ca_rng_permille(r, q->strengths);
	n->deficit = n->strengths ? ca_rng_permille(r, (1000 - q->strengths) / 4) :
	    ca_rng_permille(r, 500 + (1000 - q->strengths) / 3);
	n->good_record = ca_rng_permille(r, q->recording);
	n->paragraphs = ca_rng_permille(r, n->good_record ? 300 : 100);
	n->para_sep = ca_rng_permille(r, 700) ? "\n\n" : "\n";
	if (n->c->waiting)
		n->level = LEVEL_SINGLE;
	else if (ca_rng_permille(r, q->holistic))
		n->level = LEVEL_HOLISTIC;
	else
		n->level = ca_rng_permille(r, 550) ? LEVEL_SINGLE : LEVEL_MIDDLE;

	switch (n->level) {
	case LEVEL_SINGLE:
		n->target = 85 + (int)ca_rng_below(r, 60);
		break;
	case LEVEL_MIDDLE:
		n->target = 150 + (int)ca_rng_below(r, 100);
		break;
	default:
		n->target = 240 + (int)ca_rng_below(r, 140);
		break;
	}
	/* About one narrative in twenty-five names someone outright. */
	if (ca_rng_permille(r, 40))
		n->f.pii = 1 + (int)ca_rng_below(r, CA_PLANT_DOB);
	n->pii_at = (int)ca_rng_below(r, 4);
}

/* Choose k distinct outcomes, weighted; returns the first chosen. */
static int
choose_outcomes(ca_narr *n, int k, const int *weight)
{
	int first = -1;

	for (int i = 0; i < k; i++) {
		int w[CA_OUT_COUNT], total = 0, o;

		for (o = 0; o < CA_OUT_COUNT; o++) {
			w[o] = (n->chosen & BIT(o)) ? 0 : weight[o];
			total += w[o];
		}
		if (total == 0)
			break;
		o = ca_rng_weighted(n->r, w, CA_OUT_COUNT);
		n->chosen |= BIT(o);
		if (first < 0)
			first = o;
	}
	return first;
}

static int
popcount(unsigned x)
{
	int count = 0;

	for (; x != 0; x &= x - 1)
		count++;
	return count;
}

static int
outcome_frame(ca_narr *n)
{
	int x = (int)ca_rng_below(n->r, 100);

	if (n->c->type == CA_TYPE_CARER)
		return CA_FRAME_CARER;
	if (n->strengths && !n->deficit)
		return x < 55 ? CA_FRAME_STRENGTH : CA_FRAME_NEUTRAL;
	if (n->strengths)
		return x < 40 ? CA_FRAME_STRENGTH :
		    x < 80 ? CA_FRAME_NEUTRAL : CA_FRAME_DEFICIT;
	if (n->deficit)
		return x < 40 ? CA_FRAME_DEFICIT : CA_FRAME_NEUTRAL;
	return x < 15 ? CA_FRAME_STRENGTH : CA_FRAME_NEUTRAL;
}

/* Say something about outcome o in the given frame, falling back to a
 * neutral sentence when the frame has nothing that suits the person. */
static void
say_outcome(ca_narr *n, int o, int frame)
{
	const ca_narr_case *c = n->c;
	/* A decision of eligibility on few outcomes needs needs, not
	 * "no needs", to rest on. */
	int flags = c->eligible == 1 && !c->waiting &&
	    popcount(n->chosen) <= 3 ? PICK_NEED : 0;
	int no_need = 0;
	const char *t = pick(n, &ca_bank_outcome[o][frame], flags, &no_need);

	if (t == NULL && frame != CA_FRAME_CARER) {
		frame = CA_FRAME_NEUTRAL;
		t = pick(n, &ca_bank_outcome[o][frame], flags, &no_need);
	}
	if (t == NULL || !sentence(n, t))
		return;
	n->covered |= BIT(o);
	if (!no_need)
		n->needs |= BIT(o);
	if (frame == CA_FRAME_STRENGTH)
		n->f.strengths++;
	else if (frame == CA_FRAME_DEFICIT)
		n->f.deficits++;
}

static void
say_outcomes(ca_narr *n)
{
	for (int o = 0; o < CA_OUT_COUNT; o++)
		if ((n->chosen & BIT(o)) && !(n->covered & BIT(o)))
			say_outcome(n, o, outcome_frame(n));
}

/* The regulations' names of up to three outcomes with needs. */
static void
list_outcomes(ca_narr *n)
{
	unsigned set = n->needs != 0 ? n->needs : n->covered;
	int names[3], count = 0;
	size_t len = 0;

	for (int o = 0; o < CA_OUT_COUNT && count < 3; o++)
		if (set & BIT(o))
			names[count++] = o;
	n->outcomes[0] = '\0';
	for (int i = 0; i < count; i++) {
		const char *sep = i == 0 ? "" : i == count - 1 ? " and " : ", ";
		int w = snprintf(n->outcomes + len, sizeof n->outcomes - len,
		    "%s%s", sep, outcome_names[names[i]]);

		if (w < 0 || (size_t)w >= sizeof n->outcomes - len)
			break;
		len += (size_t)w;
	}
	if (count == 0)
		snprintf(n->outcomes, sizeof n->outcomes, "daily living");
}

static void
say_risk(ca_narr *n, int risk, int mention)
{
	const ca_bank *b = n->c->type == CA_TYPE_CARER &&
	    risk == CA_RISK_CARER_BREAKDOWN ?
	    &ca_bank_risk_carer_self[mention] : &ca_bank_risk[risk][mention];

	if (!say(n, b))
		return;
	if (mention == CA_MENTION_NEGATED) {
		n->f.risks_negated++;
		return;
	}
	n->f.risks++;
	if (mention == CA_MENTION_PLANNED)
		n->f.risks_planned++;
}

static void
say_risks(ca_narr *n)
{
	const ca_narr_case *c = n->c;
	int w[CA_RISK_COUNT] = {
		[CA_RISK_FALLS] = c->type == CA_TYPE_CARER ? 0 : 40,
		[CA_RISK_SELF_NEGLECT] = c->type == CA_TYPE_CARER ? 0 : 15,
		[CA_RISK_HOARDING] = c->type == CA_TYPE_CARER ? 0 : 7,
		[CA_RISK_FINANCIAL_ABUSE] = c->type == CA_TYPE_CARER ? 2 : 8,
		[CA_RISK_CARER_BREAKDOWN] = c->type == CA_TYPE_CARER ? 80 :
		    c->carer ? 15 : 0,
		[CA_RISK_WAITING] = c->waiting ? 60 : 0,
	};
	int count, negated, total = 0;

	switch (n->level) {
	case LEVEL_SINGLE:
		count = c->waiting ? 1 + ca_rng_permille(n->r, 300) : ca_rng_permille(n->r, 350);
		negated = ca_rng_permille(n->r, 120);
		break;
	case LEVEL_MIDDLE:
		count = (int)ca_rng_below(n->r, 3);
		negated = ca_rng_permille(n->r, 250);
		break;
	default:
		count = 1 + (int)ca_rng_below(n->r, 3);
		negated = ca_rng_permille(n->r, 450);
		break;
	}
	for (int i = 0; i < count; i++) {
		int k;

		total = 0;
		for (k = 0; k < CA_RISK_COUNT; k++)
			total += w[k];
		if (total == 0)
			break;
		k = ca_rng_weighted(n->r, w, CA_RISK_COUNT);
		w[k] = 0;
		say_risk(n, k, ca_rng_permille(n->r, c->profile->risk_plan) ?
		    CA_MENTION_PLANNED : CA_MENTION_BARE);
	}
	if (negated) {
		/* Something considered and ruled out; any risk still
		 * weighted was not raised above. */
		total = 0;
		for (int k = 0; k < CA_RISK_COUNT; k++)
			total += w[k];
		if (total > 0)
			say_risk(n, ca_rng_weighted(n->r, w, CA_RISK_COUNT),
			    CA_MENTION_NEGATED);
	}
	/* Positive risk-taking is about the person's own choices. */
	if (n->strengths && n->f.risks > 0 && c->type != CA_TYPE_CARER &&
	    ca_rng_permille(n->r, 300))
		say_strength(n, &ca_bank_positive_risk);
}

static void
say_carer(ca_narr *n)
{
	const ca_narr_profile *q = n->c->profile;
	int x;

	say(n, &ca_bank_carer_role);
	if ((n->strengths || n->good_record) && ca_rng_permille(n->r, 600))
		say(n, &ca_bank_carer_willing);
	n->f.carer_offer = CA_CARER_NOT_OFFERED;
	if (!ca_rng_permille(n->r, n->c->waiting ? q->carer_offer / 2 : q->carer_offer))
		return;
	x = (int)ca_rng_below(n->r, 100);
	if (x < 50 && say(n, &ca_bank_carer_accepted))
		n->f.carer_offer = CA_CARER_ACCEPTED;
	else if (x >= 50 && x < 85 && say(n, &ca_bank_carer_declined))
		n->f.carer_offer = CA_CARER_DECLINED;
	else if (x >= 85 && say(n, &ca_bank_carer_offered))
		n->f.carer_offer = CA_CARER_OFFERED;
}

static void
say_recording(ca_narr *n)
{
	if (n->good_record) {
		say(n, &ca_bank_record_good);
		if (room(n))
			say(n, &ca_bank_record_good);
	} else if (ca_rng_permille(n->r, 600)) {
		say(n, &ca_bank_record_poor);
		if (ca_rng_permille(n->r, 300))
			say(n, &ca_bank_record_poor);
	}
}

/* ---- The three kinds of record ----------------------------------------- */

static void
compose_person(ca_narr *n)
{
	const ca_narr_case *c = n->c;
	int first = -1;

	switch (n->level) {
	case LEVEL_SINGLE:
		first = choose_outcomes(n, 1, outcome_weight_presenting);
		choose_outcomes(n, (int)ca_rng_below(n->r, 2),
		    outcome_weight_person);
		break;
	case LEVEL_MIDDLE:
		choose_outcomes(n, 3 + (int)ca_rng_below(n->r, 3),
		    outcome_weight_person);
		break;
	default:
		choose_outcomes(n, 6 + (int)ca_rng_below(n->r, 5),
		    outcome_weight_person);
		break;
	}

	if (first >= 0 && c->type == CA_TYPE_CARE_ACT) {
		/* The single issue the referral was about leads. */
		if (ca_rng_permille(n->r, 500))
			say(n, &ca_bank_open_single);
		say_outcome(n, first, CA_FRAME_PRESENTING);
	} else
		say(n, c->type == CA_TYPE_REVIEW ? &ca_bank_open_review :
		    &ca_bank_open_care_act);
	plant_pii(n, 0);

	paragraph(n);
	if (n->deficit && ca_rng_permille(n->r, 500))
		say_deficit(n, &ca_bank_background_deficit);
	else if (n->level != LEVEL_SINGLE || ca_rng_permille(n->r, 400))
		say(n, &ca_bank_background);
	if (n->strengths) {
		if (ca_rng_permille(n->r, 850))
			say_quote(n, &ca_bank_quote_person);
		if (room(n) && ca_rng_permille(n->r, 800))
			say_strength(n, &ca_bank_matters);
		if (room(n) && ca_rng_permille(n->r, 500))
			say_strength(n, &ca_bank_skills);
		if (room(n) && ca_rng_permille(n->r, 700))
			say_strength(n, &ca_bank_network);
		if (room(n) && ca_rng_permille(n->r, 450))
			say_strength(n, &ca_bank_community);
	} else if (ca_rng_permille(n->r, 120))
		say_quote(n, &ca_bank_quote_person);
	if (n->deficit) {
		say_deficit(n, &ca_bank_deficit);
		if (ca_rng_permille(n->r, 400))
			say_deficit(n, &ca_bank_deficit);
	}
	plant_pii(n, 1);

	paragraph(n);
	say_outcomes(n);
	if (n->level == LEVEL_HOLISTIC && ca_rng_permille(n->r, 700))
		say(n, &ca_bank_holistic);

	/* The carer comes before the risks, which may be about them. */
	if (c->carer) {
		paragraph(n);
		say_carer(n);
	}

	paragraph(n);
	say_risks(n);
	if (ca_rng_permille(n->r, n->p->reason == CA_PSR_MEMORY ||
	    n->p->reason == CA_PSR_LEARNING ? 500 : 150))
		say(n, &ca_bank_capacity);
	if (ca_rng_permille(n->r, 60))
		say(n, &ca_bank_advocacy);
	if (ca_rng_permille(n->r, 50))
		say(n, &ca_bank_safeguarding);
	plant_pii(n, 2);
	if (c->direct_payment == 1 && ca_rng_permille(n->r, 850))
		say_strength(n, &ca_bank_direct_payment);

	paragraph(n);
	list_outcomes(n);
	if (c->type == CA_TYPE_REVIEW) {
		say(n, &ca_bank_plan_review);
		if (c->eligible == 0)
			say(n, &ca_bank_eligible_no);
	} else if (c->eligible == 1) {
		say(n, &ca_bank_eligible_yes);
		if (room(n) && (n->good_record || ca_rng_permille(n->r, 400)))
			say(n, &ca_bank_plan);
		if (room(n) && n->good_record && ca_rng_permille(n->r, 500))
			say(n, &ca_bank_plan);
	} else if (c->eligible == 0)
		say(n, &ca_bank_eligible_no);
	if (!n->good_record && ca_rng_permille(n->r, 400))
		say(n, &ca_bank_plan_poor);
	if (n->strengths && room(n) && ca_rng_permille(n->r, 400))
		say_strength(n, &ca_bank_checking);
	say_recording(n);
	plant_pii(n, 3);
}

static void
compose_carer(ca_narr *n)
{
	const ca_narr_case *c = n->c;

	choose_outcomes(n, n->level == LEVEL_SINGLE ?
	    1 + (int)ca_rng_below(n->r, 2) : n->level == LEVEL_MIDDLE ?
	    3 + (int)ca_rng_below(n->r, 3) : 6 + (int)ca_rng_below(n->r, 5),
	    outcome_weight_carer);
	n->f.carer_offer = CA_CARER_ACCEPTED;

	say(n, &ca_bank_open_carer);
	plant_pii(n, 0);

	paragraph(n);
	say(n, &ca_bank_carerself_role);
	if (n->strengths) {
		if (ca_rng_permille(n->r, 850))
			say_quote(n, &ca_bank_quote_carer);
		if (room(n) && ca_rng_permille(n->r, 500))
			say_strength(n, &ca_bank_network);
		if (room(n) && ca_rng_permille(n->r, 400))
			say_strength(n, &ca_bank_community);
	} else if (ca_rng_permille(n->r, 100))
		say_quote(n, &ca_bank_quote_carer);
	if (n->deficit) {
		say_deficit(n, &ca_bank_deficit_carer);
		if (ca_rng_permille(n->r, 300))
			say_deficit(n, &ca_bank_deficit_carer);
	}
	plant_pii(n, 1);

	paragraph(n);
	say_outcomes(n);
	if (room(n) && (n->strengths || n->good_record))
		say(n, &ca_bank_carerself_willing);

	paragraph(n);
	say_risks(n);
	if (ca_rng_permille(n->r, 20))
		say(n, &ca_bank_safeguarding);
	plant_pii(n, 2);

	if (c->direct_payment == 1 && ca_rng_permille(n->r, 700))
		say_strength(n, &ca_bank_carerself_dp);
	paragraph(n);
	if (c->eligible == 1)
		say(n, &ca_bank_carerself_yes);
	else if (c->eligible == 0)
		say(n, &ca_bank_carerself_no);
	if (n->strengths && room(n) && ca_rng_permille(n->r, 300))
		say_strength(n, &ca_bank_checking);
	say_recording(n);
	plant_pii(n, 3);
}

/* Not yet assessed: the record is the referral and what has happened
 * while the person waits. */
static void
compose_waiting(ca_narr *n)
{
	const ca_narr_case *c = n->c;
	int carer_case = c->type == CA_TYPE_CARER;
	int first, tri;

	first = choose_outcomes(n, 1, carer_case ? outcome_weight_carer :
	    outcome_weight_presenting);
	choose_outcomes(n, (int)ca_rng_below(n->r, 3), carer_case ?
	    outcome_weight_carer : outcome_weight_person);

	if (carer_case) {
		n->f.carer_offer = CA_CARER_ACCEPTED;
		say(n, &ca_bank_open_carer_waiting);
		plant_pii(n, 0);
		say(n, &ca_bank_carerself_role);
	} else if (c->type == CA_TYPE_REVIEW) {
		say(n, &ca_bank_open_review_waiting);
		plant_pii(n, 0);
	} else {
		say(n, &ca_bank_open_waiting);
		plant_pii(n, 0);
		say_outcome(n, first, CA_FRAME_PRESENTING);
	}
	say_outcomes(n);
	if (n->strengths && ca_rng_permille(n->r, 400))
		say_quote(n, carer_case ? &ca_bank_quote_carer :
		    &ca_bank_quote_person);
	if (n->deficit && ca_rng_permille(n->r, 500))
		say_deficit(n, carer_case ? &ca_bank_deficit_carer :
		    &ca_bank_deficit);
	plant_pii(n, 1);

	if (c->carer && !carer_case)
		say_carer(n);
	plant_pii(n, 2);

	paragraph(n);
	tri = 2 + (int)ca_rng_below(n->r, 3);
	for (int i = 0; i < tri; i++)
		say(n, &ca_bank_triage);
	say_risks(n);
	plant_pii(n, 3);
}

static void
fill_out(ca_narr *n)
{
	/* Filler is only neutral colour; it never adds outcomes or risks,
	 * so it cannot change what screening should find. */
	for (int guard = 0; n->words < CA_NARR_MIN_WORDS && guard < 200;
	    guard++)
		say(n, &ca_bank_filler);
}

int
ca_narrative_compose(ca_narr *n, ca_rng *r, const ca_narr_case *c,
    ca_narr_facts *f)
{
	set_scene(n, r, c);
	set_style(n);
	if (c->waiting)
		compose_waiting(n);
	else if (c->type == CA_TYPE_CARER)
		compose_carer(n);
	else
		compose_person(n);
	fill_out(n);
	n->text[n->len] = '\0';

	n->f.outcomes = n->covered;
	n->f.words = n->words;
	n->f.paragraphs = 1;
	for (size_t i = 0; i < n->len; i++)
		if (n->text[i] == '\n' && (i == 0 || n->text[i - 1] != '\n'))
			n->f.paragraphs++;
	if (!c->carer && c->type != CA_TYPE_CARER)
		n->f.carer_offer = CA_CARER_NONE;
	if (f != NULL)
		*f = n->f;
	return 0;
}

int
ca_narrative_expand(ca_narr *n, ca_rng *r, const ca_narr_case *c,
    const char *tmpl)
{
	set_scene(n, r, c);
	set_style(n);
	make_nhs(n);
	make_phone(n);
	make_postcode(n);
	make_email(n);
	make_dob(n);
	n->quote = "I want to stay at home";
	list_outcomes(n);
	while (*tmpl == '~' || *tmpl == '^' || *tmpl == '`')
		tmpl++;
	expand(n, tmpl, 0);
	n->text[n->len] = '\0';
	return n->unknown;
}
