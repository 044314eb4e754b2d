/*
 * test_screen.c - screening narratives: every outcome, rule category and
 * flag with examples that must and must not count (negations included),
 * byte offsets and the JSON of the contract, the limits (catastrophic
 * backtracking, a 10 MB narrative, too many matches) finishing promptly
 * with a report, the prefilter never changing a result, `screen --stdin`
 * through the binary, and `screen` over a database: rows stored once per
 * assessment and rule set, and a second run with nothing left to do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "generate.h"
#include "migrate.h"
#include "narrative.h"
#include "rng.h"
#include "output.h"
#include "rules.h"
#include "screen.h"
#include "sha256.h"
#include "strbuf.h"
#include "support.h"
#include "yamltree.h"

static char rules_path[4096];

/* Set to make the next realloc in this program fail (see CMakeLists.txt:
 * the program is linked with --wrap=realloc). */
static int fail_next_realloc;

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

void *
__wrap_realloc(void *p, size_t n)
{
	if (fail_next_realloc) {
		fail_next_realloc = 0;
		return NULL;
	}
	return __real_realloc(p, n);
}

/* The shipped rules, compiled once, and a screener over them. */
typedef struct fixture {
	ca_ruleset *rs;
	ca_screener *sc;
	ca_strbuf json;
} fixture;

static fixture fx;

static ca_ruleset *
rules_from_text(const char *yaml)
{
	char *path = test_write_file("rules.yaml", yaml, strlen(yaml));
	ca_yaml_doc *doc;
	ca_ruleset *rs = NULL;
	ca_err err = { 0 };

	if (ca_yaml_load(path, &doc, &err) != 0)
		fail_msg("%s", err.msg);
	if (ca_ruleset_from_yaml(doc, stderr, &rs, &err) != 0)
		fail_msg("%s", err.msg);
	ca_yaml_free(doc);
	unlink(path);
	free(path);
	return rs;
}

