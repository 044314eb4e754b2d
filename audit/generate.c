/*
 * generate.c - the deterministic synthetic caseload; see generate.h.
 *
 * Three independent ca_rng streams, all derived from the seed: one for
 * the staff list, one for the rows, and one per person (seeded from the
 * person's number) so that someone assessed twice keeps the same age,
 * gender, name and partner without the generator remembering anybody.
 * Only the staff list, a few hundred people, is held in memory.
 */
#include "generate.h"
#include "date.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "names.h"
#include "narrative.h"
#include "rng.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Large writes: a million rows are about 1.5 GB. */
#define OUT_BUFFER (1 << 20)

/* Salts that keep the streams apart. */
#define SALT_STAFF  UINT64_C(0x5354414646000001)
#define SALT_ROWS   UINT64_C(0x524f575300000002)
#define SALT_PEOPLE UINT64_C(0x50454f504c450003)
#define SALT_REFS   UINT64_C(0x5245465300000004)

/* ---- Civil dates ------------------------------------------------------- */

/* The civil date `months` months before day z, the day clamped to the
 * month's length (31 March less one month is 28 or 29 February). */
static long
months_before(long z, int months)
{
	long y;
	int m, d;

	ca_civil_from_days(z, &y, &m, &d);
	y -= months / 12;
	m -= months % 12;
	if (m < 1) {
		m += 12;
		y--;
	}
	if (d > ca_days_in_month(y, m))
		d = ca_days_in_month(y, m);
	return ca_days_from_civil(y, m, d);
}


/* ---- Draws ------------------------------------------------------------- */

static uint64_t
mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/* Chances are integers per thousand, never doubles, so nothing rounds
 * differently on another machine. */
/*
 * Days from request to completion: log-normal with a median of 42 days
 * (sigma 0.85), as quantiles at fixed points of a 1/65536 grid and read
 * by linear interpolation.  A table instead of exp() keeps every libm
 * out of the output.
 */
static const struct {
	int p;      /* cumulative probability, out of 65536 */
	int days;
} wait_quantiles[] = {
	{ 0, 1 }, { 328, 5 }, { 1311, 7 }, { 3277, 10 }, { 6554, 14 },
	{ 13107, 21 }, { 19661, 27 }, { 26214, 34 }, { 32768, 42 },
	{ 39322, 52 }, { 45875, 66 }, { 52429, 86 }, { 58982, 125 },
	{ 62259, 170 }, { 63898, 222 }, { 64881, 303 }, { 65208, 375 },
	{ 65470, 581 }, { 65536, 720 },
};

static long
draw_wait(ca_rng *r)
{
	int u = (int)ca_rng_below(r, 65536);

	for (size_t i = 1; i < NITEMS(wait_quantiles); i++) {
		int p0 = wait_quantiles[i - 1].p, p1 = wait_quantiles[i].p;
		int d0 = wait_quantiles[i - 1].days, d1 = wait_quantiles[i].days;

		if (u < p1)
			return d0 + (long)(d1 - d0) * (u - p0) / (p1 - p0);
	}
	return wait_quantiles[NITEMS(wait_quantiles) - 1].days;
}

/*
 * A bijection on [0, modulus): a four-round Feistel network on the
 * smallest even number of bits that holds the modulus, walked until the
 * value falls back inside.  Person refs look random yet never collide.
 */
struct permutation {
	uint64_t modulus;
	uint64_t mask;
	int half;
	uint64_t key[4];
};

static void
permutation_init(struct permutation *p, uint64_t modulus, uint64_t seed)
{
	int bits = 2;

	while ((UINT64_C(1) << bits) < modulus)
		bits += 2;
	p->modulus = modulus;
	p->half = bits / 2;
	p->mask = (UINT64_C(1) << p->half) - 1;
	for (int i = 0; i < 4; i++)
		p->key[i] = mix64(seed + (uint64_t)i * UINT64_C(0x9e3779b97f4a7c15));
}

static uint64_t
permute(const struct permutation *p, uint64_t x)
{
	do {
		uint64_t l = x >> p->half, r = x & p->mask;

		for (int i = 0; i < 4; i++) {
			uint64_t t = l ^ (mix64(r ^ p->key[i]) & p->mask);

			l = r;
			r = t;
		}
		x = (l << p->half) | r;
	} while (x >= p->modulus);
	return x;
}

/* ---- Organisations ------------------------------------------------------ */

#define COUNCIL_NAME   "Eastshire County Council"
#define COUNCIL_DOMAIN "eastshire.gov.uk"
#define PARTNERS 8

struct partner {
	const char *name;
	const char *domain;
	int share;             /* of cases, per thousand */
	ca_narr_profile q;     /* holistic, strengths, risk plan, carer, record */
	int speed;             /* waits, per cent of the county's */
	int zero_max;          /* its extract writes 0, not empty, for
	                          max_open_audits of non-auditors */
	const char *teams[3];
};