static int
setup(void **state)
{
	ca_yaml_doc *doc;
	ca_err err = { 0 };

	(void)state;
	snprintf(rules_path, sizeof rules_path, "%s/forms/screening.yaml", CASEAUDIT_SOURCE_DIR);
	if (ca_yaml_load(rules_path, &doc, &err) != 0 ||
	    ca_ruleset_from_yaml(doc, stderr, &fx.rs, &err) != 0 ||
	    ca_screener_new(fx.rs, &fx.sc, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	ca_yaml_free(doc);
	ca_strbuf_init(&fx.json);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ca_screener_free(fx.sc);
	ca_ruleset_free(fx.rs);
	ca_strbuf_free(&fx.json);
	return 0;
}

static const ca_screen_result *
screen(const char *text)
{
	const ca_screen_result *r;
	ca_err err = { 0 };

	if (ca_screen(fx.sc, text, strlen(text), &r, &err) != 0)
		fail_msg("screening \"%s\": %s", text, err.msg);
	return r;
}

static const char *
json_of(const ca_screen_result *r)
{
	ca_strbuf_reset(&fx.json);
	ca_screen_json(r, &fx.json);
	return fx.json.data;
}

static int
has_outcome(const ca_screen_result *r, const char *id)
{
	int o = ca_outcome_named(id);

	assert_true(o >= 0);
	return (r->outcomes >> o) & 1u;
}

static int
has_flag(const ca_screen_result *r, const char *id)
{
	int f = ca_flag_named(id);

	assert_true(f >= 0);
	return (r->flags >> f) & 1u;
}

/* Places matched in a category after negation. */
static int
terms(const ca_screen_result *r, ca_rule_category c)
{
	return r->terms[c];
}

static int
has_rule(const ca_screen_result *r, const char *rule)
{
	for (size_t i = 0; i < r->nmatches; i++)
		if (strcmp(r->matches[i].rule, rule) == 0)
			return 1;
	return 0;
}

#define EXPECT_TRUE(cond, text) \
	do { if (!(cond)) fail_msg("expected %s for \"%s\"; got %s", #cond, (text), \
	    json_of(screen(text))); } while (0)

/* ---- outcomes ------------------------------------------------------------ */

static const struct {
	const char *outcome, *yes, *no;
} outcome_cases[] = {
	{ "nutrition", "She needs help to prepare a hot meal each day and has lost weight.",
	  "She has a cat called Smudge." },
	{ "nutrition", "Mr Ali cannot stand at the cooker for long.", "Mr Ali reads the paper." },
	{ "personal_hygiene", "He needs help to shower twice a week.",
	  "The washing machine is broken." },
	{ "personal_hygiene", "She strip-washes at the sink.", "She sits by the window." },
	{ "toilet_needs", "She uses a commode at night and manages her continence products.",
	  "She uses a walking stick." },
	{ "clothing", "He needs help with buttons and with getting dressed.",
	  "The district nurse will dress his legs each week." },
	{ "home_safety", "He can no longer manage the stairs and sleeps downstairs.",
	  "He likes the seaside." },
	{ "home_safety", "She is unsafe in the home and cannot be left alone.",
	  "She is happy." },
	{ "habitable_home", "The heating was not working and the home is cluttered.",
	  "She likes crosswords." },
	{ "relationships", "She has been lonely since her friends moved away.",
	  "She has a dog." },
	{ "work_education", "He would like to go back to college and find part-time work.",
	  "The social worker visited on Tuesday." },
	{ "work_education", "She volunteers at the food bank.",
	  "A befriending volunteer will visit." },
	{ "community_services", "She uses her bus pass to get to the library.",
	  "She sits in the garden." },
	{ "community_services", "He has stopped going to the day centre.", "He is tired." },
	{ "caring_for_child", "He does the school run for his daughter every morning.",
	  "He was a primary school teacher." },
	{ "caring_for_child", "She is caring for her son, who is six.", "She is sixty." },
};

static void
test_each_outcome(void **state)
{
	unsigned seen = 0;

	(void)state;
	for (size_t i = 0; i < sizeof outcome_cases / sizeof outcome_cases[0]; i++) {
		const char *id = outcome_cases[i].outcome;

		EXPECT_TRUE(has_outcome(screen(outcome_cases[i].yes), id), outcome_cases[i].yes);
		EXPECT_TRUE(!has_outcome(screen(outcome_cases[i].no), id), outcome_cases[i].no);
		seen |= 1u << ca_outcome_named(id);
	}
	assert_int_equal(seen, (1u << CA_OUTCOME_COUNT) - 1);
}

/* Outcomes are listed in the regulations' order, whatever the text's. */
static void
test_outcome_order_and_count(void **state)
{
	const ca_screen_result *r;

	(void)state;
	r = screen("He does the school run. She is lonely. He needs help with meals.");
	assert_int_equal(r->outcome_count, 3);
	assert_non_null(strstr(json_of(r), "\"outcomes\": [\"nutrition\", \"relationships\", "
	    "\"caring_for_child\"], \"outcome_count\": 3"));
	/* "no needs" with meals still shows the outcome was considered */
	assert_true(has_outcome(screen("She has no difficulty with meals."), "nutrition"));
}

/* ---- categories and flags ------------------------------------------------ */

static void
test_person_voice(void **state)
{
	static const char *const yes[] = {
		"She said, \"I want to stay in my own home.\"",
		"“Getting out is what keeps me going,” he told me.",
		"In her own words, the stairs are the problem.",
		"What matters most to him is seeing his grandchildren.",
		"She would like to get back to the allotment.",
		"His goal is to walk to the shops.",
	};
	static const char *const no[] = {
		"Her son is said to be taking money from her account.",
		"Referral from the GP. Equipment ordered. NFA.",
	};

	(void)state;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		EXPECT_TRUE(terms(screen(yes[i]), CA_CAT_PERSON_VOICE) > 0, yes[i]);
		EXPECT_TRUE(!has_flag(screen(yes[i]), "no_person_voice"), yes[i]);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		EXPECT_TRUE(terms(screen(no[i]), CA_CAT_PERSON_VOICE) == 0, no[i]);
		EXPECT_TRUE(has_flag(screen(no[i]), "no_person_voice"), no[i]);
	}
}

static void
test_strengths_and_deficits(void **state)
{
	const ca_screen_result *r;
	const char *t;

	(void)state;
	r = screen("She enjoys gardening, is able to manage her own money and has chosen a "
	    "direct payment.");
	assert_true(r->strengths_terms >= 3);
	assert_int_equal(r->deficit_terms, 0);
	assert_false(has_flag(r, "deficit_language"));

	t = "He suffers from dementia and is a burden on his wife; he presents with "
	    "challenging behaviour and may need a placement.";
	r = screen(t);
	assert_int_equal(r->deficit_terms, 4);
	assert_int_equal(r->strengths_terms, 0);
	EXPECT_TRUE(has_flag(r, "deficit_language"), t);
	EXPECT_TRUE(has_rule(r, "deficit_suffers_from") && has_rule(r, "deficit_burden") &&
	    has_rule(r, "deficit_challenging_behaviour") && has_rule(r, "deficit_placement"), t);

	/* the wording of the eligibility test is not deficit language */
	t = "She is unable to achieve two or more of the outcomes.";
	EXPECT_TRUE(screen(t)->deficit_terms == 0, t);
	/* as many strengths as deficits: no flag */
	t = "She enjoys cooking but suffers from arthritis.";
	r = screen(t);
	assert_int_equal(r->deficit_terms, 1);
	assert_int_equal(r->strengths_terms, 1);
	EXPECT_TRUE(!has_flag(r, "deficit_language"), t);
	/* labels */
	EXPECT_TRUE(screen("He is a wanderer and a bed-blocker.")->deficit_terms == 2,
	    "He is a wanderer and a bed-blocker.");
	EXPECT_TRUE(screen("She is totally dependent and non-compliant.")->deficit_terms == 2,
	    "She is totally dependent and non-compliant.");
}

static void
test_risk_and_plans(void **state)
{
	static const char *const flagged[] = {
		"She has fallen three times this year.",
		"There are signs of self-neglect.",
		"There is evidence of hoarding in every room.",
		"A new friend keeps asking him for money.",
		"His wife is exhausted and at breaking point.",
		"While waiting, her situation has deteriorated.",
		/* a negation stops at "but" */
		"There are no concerns about falls, but she has been hoarding newspapers.",
		"No falls reported and she has been hoarding newspapers.",
	};
	static const char *const planned[] = {
		"She has fallen twice; a referral has been made to the falls prevention service.",
		"There is a risk of carer breakdown; a contingency plan is in place.",
		"To reduce the risk of falls, grab rails will be fitted.",
		"Self-neglect was discussed, with a review in four weeks.",
		"If she falls again, her son will call the duty team.",
	};
	static const char *const no_risk[] = {
		"No concerns about falls were identified.",
		"There is no history of falls.",
		"She has not had any falls.",
		"There are no indicators of self-neglect.",
		"No concerns about financial abuse were identified; she manages her own money.",
		"The laundry falls entirely to her daughter.",
		"He fell asleep in the chair.",
	};

	(void)state;
	for (size_t i = 0; i < sizeof flagged / sizeof flagged[0]; i++)
		EXPECT_TRUE(has_flag(screen(flagged[i]), "risk_without_plan"), flagged[i]);
	for (size_t i = 0; i < sizeof planned / sizeof planned[0]; i++) {
		EXPECT_TRUE(terms(screen(planned[i]), CA_CAT_RISK) > 0, planned[i]);
		EXPECT_TRUE(terms(screen(planned[i]), CA_CAT_RISK_PLAN) > 0, planned[i]);
		EXPECT_TRUE(!has_flag(screen(planned[i]), "risk_without_plan"), planned[i]);
	}
	for (size_t i = 0; i < sizeof no_risk / sizeof no_risk[0]; i++) {
		EXPECT_TRUE(terms(screen(no_risk[i]), CA_CAT_RISK) == 0, no_risk[i]);
		EXPECT_TRUE(!has_flag(screen(no_risk[i]), "risk_without_plan"), no_risk[i]);
	}
	/* the negation is listed, so an auditor sees why falls did not count */
	assert_true(has_rule(screen("No concerns about falls were identified."),
	    "negation_no_concerns"));
	assert_false(has_rule(screen("No concerns about falls were identified."), "risk_falls"));
}

static void
test_carers(void **state)
{
	static const char *const flagged[] = {
		"Her husband is her main carer.",
		"He cares for his wife, who has dementia.",
		"She has given up her job to care for her mother.",
		/* an offer that was not made is no offer */
		"Her daughter is her main carer; she was not offered a carer's assessment.",
	};
	static const char *const not_flagged[] = {
		"His wife is his main carer and was offered a carer's assessment, which she "
		"declined.",
		"Her son is her main carer and accepted the offer of a carer’s assessment.",
		"She cares for her husband and asked for a carers assessment.",
		"She has no carer and lives alone.",
		"Carers from the agency visit twice a day.",
	};

	(void)state;
	for (size_t i = 0; i < sizeof flagged / sizeof flagged[0]; i++)
		EXPECT_TRUE(has_flag(screen(flagged[i]), "carer_without_offer"), flagged[i]);
	for (size_t i = 0; i < sizeof not_flagged / sizeof not_flagged[0]; i++)
		EXPECT_TRUE(!has_flag(screen(not_flagged[i]), "carer_without_offer"),
		    not_flagged[i]);
	assert_int_equal(terms(screen("She has no carer and lives alone."), CA_CAT_CARER), 0);
}

static void
test_safeguarding_capacity_advocacy(void **state)
{
	const char *t;

	(void)state;
	t = "A safeguarding concern was raised with the adult safeguarding team the same day.";
	EXPECT_TRUE(has_flag(screen(t), "safeguarding_concern"), t);
	t = "No safeguarding concerns were identified.";
	EXPECT_TRUE(!has_flag(screen(t), "safeguarding_concern"), t);
	t = "She has capacity to make decisions about her care; a best interests meeting is "
	    "not needed.";
	EXPECT_TRUE(terms(screen(t), CA_CAT_CAPACITY) >= 2, t);
	t = "She has a dog.";
	EXPECT_TRUE(terms(screen(t), CA_CAT_CAPACITY) == 0, t);
	t = "An independent advocate was arranged.";
	EXPECT_TRUE(terms(screen(t), CA_CAT_ADVOCACY) == 1, t);
	/* a self-advocacy group is a community group, not advocacy */
	t = "He goes to a self-advocacy group on Mondays.";
	EXPECT_TRUE(terms(screen(t), CA_CAT_ADVOCACY) == 0, t);
	/* an independent advocate is not independence */
	EXPECT_TRUE(terms(screen("An independent advocate was arranged."), CA_CAT_STRENGTHS) == 0,
	    "An independent advocate was arranged.");
}

static void
test_single_issue(void **state)
{
	const char *t;

	(void)state;
	t = "Request for a shower assessment only.";
	EXPECT_TRUE(has_flag(screen(t), "single_issue"), t);
	t = "She needs help with meals and washing, uses a commode at night, is lonely, and "
	    "would like to use the bus to get to the library.";
	EXPECT_TRUE(!has_flag(screen(t), "single_issue"), t);
	EXPECT_TRUE(screen(t)->outcome_count == 5, t);
	/* exactly two is still single issue; three is not */
	EXPECT_TRUE(has_flag(screen("Help with meals and washing."), "single_issue"),
	    "Help with meals and washing.");
	EXPECT_TRUE(!has_flag(screen("Help with meals, washing and dressing."), "single_issue"),
	    "Help with meals, washing and dressing.");
}

static void
test_personal_data(void **state)
{
	const ca_screen_result *r;
	const char *t;

	(void)state;
	t = "NHS number 943 476 5919 was confirmed with the GP.";
	r = screen(t);
	EXPECT_TRUE(has_flag(r, "personal_data"), t);
	assert_true(has_rule(r, "personal_data.nhs_number"));
	for (size_t i = 0; i < r->nmatches; i++)
		if (strcmp(r->matches[i].rule, "personal_data.nhs_number") == 0) {
			assert_string_equal(r->matches[i].category, "personal_data");
			assert_int_equal(r->matches[i].start, 11);
			assert_int_equal(r->matches[i].end, 23);
		}
	t = "She paid £25 on 3 March 2026 for assessment AS-0001.";
	EXPECT_TRUE(!has_flag(screen(t), "personal_data"), t);
}

/* The personal-data check under a PCRE2 limit: a limit hit on
 * "personal_data", named as PCRE2 names it, and the narrative flagged (it
 * could not be fully checked), while the rules are still evaluated.  Out of
 * memory is not a limit: it is an error of the screening. */
static void
test_personal_data_limits_and_memory(void **state)
{
	const char *t = "NHS number 943 476 5919; she enjoys her meals.";
	const ca_screen_result *r;
	ca_screener *sc;
	ca_redactor *rd;
	ca_err err = { 0 };

	(void)state;
	assert_int_equal(ca_screener_new(fx.rs, &sc, &err), 0);
	rd = ca_screener_redactor(sc);
	ca_redactor_set_match_limit(rd, 1);
	assert_int_equal(ca_screen(sc, t, strlen(t), &r, &err), 0);
	assert_int_equal(r->nlimits, 1);
	assert_string_equal(r->limits[0].rule, "personal_data");
	assert_int_equal(r->limits[0].pattern, 0);
	assert_string_equal(r->limits[0].limit, "match_limit");
	assert_true((r->flags >> CA_FLAG_PERSONAL_DATA) & 1u);
	assert_true(has_outcome(r, "nutrition"));
	ca_redactor_set_match_limit(rd, CA_REDACT_MATCH_LIMIT);
	/* the interpreter's depth limit, by its name */
	ca_redactor_set_jit(rd, 0);
	ca_redactor_set_depth_limit(rd, 1);
	assert_int_equal(ca_screen(sc, t, strlen(t), &r, &err), 0);
	assert_int_equal(r->nlimits, 1);
	assert_string_equal(r->limits[0].limit, "depth_limit");
	ca_redactor_set_depth_limit(rd, CA_REDACT_DEPTH_LIMIT);
	ca_redactor_set_jit(rd, 1);
	/* a clean run, which also leaves the screener's own lists big enough
	 * for this text: the next allocation is the redactor's */
	assert_int_equal(ca_screen(sc, t, strlen(t), &r, &err), 0);
	assert_int_equal(r->nlimits, 0);
	fail_next_realloc = 1;
	assert_int_equal(ca_screen(sc, t, strlen(t), &r, &err), CA_EX_SOFTWARE);
	assert_false(fail_next_realloc);
	assert_non_null(strstr(err.msg, "personal data"));
	assert_non_null(strstr(err.msg, "out of memory"));
	assert_null(strstr(err.msg, "943"));
	/* and the next narrative is screened as usual */
	assert_int_equal(ca_screen(sc, t, strlen(t), &r, &err), 0);
	assert_true(has_rule(r, "personal_data.nhs_number"));
	assert_int_equal(r->nlimits, 0);
	ca_screener_free(sc);
}

/* ---- offsets and JSON ---------------------------------------------------- */

static void
test_contract_json(void **state)
{
	(void)state;
	/* offsets are bytes: "â" takes two */
	assert_string_equal(json_of(screen("Siân enjoys cooking.")),
	    "{\"outcomes\": [\"nutrition\"], \"outcome_count\": 1, \"strengths_terms\": 1, "
	    "\"deficit_terms\": 0, \"flags\": [\"single_issue\", \"no_person_voice\"], "
	    "\"matches\": [{\"rule\": \"strengths_interests\", \"category\": \"strengths\", "
	    "\"start\": 6, \"end\": 12}, {\"rule\": \"nutrition_cooking\", \"category\": "
	    "\"outcome\", \"start\": 13, \"end\": 20}], \"limit_hits\": []}");
	assert_string_equal(json_of(screen("")),
	    "{\"outcomes\": [], \"outcome_count\": 0, \"strengths_terms\": 0, "
	    "\"deficit_terms\": 0, \"flags\": [\"single_issue\", \"no_person_voice\"], "
	    "\"matches\": [], \"limit_hits\": []}");
}

static void
test_json_strings(void **state)
{
	ca_strbuf b;

	(void)state;
	ca_strbuf_init(&b);
	ca_json_string(&b, "a\"b\\c\nd\re\tf\x01g\x7fh – é");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh – é\"");
	ca_strbuf_free(&b);
}

static void
test_bad_text(void **state)
{
	const ca_screen_result *r;
	ca_err err = { 0 };

	(void)state;
	assert_int_equal(ca_screen(fx.sc, "caf\xe9 meals", 10, &r, &err), CA_EX_DATAERR);
	assert_non_null(strstr(err.msg, "not valid UTF-8 (byte 3)"));
	/* a NUL is text to PCRE2: what follows it is still screened */
	assert_int_equal(ca_screen(fx.sc, "x\0 stairs", 9, &r, &err), 0);
	assert_true((r->outcomes >> ca_outcome_named("home_safety")) & 1u);
}

/* ---- the prefilter changes speed, never results -------------------------- */

static void
test_prefilter_changes_nothing(void **state)
{
	static const ca_narr_profile profiles[2] = {
		{ 900, 900, 900, 900, 900 }, { 100, 100, 100, 100, 100 }
	};
	ca_screener *plain;
	ca_narr *n = ca_narr_new();
	ca_err err = { 0 };
	ca_strbuf a, b;
	ca_rng r;

	(void)state;
	assert_int_equal(ca_screener_new(fx.rs, &plain, &err), 0);
	ca_screener_set_prefilter(plain, 0);
	ca_strbuf_init(&a);
	ca_strbuf_init(&b);
	ca_rng_seed(&r, 42);
	for (int i = 0; i < 200; i++) {
		ca_narr_person p = {
			.title = i % 3 ? "Mrs" : NULL, .first = "Siân", .surname = "O'Connor",
			.gender = i % 4, .age_band = i % CA_AGE_BANDS, .reason = i % CA_PSR_COUNT,
			.pool = i % 5, .age = 20 + (i * 7) % 75,
			.birth_year = 1950, .birth_month = 3, .birth_day = 12,
		};
		ca_narr_case c = {
			.profile = &profiles[i % 2], .person = &p, .type = i % 3,
			.waiting = i % 7 == 0, .eligible = i % 5 ? 1 : 0, .direct_payment = i % 2,
			.carer = i % 3 != 1, .wait_days = 10 + i,
		};
		const ca_screen_result *ra, *rb;
		char *text;
		size_t len;

		ca_narrative_compose(n, &r, &c, NULL);
		text = strdup(ca_narr_text(n));
		len = ca_narr_len(n);
		/* shouting, and the two non-ASCII letters that match k and s */
		if (i % 4 == 1)
			for (size_t k = 0; k < len; k++)
				if (text[k] >= 'a' && text[k] <= 'z')
					text[k] = (char)(text[k] - 'a' + 'A');
		assert_int_equal(ca_screen(fx.sc, text, len, &ra, &err), 0);
		ca_strbuf_reset(&a);
		ca_screen_json(ra, &a);
		assert_int_equal(ca_screen(plain, text, len, &rb, &err), 0);
		ca_strbuf_reset(&b);
		ca_screen_json(rb, &b);
		if (strcmp(a.data, b.data) != 0)
			fail_msg("prefilter changed the result for:\n%s\n%s\n%s", text, a.data, b.data);
		free(text);
	}
	{
		const char *t = "She is at risk of \xE2\x84\xAA" "itchen fires; the \xC5\xBF"
		    "tairs are steep.";
		const ca_screen_result *ra, *rb;

		assert_int_equal(ca_screen(fx.sc, t, strlen(t), &ra, &err), 0);
		ca_strbuf_reset(&a);
		ca_screen_json(ra, &a);
		assert_int_equal(ca_screen(plain, t, strlen(t), &rb, &err), 0);
		ca_strbuf_reset(&b);
		ca_screen_json(rb, &b);
		assert_string_equal(a.data, b.data);
		assert_true(has_outcome(ra, "home_safety"));    /* "ſtairs" is stairs */
	}
	ca_strbuf_free(&a);
	ca_strbuf_free(&b);
	ca_narr_free(n);
	ca_screener_free(plain);
}