/* Shares sum to 1000.  Profiles differ enough for a board to see it. */
static const struct partner partners[PARTNERS] = {
	{ "Northgate Community Care", "northgatecare.org.uk", 300,
	  { 450, 420, 550, 550, 600 }, 100, 0,
	  { "Assessment Team", "Reviews Team", "Community Team" } },
	{ "Riverside Carers Trust", "riversidecarers.org.uk", 200,
	  { 500, 620, 600, 850, 700 }, 110, 1,
	  { "Carers Support Team", "Assessment Team", "Reviews Team" } },
	{ "Oakfield Wellbeing Partnership", "oakfieldwellbeing.org.uk", 150,
	  { 720, 800, 720, 650, 800 }, 125, 0,
	  { "Wellbeing Team", "Assessment Team", "Reviews Team" } },
	{ "Age Well Alliance", "agewellalliance.org.uk", 110,
	  { 220, 280, 330, 350, 450 }, 80, 1,
	  { "Assessment Team", "Reviews Team", "Assessment Team" } },
	{ "Brookside Independent Living", "brooksideliving.org.uk", 90,
	  { 620, 600, 760, 600, 750 }, 105, 0,
	  { "Independent Living Team", "Reviews Team", "Assessment Team" } },
	{ "Meadowbank Support Services", "meadowbanksupport.org.uk", 70,
	  { 300, 250, 300, 380, 350 }, 90, 0,
	  { "Assessment Team", "Community Team", "Assessment Team" } },
	{ "Hillcrest Neighbourhood Trust", "hillcresttrust.org.uk", 50,
	  { 550, 650, 550, 600, 650 }, 115, 1,
	  { "Neighbourhood Team", "Assessment Team", "Reviews Team" } },
	{ "Kingsmead Community Partnership", "kingsmeadpartnership.org.uk", 30,
	  { 820, 850, 820, 820, 850 }, 120, 0,
	  { "Assessment Team", "Reviews Team", "Carers Team" } },
};

const ca_narr_profile *
ca_generate_profile(const char *partner)
{
	for (int p = 0; p < PARTNERS; p++)
		if (strcmp(partners[p].name, partner) == 0)
			return &partners[p].q;
	return NULL;
}

static const char *const council_teams[] = {
	"Locality North", "Locality South", "Locality East", "Locality West",
	"Hospital Discharge Team", "Learning Disability Team",
	"Mental Health Team", "Quality Assurance",
};

/* ---- Staff ------------------------------------------------------------ */

/* Organisation 0 is the council; 1 .. PARTNERS are the partners. */
struct staff {
	char ref[16];
	const char *first, *surname;
	int org;
	const char *role;
	const char *team;
	int max_open;          /* -1 for empty */
	int assessor;
	char email[128];
};

struct roster {
	struct staff *v;
	size_t n, cap;
	long *assessors[PARTNERS];   /* indices into v, per partner */
	size_t nassessors[PARTNERS];
};

static const char *
org_name(int org)
{
	return org == 0 ? COUNCIL_NAME : partners[org - 1].name;
}

static const char *
org_domain(int org)
{
	return org == 0 ? COUNCIL_DOMAIN : partners[org - 1].domain;
}

static int
email_taken(const struct roster *ro, const char *email)
{
	for (size_t i = 0; i < ro->n; i++)
		if (strcmp(ro->v[i].email, email) == 0)
			return 1;
	return 0;
}

/* Staff names are drawn more evenly across pools than residents', as a
 * social care workforce is, and mostly female. */
static void
draw_staff_name(ca_rng *r, const char **first, const char **surname)
{
	static const int pool_weight[CA_POOL_COUNT] = { 560, 120, 160, 110, 50 };
	int pool = ca_rng_weighted(r, pool_weight, CA_POOL_COUNT);
	int sex = ca_rng_permille(r, 20) ? CA_SEX_EITHER :
	    ca_rng_permille(r, 760) ? CA_SEX_FEMALE : CA_SEX_MALE;

	*first = ca_name_first(r, pool, sex);
	*surname = ca_name_surname(r, pool);
}