/* A screener keeps only the strings each narrative found between one
 * narrative and the next, and clears just those: one narrative's strings
 * and their places must never reach the next.  Each result is compared with
 * that of a screener that has screened nothing before. */
static void
test_prefilter_state_between_narratives(void **state)
{
	static const char *const texts[] = {
		"She has fallen twice on the stairs and her son is her main carer.",
		"Her son is her main carer. She has fallen.",
		"",
		"stairs stairs stairs; no concerns about falls; carer's assessment offered",
		"She enjoys cooking meals with her daughter, who is her carer.",
		"x",
		"She has fallen twice on the stairs and her son is her main carer.",
	};
	/* most of these patterns need no string, so always run */
	static const char few_strings[] =
		"rules:\n"
		"  - id: any_word\n"
		"    category: strengths\n"
		"    patterns: ['\\b\\w{7}\\b', '(?i)^s']\n"
		"  - id: meals\n"
		"    category: outcome\n"
		"    outcome: nutrition\n"
		"    patterns: ['\\w+s\\b', '\\bmeals\\b']\n";
	ca_ruleset *rs[2] = { fx.rs, rules_from_text(few_strings) };
	ca_err err = { 0 };
	ca_strbuf a, b;

	(void)state;
	ca_strbuf_init(&a);
	ca_strbuf_init(&b);
	for (int set = 0; set < 2; set++) {
		ca_screener *used;

		assert_int_equal(ca_screener_new(rs[set], &used, &err), 0);
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			const ca_screen_result *r;
			ca_screener *fresh;

			assert_int_equal(ca_screen(used, texts[i], strlen(texts[i]), &r, &err), 0);
			ca_strbuf_reset(&a);
			ca_screen_json(r, &a);
			assert_int_equal(ca_screener_new(rs[set], &fresh, &err), 0);
			assert_int_equal(ca_screen(fresh, texts[i], strlen(texts[i]), &r, &err), 0);
			ca_strbuf_reset(&b);
			ca_screen_json(r, &b);
			ca_screener_free(fresh);
			if (strcmp(a.data, b.data) != 0)
				fail_msg("rule set %d, text %zu: after the others\n%s\nalone\n%s", set, i,
				    a.data, b.data);
		}
		ca_screener_free(used);
	}
	ca_ruleset_free(rs[1]);
	ca_strbuf_free(&a);
	ca_strbuf_free(&b);
}

/* An anchored pattern that begins with \b is not tried between two ASCII
 * word characters; next to anything else it still is, and \b is PCRE2's
 * to judge (é is a letter, an emoji is not).  The result is the same as a
 * scan's. */
static void
test_word_boundary_skip(void **state)
{
	static const char *const texts[] = {
		"unsafe safe _safe 9safe safe9 \xC3\xA9safe \xF0\x9F\x98\x80safe safe\xC3\xA9 Safe",
		"rainfall fall falls fallen; footfall, free-fall (fall) \xC5\xBF" "afe",
		"safe",
		"xsafe",
	};
	ca_ruleset *rs = rules_from_text("rules:\n"
	    "  - id: safe\n    category: strengths\n    patterns: ['\\bsafe\\b']\n"
	    "  - id: fall\n    category: risk\n    patterns: ['\\bfall(?:s|en)?\\b', '\\bfall']\n");
	ca_screener *with, *without;
	ca_err err = { 0 };
	ca_strbuf a, b;

	(void)state;
	assert_true(ca_ruleset_rule(rs, 0)->patterns[0].starts_b);
	assert_int_equal(ca_screener_new(rs, &with, &err), 0);
	assert_int_equal(ca_screener_new(rs, &without, &err), 0);
	ca_screener_set_prefilter(without, 0);
	ca_strbuf_init(&a);
	ca_strbuf_init(&b);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const ca_screen_result *r;

		assert_int_equal(ca_screen(with, texts[i], strlen(texts[i]), &r, &err), 0);
		ca_strbuf_reset(&a);
		ca_screen_json(r, &a);
		assert_int_equal(ca_screen(without, texts[i], strlen(texts[i]), &r, &err), 0);
		ca_strbuf_reset(&b);
		ca_screen_json(r, &b);
		assert_string_equal(a.data, b.data);
	}
	/* in the first text: "safe" at 7, after the emoji (4 bytes) at 41 and
	 * "Safe" at 53; not inside a word, nor beside é */
	{
		const ca_screen_result *r;
		size_t want[] = { 7, 41, 53 }, k = 0;

		assert_int_equal(ca_screen(with, texts[0], strlen(texts[0]), &r, &err), 0);
		for (size_t i = 0; i < r->nmatches; i++)
			if (strcmp(r->matches[i].rule, "safe") == 0) {
				assert_true(k < 3);
				assert_int_equal(r->matches[i].start, want[k++]);
			}
		assert_int_equal(k, 3);
	}
	ca_screener_free(with);
	ca_screener_free(without);
	ca_ruleset_free(rs);
	ca_strbuf_free(&a);
	ca_strbuf_free(&b);
}

/* ---- limits --------------------------------------------------------------- */

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char catastrophic_rules[] =
	"rules:\n"
	"  - id: falls\n"
	"    category: risk\n"
	"    patterns: ['\\bfalls\\b']\n"
	"  - id: catastrophic\n"
	"    category: person_voice\n"
	"    patterns: ['(a+)+$']\n"
	"  - id: meals\n"
	"    category: outcome\n"
	"    outcome: nutrition\n"
	"    patterns: ['\\bmeals\\b']\n";

static int
has_limit(const ca_screen_result *r, const char *rule, size_t pattern, const char *limit)
{
	for (size_t i = 0; i < r->nlimits; i++)
		if (strcmp(r->limits[i].rule, rule) == 0 && r->limits[i].pattern == pattern &&
		    (limit == NULL || strcmp(r->limits[i].limit, limit) == 0))
			return 1;
	return 0;
}

/* A pattern that backtracks without end hits the limit, is reported, and
 * the rules around it are still evaluated: with JIT and without. */
static void
test_catastrophic_backtracking(void **state)
{
	ca_ruleset *rs = rules_from_text(catastrophic_rules);
	ca_screener *sc;
	const ca_screen_result *r;
	ca_err err = { 0 };
	size_t big = 10u * 1000u * 1000u;
	char *text = malloc(big + 1);
	double t0;

	(void)state;
	assert_int_equal(ca_screener_new(rs, &sc, &err), 0);
	memcpy(text, "falls meals ", 12);
	memset(text + 12, 'a', 40);
	text[52] = 'b';
	for (int jit = 1; jit >= 0; jit--) {
		ca_screener_set_jit(sc, jit);
		t0 = now();
		assert_int_equal(ca_screen(sc, text, 53, &r, &err), 0);
		assert_true(now() - t0 < 10.0);
		assert_true(has_limit(r, "catastrophic", 1, NULL));
		assert_true(has_rule(r, "falls"));
		assert_true(has_rule(r, "meals"));
		assert_non_null(strstr(json_of(r), "\"limit_hits\": [{\"rule\": \"catastrophic\", "
		    "\"pattern\": 1, \"limit\": \""));
	}
	/* the same in a 10 MB narrative */
	memset(text + 12, 'a', big - 13);
	text[big - 1] = 'b';
	ca_screener_set_jit(sc, 1);
	t0 = now();
	assert_int_equal(ca_screen(sc, text, big, &r, &err), 0);
	if (now() - t0 > 20.0)
		fail_msg("a 10 MB narrative took %.1f s", now() - t0);
	assert_true(has_limit(r, "catastrophic", 1, "match_limit"));
	assert_true(has_rule(r, "falls"));
	free(text);
	ca_screener_free(sc);
	ca_ruleset_free(rs);
}

/* A 10 MB narrative through the real rules finishes promptly; rules that
 * match more than the cap say so. */
static void
test_ten_megabytes(void **state)
{
	static const char sentence[] =
	    "Mrs O'Connor said, \"I want to stay at home.\" She has fallen twice and her son is "
	    "her main carer; there are no concerns about hoarding. She enjoys cooking meals. ";
	size_t big = 10u * 1000u * 1000u, n = strlen(sentence), len = 0;
	char *text = malloc(big + n);
	const ca_screen_result *r;
	ca_err err = { 0 };
	double t0;

	(void)state;
	while (len + n <= big) {
		memcpy(text + len, sentence, n);
		len += n;
	}
	t0 = now();
	assert_int_equal(ca_screen(fx.sc, text, len, &r, &err), 0);
	if (now() - t0 > 30.0)
		fail_msg("a 10 MB narrative took %.1f s", now() - t0);
	assert_true(has_limit(r, "risk_falls", 0, "too_many_matches"));
	assert_true(has_outcome(r, "nutrition"));
	assert_true(has_flag(r, "carer_without_offer"));
	assert_true(has_rule(r, "carer_named"));
	free(text);
}

/* Where rules reach their match cap, the prefilter still changes nothing
 * (the rules after a capped one are still the right ones). */
static void
test_prefilter_with_caps(void **state)
{
	static const char sentence[] =
	    "Mrs O'Connor said, \"I want to stay at home.\" She has fallen twice and her son is "
	    "her main carer; there are no concerns about hoarding. She enjoys cooking meals. ";
	size_t n = strlen(sentence), len = 0, big = 400000;
	char *text = malloc(big + n);
	ca_screener *plain;
	const ca_screen_result *r;
	ca_err err = { 0 };
	ca_strbuf a;

	(void)state;
	while (len + n <= big) {
		memcpy(text + len, sentence, n);
		len += n;
	}
	ca_strbuf_init(&a);
	assert_int_equal(ca_screener_new(fx.rs, &plain, &err), 0);
	ca_screener_set_prefilter(plain, 0);
	assert_int_equal(ca_screen(plain, text, len, &r, &err), 0);
	ca_screen_json(r, &a);
	assert_true(r->nlimits > 1);
	assert_int_equal(ca_screen(fx.sc, text, len, &r, &err), 0);
	assert_string_equal(json_of(r), a.data);
	ca_strbuf_free(&a);
	ca_screener_free(plain);
	free(text);
}

static void
test_too_many_matches(void **state)
{
	ca_ruleset *rs = rules_from_text("rules:\n  - id: x\n    category: risk\n"
	    "    patterns: ['\\bxx\\b', '\\byy\\b']\n");
	ca_screener *sc;
	const ca_screen_result *r;
	ca_err err = { 0 };
	ca_strbuf t;

	(void)state;
	ca_strbuf_init(&t);
	for (int i = 0; i < 1500; i++)
		ca_strbuf_adds(&t, "xx ");
	ca_strbuf_adds(&t, "yy");
	assert_int_equal(ca_screener_new(rs, &sc, &err), 0);
	assert_int_equal(ca_screen(sc, t.data, t.len, &r, &err), 0);
	assert_int_equal(r->nmatches, CA_SCREEN_MAX_MATCHES);
	assert_true(has_limit(r, "x", 0, "too_many_matches"));
	assert_int_equal(r->terms[CA_CAT_RISK], CA_SCREEN_MAX_MATCHES);
	ca_screener_free(sc);
	ca_ruleset_free(rs);
	ca_strbuf_free(&t);
}

/* ---- the command line ---------------------------------------------------- */

static void
test_cli_stdin(void **state)
{
	test_run r;
	const char *argv[] = { "caseaudit", "screen", "--stdin", "--rules", rules_path,
		"--format", "json", NULL };
	const char *text_argv[] = { "caseaudit", "screen", "--stdin", "--rules", rules_path,
		"--format", "text", NULL };
	const char *in = "Siân enjoys cooking.";

	(void)state;
	assert_int_equal(test_run_cli_stdin(&r, NULL, NULL, argv, in, strlen(in)), 0);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "{\"outcomes\": [\"nutrition\"], \"outcome_count\": 1, "
	    "\"strengths_terms\": 1, \"deficit_terms\": 0, \"flags\": [\"single_issue\", "
	    "\"no_person_voice\"], \"matches\": [{\"rule\": \"strengths_interests\", \"category\": "
	    "\"strengths\", \"start\": 6, \"end\": 12}, {\"rule\": \"nutrition_cooking\", "
	    "\"category\": \"outcome\", \"start\": 13, \"end\": 20}], \"limit_hits\": []}\n");
	assert_string_equal(r.err, "");
	test_run_free(&r);

	assert_int_equal(test_run_cli_stdin(&r, NULL, NULL, text_argv, in, strlen(in)), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "outcomes covered: 1 of 10 (nutrition)"));
	assert_non_null(strstr(r.out, "nutrition_cooking"));
	test_run_free(&r);

	/* not UTF-8, or not text at all */
	assert_int_equal(test_run_cli_stdin(&r, NULL, NULL, argv, "caf\xe9", 4), 0);
	assert_int_equal(r.status, 65);
	assert_string_equal(r.err, "caseaudit: screen: standard input is not UTF-8 (byte 3); "
	    "save the text as UTF-8\n");
	test_run_free(&r);
	assert_int_equal(test_run_cli_stdin(&r, NULL, NULL, argv, "a\0b", 3), 0);
	assert_int_equal(r.status, 65);
	test_run_free(&r);
}