static int
add_staff(struct roster *ro, ca_rng *r, int org, const char *role,
    const char *team, const char *first, const char *surname)
{
	struct staff *s;
	char local[96], f[48], l[48];

	if (ro->n == ro->cap) {
		size_t cap = ro->cap ? ro->cap * 2 : 128;
		struct staff *v = realloc(ro->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		ro->v = v;
		ro->cap = cap;
	}
	if (first == NULL)
		draw_staff_name(r, &first, &surname);
	s = &ro->v[ro->n];
	memset(s, 0, sizeof *s);
	snprintf(s->ref, sizeof s->ref, "ST-%04zu", ro->n + 1);
	s->first = first;
	s->surname = surname;
	s->org = org;
	s->role = role;
	s->team = team;
	s->assessor = strstr(role, "assessor") != NULL;
	if (strstr(role, "auditor") != NULL)
		s->max_open = (int)ca_rng_range(r, 5, 15);
	else
		s->max_open = org > 0 && partners[org - 1].zero_max ? 0 : -1;

	/* Two people may share a name; their addresses may not. */
	ca_name_fold(f, sizeof f, first);
	ca_name_fold(l, sizeof l, surname);
	snprintf(local, sizeof local, "%s.%s", f, l);
	snprintf(s->email, sizeof s->email, "%s@%s", local, org_domain(org));
	for (int k = 2; email_taken(ro, s->email); k++)
		snprintf(s->email, sizeof s->email, "%s%d@%s", local, k,
		    org_domain(org));
	ro->n++;
	return 0;
}

static long
isqrt(long x)
{
	long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/*
 * The staff list: council leadership and practice leads, then each
 * partner's practice leads and assessors.  Numbers grow mildly with the
 * caseload, as a workforce does.  Leadership names are fixed, so every
 * demo has the same principal social worker, and accented names are
 * always present.
 */
static int
build_roster(struct roster *ro, uint64_t seed, long assessments)
{
	ca_rng r;
	long root = isqrt(assessments);
	long council_leads = 8 + root / 40;
	long assessors_total = 22 + root / 2;

	ca_rng_seed(&r, mix64(seed ^ SALT_STAFF));
	if (add_staff(ro, &r, 0, "psw", "Principal Social Worker's Office",
	    "Siân", "Pritchard") != 0 ||
	    add_staff(ro, &r, 0, "qa_lead", "Quality Assurance",
	    "Łukasz", "Nowak") != 0 ||
	    add_staff(ro, &r, 0, "board", "Quality Assurance Board",
	    "Zoë", "Campbell") != 0 ||
	    add_staff(ro, &r, 0, "board", "Quality Assurance Board",
	    "Seán", "O'Connor") != 0 ||
	    add_staff(ro, &r, 0, "auditor", "Quality Assurance",
	    "Dário", "Ferreira") != 0)
		return -1;
	for (long i = 1; i < council_leads; i++) {
		const char *team = council_teams[i % NITEMS(council_teams)];

		if (add_staff(ro, &r, 0, ca_rng_permille(&r, 300) ? "auditor;assessor" :
		    "auditor", team, NULL, NULL) != 0)
			return -1;
	}
	for (int p = 0; p < PARTNERS; p++) {
		const struct partner *pa = &partners[p];
		long leads = 1 + pa->share * (4 + root / 25) / 1000;
		long assessors = assessors_total * pa->share / 1000;

		if (assessors < 2)
			assessors = 2;
		for (long i = 0; i < leads; i++)
			if (add_staff(ro, &r, p + 1, ca_rng_permille(&r, 500) ?
			    "auditor;assessor" : "auditor",
			    "Practice Development", NULL, NULL) != 0)
				return -1;
		for (long i = 0; i < assessors; i++)
			if (add_staff(ro, &r, p + 1, "assessor",
			    pa->teams[i % 3], NULL, NULL) != 0)
				return -1;
	}

	/* Who may carry a partner's cases: its assessors, including
	 * practice leads who still assess. */
	for (int p = 0; p < PARTNERS; p++) {
		size_t k = 0;

		for (size_t i = 0; i < ro->n; i++)
			if (ro->v[i].org == p + 1 && ro->v[i].assessor)
				k++;
		ro->assessors[p] = malloc(k * sizeof(long));
		if (ro->assessors[p] == NULL)
			return -1;
		k = 0;
		for (size_t i = 0; i < ro->n; i++)
			if (ro->v[i].org == p + 1 && ro->v[i].assessor)
				ro->assessors[p][k++] = (long)i;
		ro->nassessors[p] = k;
	}
	return 0;
}

static void
free_roster(struct roster *ro)
{
	for (int p = 0; p < PARTNERS; p++)
		free(ro->assessors[p]);
	free(ro->v);
	memset(ro, 0, sizeof *ro);
}

/* ---- People ------------------------------------------------------------ */

static const char *const age_bands[CA_AGE_BANDS] = {
	"18-24", "25-44", "45-64", "65-74", "75-84", "85+"
};
static const int age_low[CA_AGE_BANDS] = { 18, 25, 45, 65, 75, 85 };
static const int age_high[CA_AGE_BANDS] = { 24, 44, 64, 74, 84, 101 };
/* People assessed are mostly old; carers mostly of working age. */
static const int age_weight_person[CA_AGE_BANDS] = { 40, 100, 160, 160, 270, 270 };
static const int age_weight_carer[CA_AGE_BANDS] = { 30, 150, 400, 220, 150, 50 };

static const char *const genders[] = {
	"Female", "Male", "Non-binary", "Prefer not to say"
};
static const int gender_weight[] = { 560, 410, 10, 20 };

/* The 2021 census's top-level categories, as extracts label them. */
enum {
	ETH_WHITE_BRITISH, ETH_WHITE_OTHER, ETH_ASIAN, ETH_BLACK, ETH_MIXED,
	ETH_OTHER, ETH_NOT_STATED, ETH_COUNT
};
static const char *const ethnicities[ETH_COUNT] = {
	"White British", "White Other", "Asian or Asian British",
	"Black or Black British", "Mixed", "Other ethnic group", "Not stated"
};
static const int ethnicity_weight[ETH_COUNT] = { 760, 60, 70, 40, 20, 10, 40 };
static const int name_pool_weight[ETH_COUNT][CA_POOL_COUNT] = {
	[ETH_WHITE_BRITISH] = { 990, 5, 0, 0, 5 },
	[ETH_WHITE_OTHER] = { 150, 820, 0, 0, 30 },
	[ETH_ASIAN] = { 20, 0, 880, 0, 100 },
	[ETH_BLACK] = { 60, 0, 0, 940, 0 },
	[ETH_MIXED] = { 400, 100, 150, 250, 100 },
	[ETH_OTHER] = { 50, 150, 0, 0, 800 },
	[ETH_NOT_STATED] = { 600, 100, 120, 100, 80 },
};

static const char *const support_reasons[CA_PSR_COUNT] = {
	"Physical support", "Sensory support",
	"Support with memory and cognition", "Learning disability support",
	"Mental health support", "Social support"
};
static const int reason_weight[CA_AGE_BANDS][CA_PSR_COUNT] = {
	{ 15, 5, 0, 45, 25, 10 },
	{ 25, 5, 1, 30, 30, 9 },
	{ 45, 7, 5, 12, 22, 9 },
	{ 55, 8, 20, 3, 8, 6 },
	{ 52, 10, 28, 1, 4, 5 },
	{ 50, 12, 32, 0, 2, 4 },
};

struct person {
	ca_narr_person np;
	char ref[24];
	int partner;
	int ethnicity;
};

struct generator {
	uint64_t seed;
	long as_of;              /* days since 1970-01-01 */
	int ref_digits;
	struct permutation refs;
};

/*
 * Everything about a person follows from their number alone, drawn from a
 * stream of their own: a second assessment of the same person finds the
 * same details without anyone being remembered.  People assessed and
 * carers are numbered apart (even and odd).
 */
static void
derive_person(const struct generator *g, int carer, long index,
    struct person *out)
{
	ca_narr_person *p = &out->np;
	uint64_t number = (uint64_t)index * 2 + (uint64_t)carer;
	ca_rng r;
	int band, sex, pool, share, m, d;
	long birth, y;

	ca_rng_seed(&r, mix64(g->seed ^ SALT_PEOPLE) ^ mix64(number + 1));
	memset(out, 0, sizeof *out);

	band = ca_rng_weighted(&r, carer ? age_weight_carer : age_weight_person,
	    CA_AGE_BANDS);
	p->age_band = band;
	p->age = (int)ca_rng_range(&r, age_low[band], age_high[band]);
	p->gender = ca_rng_weighted(&r, gender_weight, 4);
	out->ethnicity = ca_rng_weighted(&r, ethnicity_weight, ETH_COUNT);
	pool = ca_rng_weighted(&r, name_pool_weight[out->ethnicity], CA_POOL_COUNT);
	p->pool = pool;

	switch (p->gender) {
	case CA_GENDER_FEMALE:
		sex = CA_SEX_FEMALE;
		if (band >= 4)
			p->title = ca_rng_permille(&r, 650) ? "Mrs" : ca_rng_permille(&r, 700) ? "Ms" : "Miss";
		else
			p->title = ca_rng_permille(&r, 350) ? "Mrs" : ca_rng_permille(&r, 770) ? "Ms" : "Miss";
		break;
	case CA_GENDER_MALE:
		sex = CA_SEX_MALE;
		p->title = "Mr";
		break;
	case CA_GENDER_NONBINARY:
		sex = ca_rng_permille(&r, 700) ? CA_SEX_EITHER :
		    ca_rng_permille(&r, 500) ? CA_SEX_FEMALE : CA_SEX_MALE;
		p->title = "Mx";
		break;
	default:
		sex = ca_rng_permille(&r, 500) ? CA_SEX_FEMALE : CA_SEX_MALE;
		p->title = ca_rng_permille(&r, 400) ? "Mx" : NULL;
		break;
	}
	p->first = ca_name_first(&r, pool, sex);
	p->surname = ca_name_surname(&r, pool);
	p->reason = carer ? CA_PSR_SOCIAL :
	    ca_rng_weighted(&r, reason_weight[band], CA_PSR_COUNT);

	/* Born so as to be exactly p->age on the extract date. */
	birth = months_before(g->as_of, 12 * p->age) -
	    (long)ca_rng_below(&r, 365);
	ca_civil_from_days(birth, &y, &m, &d);
	p->birth_year = (int)y;
	p->birth_month = m;
	p->birth_day = d;

	share = (int)ca_rng_below(&r, 1000);
	for (out->partner = 0; out->partner < PARTNERS - 1; out->partner++) {
		if (share < partners[out->partner].share)
			break;
		share -= partners[out->partner].share;
	}

	snprintf(out->ref, sizeof out->ref, "P-%0*llu", g->ref_digits,
	    (unsigned long long)permute(&g->refs, number));
}

/* ---- Output files --------------------------------------------------------- */

struct out {
	FILE *f;
	char *buf;
	char path[PATH_MAX];
	char tmp[PATH_MAX];
	unsigned long long bytes;
};

static int
io_error(ca_err *err, const char *path, int errnum)
{
	return ca_err_set(err, CA_EX_IOERR, "cannot write %s: %s", path,
	    strerror(errnum));
}

/* mkdir -p: every missing directory on the way, existing ones kept. */
static int
make_dirs(const char *dir, const char *first_file, ca_err *err)
{
	char path[PATH_MAX], file[PATH_MAX];
	size_t len = strlen(dir);
	struct stat sb;

	snprintf(file, sizeof file, "%s/%s", dir, first_file);
	if (len >= sizeof path)
		return io_error(err, file, ENAMETOOLONG);
	memcpy(path, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			int e = errno;

			return ca_err_set(err, CA_EX_IOERR,
			    "cannot write %s: cannot create directory %s: %s",
			    file, path, strerror(e));
		}
		path[i] = dir[i];
	}
	if (stat(dir, &sb) != 0)
		return io_error(err, file, errno);
	if (!S_ISDIR(sb.st_mode))
		return io_error(err, file, ENOTDIR);
	return 0;
}

/* Files are written under a temporary name and renamed when complete, so
 * an interrupted run never leaves a half file under the real name. */
static int
out_open(struct out *o, const char *dir, const char *name, ca_err *err)
{
	memset(o, 0, sizeof *o);
	if ((size_t)snprintf(o->path, sizeof o->path, "%s/%s", dir, name) >=
	    sizeof o->path ||
	    (size_t)snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp", dir, name) >=
	    sizeof o->tmp)
		return io_error(err, o->path, ENAMETOOLONG);
	o->buf = malloc(OUT_BUFFER);
	if (o->buf == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE,
		    "cannot write %s: out of memory", o->path);
	o->f = fopen(o->tmp, "wb");
	if (o->f == NULL) {
		int e = errno;

		free(o->buf);
		o->buf = NULL;
		return io_error(err, o->path, e);
	}
	setvbuf(o->f, o->buf, _IOFBF, OUT_BUFFER);
	return 0;
}

static void
out_write(struct out *o, const char *s, size_t len)
{
	o->bytes += fwrite(s, 1, len, o->f);
}

static void
out_printf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(o->f, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->bytes += (unsigned long long)n;
}

static void
out_abort(struct out *o)
{
	if (o->f != NULL) {
		fclose(o->f);
		unlink(o->tmp);
	}
	free(o->buf);
	o->f = NULL;
	o->buf = NULL;
}

static int
out_close(struct out *o, ca_err *err)
{
	int e = 0;

	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	if (fclose(o->f) != 0 && e == 0)
		e = errno ? errno : EIO;
	o->f = NULL;
	free(o->buf);
	o->buf = NULL;
	if (e == 0 && rename(o->tmp, o->path) != 0)
		e = errno;
	if (e != 0) {
		unlink(o->tmp);
		return io_error(err, o->path, e);
	}
	return 0;
}

/* ---- CSV ------------------------------------------------------------------ */

/* A row is assembled in memory, then written with a single fwrite. */
struct row {
	char *p;
	size_t len, cap;
};

static void
row_put(struct row *w, const char *s, size_t len)
{
	/* The buffer is sized for the longest possible row; this guard is
	 * for a bug, not for data. */
	if (len > w->cap - w->len)
		len = w->cap - w->len;
	memcpy(w->p + w->len, s, len);
	w->len += len;
}

static void
row_str(struct row *w, const char *s)
{
	row_put(w, s, strlen(s));
}

/* RFC 4180: quote a field holding a comma, quote, CR or LF; double any
 * quote inside. */
static void
row_field(struct row *w, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") == NULL)
		row_str(w, s);
	else {
		row_put(w, "\"", 1);
		for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
			row_put(w, s, (size_t)(q - s + 1));
			row_put(w, "\"", 1);
		}
		row_str(w, s);
		row_put(w, "\"", 1);
	}
	row_put(w, last ? "\n" : ",", 1);
}