static void
test_cli_rules_problems(void **state)
{
	static const char bad[] = "rules:\n  - id: a\n    category: risk\n    patterns: ['(']\n";
	char *path = test_write_file("bad.yaml", bad, strlen(bad)), expected[8192];
	const char *argv[] = { "caseaudit", "screen", "--stdin", "--rules", path, NULL };
	const char *missing[] = { "caseaudit", "screen", "--stdin", "--rules",
		"/nonexistent/screening.yaml", NULL };
	const char *both[] = { "caseaudit", "screen", "--stdin", "--all", NULL };
	const char *rules_stored[] = { "caseaudit", "screen", "--rules", path, NULL };
	test_run r;

	(void)state;
	assert_int_equal(test_run_cli_stdin(&r, NULL, NULL, argv, "x", 1), 0);
	assert_int_equal(r.status, 65);
	snprintf(expected, sizeof expected, "%s:4:16: rule a: pattern does not compile: "
	    "missing closing parenthesis at offset 1\n"
	    "caseaudit: %s: 1 problem in the screening rules; nothing was loaded\n", path, path);
	assert_string_equal(r.err, expected);
	assert_string_equal(r.out, "");
	test_run_free(&r);
	assert_int_equal(test_run_cli_stdin(&r, NULL, NULL, missing, "x", 1), 0);
	assert_int_equal(r.status, 66);
	test_run_free(&r);
	assert_int_equal(test_run_cli_stdin(&r, NULL, NULL, both, "x", 1), 0);
	assert_int_equal(r.status, 64);
	test_run_free(&r);
	assert_int_equal(test_run_cli(&r, NULL, NULL, rules_stored), 0);
	assert_int_equal(r.status, 64);
	test_run_free(&r);
	unlink(path);
	free(path);
}

/* 10 MB through the binary with a catastrophic rule: prompt, exit 0, the
 * limit hit reported, and the other rules' matches there. */
static void
test_cli_ten_megabytes(void **state)
{
	char *path = test_write_file("cat.yaml", catastrophic_rules, strlen(catastrophic_rules));
	const char *argv[] = { "caseaudit", "screen", "--stdin", "--rules", path, NULL };
	size_t big = 10u * 1000u * 1000u;
	char *text = malloc(big);
	test_run r;
	double t0;

	(void)state;
	memcpy(text, "falls meals ", 12);
	memset(text + 12, 'a', big - 13);
	text[big - 1] = 'b';
	t0 = now();
	assert_int_equal(test_run_cli_stdin(&r, NULL, NULL, argv, text, big), 0);
	if (now() - t0 > 30.0)
		fail_msg("10 MB through the CLI took %.1f s", now() - t0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"limit_hits\": [{\"rule\": \"catastrophic\", "
	    "\"pattern\": 1, \"limit\": \"match_limit\"}]"));
	assert_non_null(strstr(r.out, "{\"rule\": \"falls\", \"category\": \"risk\", "
	    "\"start\": 0, \"end\": 5}"));
	test_run_free(&r);
	free(text);
	unlink(path);
	free(path);
}

/* ---- screening stored assessments ---------------------------------------- */

static char dbname[80];

static long long
count(PGconn *c, const char *sql)
{
	return test_db_count(c, sql);
}