static const char assessments_header[] =
    "assessment_ref,person_ref,assessment_type,provider,assessor_ref,"
    "requested_on,completed_on,summary,priority,eligible,"
    "direct_payment_offered,carer_identified,age_band,gender,ethnicity,"
    "primary_support_reason\n";

static const char staff_header[] =
    "staff_ref,name,organisation,role,team,max_open_audits,email\n";

static const char *const type_names[] = {
	[CA_TYPE_CARE_ACT] = "care_act_assessment",
	[CA_TYPE_REVIEW] = "review",
	[CA_TYPE_CARER] = "carers_assessment",
};
static const int type_weight[] = { 550, 300, 150 };

static const char *const priorities[] = { "urgent", "high", "medium", "low", "" };
static const int priority_weight[] = { 50, 150, 550, 150, 100 };
/* Urgent cases are seen sooner: waits in per cent of the usual. */
static const int priority_speed[] = { 30, 60, 100, 140, 100 };

static const char *
yes_no(int v)
{
	return v == 1 ? "yes" : v == 0 ? "no" : "";
}

static int
draw_eligible(ca_rng *r, int type)
{
	static const int w[][3] = {
		[CA_TYPE_CARE_ACT] = { 640, 300, 60 },
		[CA_TYPE_REVIEW] = { 880, 60, 60 },
		[CA_TYPE_CARER] = { 560, 380, 60 },
	};
	int x = ca_rng_weighted(r, w[type], 3);

	return x == 0 ? 1 : x == 1 ? 0 : -1;
}

static int
write_assessments(struct generator *g, const struct roster *ro,
    const ca_generate_opts *o, ca_generate_stats *st, long *per_partner,
    struct out *out, ca_err *err)
{
	ca_rng r;
	ca_narr *narr;
	struct row w;
	long start = months_before(g->as_of, 18);
	/*
	 * Each row draws its person from a fixed population, so some people
	 * turn up more than once (an assessment, then a review) and the rows
	 * stay independent of each other.  Carers come back less often.
	 */
	long people[2] = {
		o->assessments * 77 / 100 + 1,
		o->assessments * 45 / 100 + 1,
	};

	ca_rng_seed(&r, mix64(o->seed ^ SALT_ROWS));
	narr = ca_narr_new();
	/* The narrative may double in size when its quotes are doubled. */
	w.cap = 2 * CA_NARR_MAX_BYTES + 4096;
	w.p = malloc(w.cap);
	if (narr == NULL || w.p == NULL) {
		ca_narr_free(narr);
		free(w.p);
		out_abort(out);
		return ca_err_set(err, CA_EX_SOFTWARE,
		    "cannot write %s: out of memory", out->path);
	}
	out_write(out, assessments_header, sizeof assessments_header - 1);

	for (long i = 0; i < o->assessments; i++) {
		struct person pe;
		ca_narr_case c;
		int type = ca_rng_weighted(&r, type_weight, 3);
		int carer = type == CA_TYPE_CARER;
		int prio, day_first;
		long index, requested, completed, wait;
		const struct partner *pa;
		const struct staff *assessor;
		char buf[32];

		index = (long)ca_rng_below(&r, (uint64_t)people[carer]);
		derive_person(g, carer, index, &pe);
		pa = &partners[pe.partner];
		assessor = &ro->v[ro->assessors[pe.partner]
		    [ca_rng_below(&r, ro->nassessors[pe.partner])]];

		prio = ca_rng_weighted(&r, priority_weight, 5);
		requested = start + (long)ca_rng_below(&r,
		    (uint64_t)(g->as_of - start + 1));
		wait = draw_wait(&r) * pa->speed / 100 *
		    priority_speed[prio] / 100;
		if (type == CA_TYPE_REVIEW)
			wait = wait * 80 / 100;
		completed = requested + wait;

		memset(&c, 0, sizeof c);
		c.profile = &pa->q;
		c.person = &pe.np;
		c.type = type;
		c.waiting = completed > g->as_of;
		c.wait_days = (int)(c.waiting ? g->as_of - requested : wait);
		c.eligible = c.waiting ? -1 : draw_eligible(&r, type);
		if (c.waiting || c.eligible == -1)
			c.direct_payment = -1;
		else if (c.eligible == 1)
			c.direct_payment = ca_rng_permille(&r, (carer ? 100 : 200) +
			    pa->q.strengths / 2) ? 1 : 0;
		else
			c.direct_payment = ca_rng_permille(&r, 700) ? 0 : -1;
		c.carer = carer || ca_rng_permille(&r, type == CA_TYPE_REVIEW ? 500 : 550);
		day_first = ca_rng_permille(&r, 100);
		ca_narrative_compose(narr, &r, &c, NULL);

		w.len = 0;
		snprintf(buf, sizeof buf, "AS-%07ld", i + 1);
		row_field(&w, buf, 0);
		row_field(&w, pe.ref, 0);
		row_field(&w, type_names[type], 0);
		row_field(&w, pa->name, 0);
		row_field(&w, assessor->ref, 0);
		ca_date_format(requested, day_first, buf);
		row_field(&w, buf, 0);
		if (c.waiting)
			buf[0] = '\0';
		else
			ca_date_format(completed, day_first, buf);
		row_field(&w, buf, 0);
		row_field(&w, ca_narr_text(narr), 0);
		row_field(&w, priorities[prio], 0);
		row_field(&w, yes_no(c.eligible), 0);
		row_field(&w, yes_no(c.direct_payment), 0);
		row_field(&w, yes_no(c.carer), 0);
		row_field(&w, age_bands[pe.np.age_band], 0);
		row_field(&w, genders[pe.np.gender], 0);
		row_field(&w, ethnicities[pe.ethnicity], 0);
		row_field(&w, support_reasons[pe.np.reason], 1);
		out_write(out, w.p, w.len);

		st->assessments++;
		st->waiting += c.waiting;
		per_partner[pe.partner]++;
		/* Stop early on a full disc rather than after 1.5 GB. */
		if ((i & 4095) == 4095 && ferror(out->f))
			break;
	}
	ca_narr_free(narr);
	free(w.p);
	return out_close(out, err);
}