/* Store rule-set text as `forms load` would. */
static long long
store_rules(PGconn *c, const char *source)
{
	char sha[CA_SHA256_HEX_LEN + 1];
	const char *params[2] = { sha, source };
	PGresult *res;
	long long id;

	ca_sha256_hex(source, strlen(source), sha);
	res = PQexecParams(c, "INSERT INTO screening_rule_sets (sha256, source, loaded_by)"
	    " VALUES ($1, $2, 'test') RETURNING id", 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fail_msg("storing rules: %s", PQerrorMessage(c));
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	ca_strbuf b;
	char chunk[4096];
	size_t n;

	assert_non_null(f);
	ca_strbuf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ca_strbuf_add(&b, chunk, n);
	fclose(f);
	return b.data;
}

static void
run_ok(test_run *r, const char *const *argv)
{
	assert_int_equal(test_run_cli(r, dbname, NULL, argv), 0);
	if (r->status != 0)
		fail_msg("%s %s: exit %d\n%s%s", argv[1], argv[2] ? argv[2] : "", r->status,
		    r->out, r->err);
}

static void
test_screen_database(void **state)
{
	const char *import_good[] = { "caseaudit", "import", "assessments",
		test_fixture("assessments_good.csv"), NULL };
	const char *screen_json[] = { "caseaudit", "screen", "--format", "json", NULL };
	const char *screen_all[] = { "caseaudit", "screen", "--all", "--format", "json", NULL };
	const char *screen_csv[] = { "caseaudit", "screen", "--format", "csv", NULL };
	const char *screen_table[] = { "caseaudit", "screen", "--batch", "7", NULL };
	const char *stdin_argv[] = { "caseaudit", "screen", "--stdin", NULL };
	char *dir = test_tempdir(), csv[4200], *source, *source2, *limits_csv;
	const char *import_gen[] = { "caseaudit", "import", "assessments", csv, NULL };
	ca_generate_opts go = { .assessments = 150, .seed = 3, .out_dir = dir };
	ca_generate_stats gs;
	ca_err err = { 0 };
	long long rs1, rs2, n;
	PGconn *c;
	test_run r;

	(void)state;
	assert_int_equal(test_db_create("screen", dbname, sizeof dbname), 0);
	c = test_db_connect(dbname);
	assert_non_null(c);
	assert_int_equal(ca_generate(&go, &gs, &err), 0);
	snprintf(csv, sizeof csv, "%s/assessments.csv", dir);
	run_ok(&r, import_good);
	test_run_free(&r);
	run_ok(&r, import_gen);
	test_run_free(&r);
	n = count(c, "SELECT count(*) FROM assessments");
	assert_int_equal(n, 154);

	/* no rules stored: a clear message, for both kinds of run */
	assert_int_equal(test_run_cli(&r, dbname, NULL, screen_json), 0);
	assert_int_equal(r.status, 66);
	assert_non_null(strstr(r.err, "caseaudit forms load forms/screening.yaml"));
	test_run_free(&r);
	assert_int_equal(test_run_cli_stdin(&r, dbname, NULL, stdin_argv, "meals", 5), 0);
	assert_int_equal(r.status, 66);
	assert_non_null(strstr(r.err, "caseaudit forms load forms/screening.yaml"));
	test_run_free(&r);

	source = read_file(rules_path);
	rs1 = store_rules(c, source);
	/* --stdin takes the stored rules when no file is named */
	assert_int_equal(test_run_cli_stdin(&r, dbname, NULL, stdin_argv, "She enjoys meals.",
	    17), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"outcomes\": [\"nutrition\"]"));
	test_run_free(&r);

	/* the first run screens every assessment, in batches */
	run_ok(&r, screen_table);
	assert_non_null(strstr(r.out, "screened 154 assessments"));
	assert_non_null(strstr(r.out, "by provider"));
	assert_non_null(strstr(r.out, "Northgate Community Care"));
	/* logs and messages never carry narrative text */
	assert_null(strstr(r.err, "allotment"));
	test_run_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM screenings"), n);
	assert_int_equal(count(c, "SELECT count(*) FROM screenings s JOIN assessments a"
	    " ON a.id = s.assessment_id WHERE s.assessment_revision = a.revision"), n);
	assert_int_equal(count(c, "SELECT count(DISTINCT rule_set_id) FROM screenings"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM screenings"
	    " WHERE cardinality(outcomes) <> outcome_count OR jsonb_typeof(matches) <> 'array'"), 0);
	/* AS-0001 quotes the person: voice found, meals and washing covered */
	assert_int_equal(count(c, "SELECT count(*) FROM screenings s JOIN assessments a"
	    " ON a.id = s.assessment_id WHERE a.assessment_ref = 'AS-0001'"
	    " AND NOT 'no_person_voice' = ANY (s.flags)"
	    " AND s.outcomes @> ARRAY['nutrition', 'personal_hygiene']"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM current_screenings"), n);
	/* each batch of 7 is in the trail, stored with its results */
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE action = 'screening.batch'"),
	    (n + 6) / 7);
	assert_int_equal(count(c, "SELECT sum((after->>'screened')::int) FROM events"
	    " WHERE action = 'screening.batch'"), n);

	/* a second run has nothing to do */
	run_ok(&r, screen_json);
	assert_non_null(strstr(r.out, "\"screened\": 0, \"up_to_date\": 154,"));
	assert_non_null(strstr(r.out, "\"assessments\": 154"));
	test_run_free(&r);

	/* a changed narrative is screened again, and only it */
	assert_int_equal(count(c, "WITH u AS (UPDATE assessments SET summary = 'She has fallen "
	    "twice this year.', revision = revision + 1 WHERE assessment_ref = 'AS-0002'"
	    " RETURNING 1) SELECT count(*) FROM u"), 1);
	run_ok(&r, screen_json);
	assert_non_null(strstr(r.out, "\"screened\": 1, \"up_to_date\": 153,"));
	test_run_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM screenings s JOIN assessments a"
	    " ON a.id = s.assessment_id WHERE a.assessment_ref = 'AS-0002'"
	    " AND s.assessment_revision = 2 AND 'risk_without_plan' = ANY (s.flags)"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM screenings"), n);

	/* a new rule set screens everything again, beside the old results */
	source2 = malloc(strlen(source) + 64);
	snprintf(source2, strlen(source) + 64, "%s\n# a second version\n", source);
	rs2 = store_rules(c, source2);
	assert_true(rs2 > rs1);
	run_ok(&r, screen_json);
	assert_non_null(strstr(r.out, "\"screened\": 154, \"up_to_date\": 0,"));
	test_run_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM screenings"), 2 * n);
	/* --all screens everything again, replacing rather than adding */
	run_ok(&r, screen_all);
	assert_non_null(strstr(r.out, "\"screened\": 154,"));
	test_run_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM screenings"), 2 * n);
	run_ok(&r, screen_csv);
	assert_true(strncmp(r.out, "provider,screened,single_issue,no_person_voice,"
	    "deficit_language,risk_without_plan,carer_without_offer,safeguarding_concern,"
	    "personal_data\n", 136) == 0);
	test_run_free(&r);

	/* a narrative that hits a limit is reported by reference, the run
	 * goes on, and the result says which rule could not be evaluated */
	{
		static const char extra[] =
		    "  - id: catastrophic\n    category: person_voice\n    patterns: ['(a+)+$']\n";
		char *source3 = malloc(strlen(source) + sizeof extra);
		const char *import_lim[] = { "caseaudit", "import", "assessments", NULL, NULL };
		char row[400];

		snprintf(source3, strlen(source) + sizeof extra, "%s%s", source, extra);
		store_rules(c, source3);
		snprintf(row, sizeof row, "assessment_ref,person_ref,assessment_type,provider,"
		    "assessor_ref,requested_on,summary\nAS-LIMIT,P-1,review,Northgate Community Care,"
		    "ST-1,2026-01-05,meals %.*sb\n", 60,
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
		limits_csv = test_write_file("limit.csv", row, strlen(row));
		import_lim[3] = limits_csv;
		run_ok(&r, import_lim);
		test_run_free(&r);
		run_ok(&r, screen_json);
		assert_non_null(strstr(r.out, "\"screened\": 155,"));
		assert_non_null(strstr(r.out, "\"limit_hit_assessments\": 1, \"limit_hits\": "
		    "[{\"assessment_ref\": \"AS-LIMIT\", \"rule\": \"catastrophic\", \"pattern\": 1, "
		    "\"limit\": \"match_limit\"}]"));
		assert_string_equal(r.err, "screen event=limit_hit assessment_ref=AS-LIMIT "
		    "rule=catastrophic pattern=1 limit=match_limit\n");
		test_run_free(&r);
		assert_int_equal(count(c, "SELECT count(*) FROM current_screenings s"
		    " JOIN assessments a ON a.id = s.assessment_id WHERE a.assessment_ref = 'AS-LIMIT'"
		    " AND s.limit_hits @> '[{\"rule\": \"catastrophic\"}]'"
		    " AND s.outcomes = ARRAY['nutrition']"), 1);
		unlink(limits_csv);
		free(limits_csv);
		free(source3);
	}
	/* Assessments another session holds are left to it, and are not
	 * "already up to date": that counts only what was screened, as it
	 * stands, before the run began. */
	{
		const char *batch50[] = { "caseaudit", "screen", "--batch", "50", "--format", "json",
			NULL };
		char *source5 = malloc(strlen(source) + 64);
		PGconn *holder = test_db_connect(dbname);
		long long all = count(c, "SELECT count(*) FROM assessments");
		char want[128];

		snprintf(source5, strlen(source) + 64, "%s\n# a fifth version\n", source);
		store_rules(c, source5);
		test_db_exec(holder, "BEGIN");
		assert_int_equal(count(holder, "SELECT count(*) FROM (SELECT id FROM assessments"
		    " ORDER BY id LIMIT 5 FOR NO KEY UPDATE) held"), 5);
		run_ok(&r, batch50);
		snprintf(want, sizeof want, "\"screened\": %lld, \"up_to_date\": 0,", all - 5);
		if (strstr(r.out, want) == NULL)
			fail_msg("want %s in %s", want, r.out);
		test_run_free(&r);
		test_db_exec(holder, "ROLLBACK");
		PQfinish(holder);
		run_ok(&r, batch50);
		snprintf(want, sizeof want, "\"screened\": 5, \"up_to_date\": %lld,", all - 5);
		if (strstr(r.out, want) == NULL)
			fail_msg("want %s in %s", want, r.out);
		test_run_free(&r);
		free(source5);
	}
	/* two runs at once share the work: every assessment is screened once */
	{
		const char *batch5[] = { "caseaudit", "screen", "--batch", "5", "--format", "json", NULL };
		char *source4 = malloc(strlen(source) + 64);
		pid_t pids[2];
		int status;
		long long before;

		snprintf(source4, strlen(source) + 64, "%s\n# a fourth version\n", source);
		store_rules(c, source4);
		/* A run that finds nothing left to screen (the other was quicker)
		 * writes no event: count the events of these two runs only. */
		before = count(c, "SELECT coalesce(max(id), 0) FROM events");
		for (int i = 0; i < 2; i++) {
			pids[i] = fork();
			if (pids[i] == 0) {
				test_run cr;

				test_run_cli(&cr, dbname, NULL, batch5);
				_exit(cr.status);
			}
		}
		for (int i = 0; i < 2; i++) {
			waitpid(pids[i], &status, 0);
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
		{
			char sql[200];

			snprintf(sql, sizeof sql, "SELECT sum((after->>'screened')::int) FROM events"
			    " WHERE action = 'screening.batch' AND id > %lld", before);
			assert_int_equal(count(c, sql), count(c, "SELECT count(*) FROM assessments"));
		}
		free(source4);
	}
	free(source);
	free(source2);
	PQfinish(c);
	test_db_drop(dbname);
	free(dir);
}

/*
 * A narrative screening refuses does not stop the run.  Only a database in
 * another encoding can hold text that is not UTF-8; caseaudit's own
 * connections refuse such a database, so the run is made here on a
 * connection of the test's own to a SQL_ASCII one.
 */
static void
test_screen_unscreenable(void **state)
{
	char name[80], sql[256], *logtext, *source;
	PGconn *admin, *c;
	ca_migrate_result mr;
	ca_screen_run_opts o = { .batch = 10, .actor = "test" };
	ca_screen_run run;
	ca_err err = { 0 };
	FILE *log;
	size_t loglen;

	(void)state;
	snprintf(name, sizeof name, "caseaudit_t_screenascii_%ld", (long)getpid());
	admin = test_db_connect("postgres");
	assert_non_null(admin);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	test_db_exec(admin, sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'SQL_ASCII' LC_COLLATE 'C'"
	    " LC_CTYPE 'C' TEMPLATE template0", name);
	test_db_exec(admin, sql);
	PQfinish(admin);
	c = test_db_connect(name);
	assert_non_null(c);
	if (ca_migrate(c, NULL, NULL, &mr, &err) != 0)
		fail_msg("migrating: %s", err.msg);
	test_db_exec(c, "INSERT INTO organisations (name) VALUES ('Northgate Community Care')");
	test_db_exec(c, "INSERT INTO assessments (assessment_ref, person_ref, assessment_type,"
	    " provider_id, assessor_ref, requested_on, summary)"
	    " SELECT ref, 'P-' || ref, 'review', (SELECT id FROM organisations), 'ST-1',"
	    "  '2026-01-05', text FROM (VALUES"
	    "  ('AS-1', 'She enjoys her meals.'),"
	    "  ('AS-BAD', E'Caf\\xE9 visits; she enjoys her meals.'),"
	    "  ('AS-3', 'He has fallen twice.')) v (ref, text)");
	source = read_file(rules_path);
	store_rules(c, source);

	log = open_memstream(&logtext, &loglen);
	assert_non_null(log);
	o.log = log;
	assert_int_equal(ca_screen_stored(c, &o, &run, &err), 0);
	fclose(log);
	assert_int_equal(run.screened, 3);
	assert_int_equal(run.unscreenable, 1);
	assert_int_equal(run.up_to_date, 0);
	assert_int_equal(run.limit_assessments, 1);
	assert_int_equal(run.nlimits, 1);
	assert_string_equal(run.limits[0].assessment_ref, "AS-BAD");
	assert_string_equal(run.limits[0].rule, "screening");
	assert_int_equal(run.limits[0].pattern, 0);
	assert_string_equal(run.limits[0].limit, "invalid_text");
	assert_non_null(strstr(logtext, "screen event=unscreenable assessment_ref=AS-BAD "
	    "reason=\"screening: the text is not valid UTF-8 (byte 3)\"\n"));
	assert_non_null(strstr(logtext, "screen event=limit_hit assessment_ref=AS-BAD "
	    "rule=screening pattern=0 limit=invalid_text\n"));
	assert_null(strstr(logtext, "visits"));
	free(logtext);
	ca_screen_run_free(&run);
	/* stored: nothing found, not known to be clean, and why */
	assert_int_equal(count(c, "SELECT count(*) FROM screenings s JOIN assessments a"
	    " ON a.id = s.assessment_id WHERE a.assessment_ref = 'AS-BAD'"
	    " AND s.flags = ARRAY['personal_data'] AND s.matches = '[]'"
	    " AND s.outcome_count = 0"
	    " AND s.limit_hits = '[{\"rule\": \"screening\", \"pattern\": 0,"
	    " \"limit\": \"invalid_text\"}]'"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM screenings s JOIN assessments a"
	    " ON a.id = s.assessment_id WHERE (a.assessment_ref = 'AS-1'"
	    "  AND s.outcomes = ARRAY['nutrition'] OR a.assessment_ref = 'AS-3'"
	    "  AND 'risk_without_plan' = ANY (s.flags)) AND s.limit_hits = '[]'"), 2);
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE action = 'screening.batch'"
	    " AND after->>'screened' = '3' AND after->>'unscreenable' = '1'"), 1);

	/* the next run does not try it again, nor stop at it */
	assert_int_equal(ca_screen_stored(c, &o, &run, &err), 0);
	assert_int_equal(run.screened, 0);
	assert_int_equal(run.up_to_date, 3);
	ca_screen_run_free(&run);
	/* once the narrative is mended, it is screened */
	test_db_exec(c, "UPDATE assessments SET summary = 'Cafe visits; she enjoys her meals.',"
	    " revision = revision + 1 WHERE assessment_ref = 'AS-BAD'");
	assert_int_equal(ca_screen_stored(c, &o, &run, &err), 0);
	assert_int_equal(run.screened, 1);
	assert_int_equal(run.unscreenable, 0);
	assert_int_equal(run.up_to_date, 2);
	ca_screen_run_free(&run);
	assert_int_equal(count(c, "SELECT count(*) FROM current_screenings s JOIN assessments a"
	    " ON a.id = s.assessment_id WHERE a.assessment_ref = 'AS-BAD'"
	    " AND 'nutrition' = ANY (s.outcomes) AND s.limit_hits = '[]'"), 1);
	free(source);
	PQfinish(c);
	test_db_drop(name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_outcome),
		cmocka_unit_test(test_outcome_order_and_count),
		cmocka_unit_test(test_person_voice),
		cmocka_unit_test(test_strengths_and_deficits),
		cmocka_unit_test(test_risk_and_plans),
		cmocka_unit_test(test_carers),
		cmocka_unit_test(test_safeguarding_capacity_advocacy),
		cmocka_unit_test(test_single_issue),
		cmocka_unit_test(test_personal_data),
		cmocka_unit_test(test_personal_data_limits_and_memory),
		cmocka_unit_test(test_contract_json),
		cmocka_unit_test(test_json_strings),
		cmocka_unit_test(test_bad_text),
		cmocka_unit_test(test_prefilter_changes_nothing),
		cmocka_unit_test(test_prefilter_state_between_narratives),
		cmocka_unit_test(test_word_boundary_skip),
		cmocka_unit_test(test_catastrophic_backtracking),
		cmocka_unit_test(test_ten_megabytes),
		cmocka_unit_test(test_prefilter_with_caps),
		cmocka_unit_test(test_too_many_matches),
		cmocka_unit_test(test_cli_stdin),
		cmocka_unit_test(test_cli_rules_problems),
		cmocka_unit_test(test_cli_ten_megabytes),
		cmocka_unit_test(test_screen_database),
		cmocka_unit_test(test_screen_unscreenable),
	};

	return cmocka_run_group_tests_name("screen", tests, setup, teardown);
}