static int
write_staff(const struct roster *ro, struct out *out, ca_err *err)
{
	struct row w;
	char name[128], max[16];

	w.cap = 4096;
	w.p = malloc(w.cap);
	if (w.p == NULL) {
		out_abort(out);
		return ca_err_set(err, CA_EX_SOFTWARE,
		    "cannot write %s: out of memory", out->path);
	}
	out_write(out, staff_header, sizeof staff_header - 1);
	for (size_t i = 0; i < ro->n; i++) {
		const struct staff *s = &ro->v[i];

		snprintf(name, sizeof name, "%s %s", s->first, s->surname);
		if (s->max_open < 0)
			max[0] = '\0';
		else
			snprintf(max, sizeof max, "%d", s->max_open);
		w.len = 0;
		row_field(&w, s->ref, 0);
		row_field(&w, name, 0);
		row_field(&w, org_name(s->org), 0);
		row_field(&w, s->role, 0);
		row_field(&w, s->team, 0);
		row_field(&w, max, 0);
		row_field(&w, s->email, 1);
		out_write(out, w.p, w.len);
	}
	free(w.p);
	return out_close(out, err);
}

static int
write_readme(const ca_generate_opts *o, const char *as_of,
    const ca_generate_stats *st, const long *per_partner, struct out *out,
    ca_err *err)
{
	out_printf(out, "# Synthetic caseload: demo and test data\n\n");
	out_printf(out, "This is synthetic demo and test data, generated by "
	    "`caseaudit demo generate --assessments %ld --seed %llu "
	    "--as-of %s%s`.\n", o->assessments, (unsigned long long)o->seed,
	    as_of, o->staff_only ? " --staff-only" : "");
	out_printf(out, "No real people: every name, reference, narrative "
	    "and contact detail in these files is invented.\n");
	out_printf(out, "The same command writes byte-for-byte the same "
	    "files on any machine.\n\n");

	out_printf(out, "## Files\n\n| file | holds |\n| --- | --- |\n");
	if (o->staff_only)
		out_printf(out, "| `assessments.csv` | not written "
		    "(`--staff-only`) |\n");
	else
		out_printf(out, "| `assessments.csv` | %ld assessments (%ld "
		    "still waiting) for `caseaudit import assessments` |\n",
		    st->assessments, st->waiting);
	out_printf(out, "| `staff.csv` | %ld staff in %ld organisations for "
	    "`caseaudit import staff` |\n\n", st->staff, st->organisations);

	out_printf(out, "## Organisations\n\n%s commissions eight partner "
	    "organisations to carry out Care Act assessments, carers' "
	    "assessments and reviews.  Each partner has a practice profile: "
	    "the chance, per case, that its narrative considers six or more "
	    "eligibility outcomes, is written in a strengths-based way, "
	    "gives an identified risk a plan, offers a named carer a "
	    "carer's assessment, and is well recorded.  Screening and audit "
	    "statistics therefore differ between partners by design.\n\n",
	    COUNCIL_NAME);
	out_printf(out, "| partner | share | assessments | holistic | "
	    "strengths | risk plan | carer offer | recording |\n"
	    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (int p = 0; p < PARTNERS; p++) {
		const struct partner *pa = &partners[p];

		out_printf(out, "| %s | %d%% | %ld | %d%% | %d%% | %d%% | "
		    "%d%% | %d%% |\n", pa->name, pa->share / 10,
		    per_partner[p], pa->q.holistic / 10, pa->q.strengths / 10,
		    pa->q.risk_plan / 10, pa->q.carer_offer / 10,
		    pa->q.recording / 10);
	}

	out_printf(out, "\n## What the assessments hold\n\n"
	    "- About 55%% Care Act assessments, 30%% reviews and 15%% "
	    "carers' assessments; some people appear more than once.\n"
	    "- `requested_on` falls in the 18 months before %s, the extract "
	    "date.  Waits have a median of about six weeks and a long tail; "
	    "`completed_on` is empty while the person is still waiting.  "
	    "About one row in ten writes its dates as DD/MM/YYYY, as mixed "
	    "extracts do.\n"
	    "- Every `assessor_ref` is an assessor of the row's provider in "
	    "`staff.csv`.\n"
	    "- Each `summary` is 80 to 400 words.  Some consider one "
	    "presenting issue, some all ten eligibility outcomes; some carry "
	    "the person's own words and strengths, some only deficit "
	    "language; risks appear with and without plans, and carers with "
	    "and without a carer's assessment offered.  Narratives contain "
	    "commas, double quotes and sometimes line breaks.\n"
	    "- About one summary in twenty-five carries personal data for "
	    "redaction to find: NHS numbers from the 999 range that is never "
	    "issued (with valid check digits), telephone numbers from "
	    "Ofcom's ranges reserved for drama, addresses at example.com, "
	    "example.org and example.net, postcodes and dates of birth.\n",
	    as_of);
	return out_close(out, err);
}

int
ca_generate(const ca_generate_opts *o, ca_generate_stats *st, ca_err *err)
{
	ca_generate_stats local;
	struct generator g;
	struct roster ro;
	struct out out;
	long per_partner[PARTNERS] = { 0 };
	const char *as_of = o->as_of != NULL ? o->as_of :
	    CA_GENERATE_DEFAULT_AS_OF;
	uint64_t people;
	int rc;

	if (st == NULL)
		st = &local;
	memset(st, 0, sizeof *st);
	if (o->assessments < 0 || o->assessments > CA_GENERATE_MAX_ASSESSMENTS)
		return ca_err_set(err, CA_EX_USAGE,
		    "the number of assessments must be from 0 to %ld",
		    CA_GENERATE_MAX_ASSESSMENTS);
	if (ca_date_parse(as_of, &g.as_of) != 0)
		return ca_err_set(err, CA_EX_USAGE,
		    "the extract date must be a real date as YYYY-MM-DD");
	if (o->out_dir == NULL || o->out_dir[0] == '\0')
		return ca_err_set(err, CA_EX_USAGE,
		    "the output directory must not be empty");

	g.seed = o->seed;
	/* Person numbers stay below twice the rows; leave refs sparse, as
	 * real ones are, with at least six digits. */
	g.ref_digits = 6;
	people = 1000000;
	while (people < 4 * (uint64_t)o->assessments) {
		people *= 10;
		g.ref_digits++;
	}
	permutation_init(&g.refs, people, mix64(o->seed ^ SALT_REFS));

	rc = make_dirs(o->out_dir, o->staff_only ? "staff.csv" :
	    "assessments.csv", err);
	if (rc != 0)
		return rc;

	memset(&ro, 0, sizeof ro);
	if (build_roster(&ro, o->seed, o->assessments) != 0) {
		free_roster(&ro);
		return ca_err_set(err, CA_EX_SOFTWARE,
		    "cannot build the staff list: out of memory");
	}
	st->organisations = 1 + PARTNERS;

	if (!o->staff_only) {
		rc = out_open(&out, o->out_dir, "assessments.csv", err);
		if (rc == 0)
			rc = write_assessments(&g, &ro, o, st, per_partner, &out,
			    err);
		if (rc != 0)
			goto done;
		st->bytes += out.bytes;
	}

	rc = out_open(&out, o->out_dir, "staff.csv", err);
	if (rc == 0)
		rc = write_staff(&ro, &out, err);
	if (rc != 0)
		goto done;
	st->staff = (long)ro.n;
	st->bytes += out.bytes;

	rc = out_open(&out, o->out_dir, "README.md", err);
	if (rc == 0)
		rc = write_readme(o, as_of, st, per_partner, &out, err);
	if (rc != 0)
		goto done;
	st->bytes += out.bytes;
done:
	free_roster(&ro);
	return rc;
}
