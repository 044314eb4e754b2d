/*
 * names.c - the invented names of the synthetic caseload; see names.h.
 *
 * Lists rather than a generator so that every name is one a reviewer would
 * recognise as ordinary.  Surnames are chosen from those that do not change
 * with sex, so any first name goes with any surname of its pool.
 */
#include "names.h"

#include <string.h>

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

struct list {
	const char *const *v;
	size_t n;
};
#define LIST(a) { a, NITEMS(a) }

static const char *const british_f[] = {
	"Margaret", "Joan", "Patricia", "Dorothy", "Sheila", "Barbara",
	"Eileen", "Maureen", "Brenda", "Susan", "Linda", "Karen", "Helen",
	"Sarah", "Emma", "Rebecca", "Hannah", "Chloe", "Zoë", "Siân",
	"Bethan", "Ffion", "Lowri", "Niamh", "Siobhan", "Aoife", "Saoirse",
	"Eilidh", "Morag", "Kirsty", "Gemma", "Megan", "Renée", "Doreen",
	"Pauline", "Gwen", "Elsie", "Irene", "Lorraine", "Tracey"
};
static const char *const british_m[] = {
	"John", "David", "Peter", "Michael", "Brian", "Kenneth", "Derek",
	"Raymond", "Alan", "Colin", "Terence", "Graham", "Stephen", "Paul",
	"Mark", "Gareth", "Rhys", "Dafydd", "Seán", "Declan", "Ciarán",
	"Callum", "Hamish", "Liam", "Connor", "Jack", "Tom", "Daniel",
	"Craig", "Lee", "Dennis", "Roy", "Clive", "Owain", "Fergus"
};
static const char *const british_s[] = {
	"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans",
	"Wilson", "Thomas", "Roberts", "Walker", "Wright", "Robinson",
	"Thompson", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris",
	"Clarke", "Jackson", "Turner", "Hill", "Moore", "O'Brien",
	"O'Connor", "MacDonald", "McLeod", "Pritchard", "Llewellyn",
	"Fitzgerald", "Gallagher", "Murphy", "Sutcliffe", "Ackroyd",
	"Holroyd", "Brennan", "Cartwright", "Pemberton", "Ó Ceallaigh"
};

static const char *const european_f[] = {
	"Agnieszka", "Małgorzata", "Katarzyna", "Zofia", "Ana", "Maria",
	"Inês", "Ioana", "Elena", "Giulia", "Rūta", "Eleni", "Zsófia",
	"Dorota", "Beata", "Mihaela", "Lucía"
};
static const char *const european_m[] = {
	"Łukasz", "Tomasz", "Piotr", "Krzysztof", "Dário", "João", "Tiago",
	"Andrei", "Bogdan", "Marco", "Jonas", "Giorgos", "Ferenc", "Paweł",
	"Mateusz", "Vasile", "José"
};
static const char *const european_s[] = {
	"Nowak", "Kowalczyk", "Wójcik", "Mazur", "Krawczyk", "Ferreira",
	"Gonçalves", "Silva", "Costa", "Popescu", "Ionescu", "Rossi",
	"Bianchi", "Papadopoulos", "Nagy", "Müller", "Pereira", "Horvat",
	"Kazlauskas", "Dumitru"
};

static const char *const south_asian_f[] = {
	"Priya", "Anjali", "Aisha", "Fatima", "Nasreen", "Shabana",
	"Gurpreet", "Sunita", "Kamala", "Rukhsana", "Parveen", "Meera",
	"Noor", "Sabina", "Jaswinder", "Halima", "Rani", "Nusrat"
};
static const char *const south_asian_m[] = {
	"Mohammed", "Imran", "Tariq", "Ravi", "Sanjay", "Rajesh", "Arjun",
	"Gurdeep", "Harjit", "Amir", "Abdul", "Faisal", "Vikram", "Kuldip",
	"Naveed", "Anwar", "Suresh", "Zahid"
};
static const char *const south_asian_s[] = {
	"Patel", "Khan", "Ahmed", "Hussain", "Shah", "Sharma", "Iqbal",
	"Chaudhry", "Mistry", "Rahman", "Akhtar", "Malik", "Gill",
	"Sandhu", "Bains", "Dhillon", "Mahmood", "Parmar", "Uddin"
};

static const char *const black_f[] = {
	"Abena", "Ama", "Chiamaka", "Ifeoma", "Ngozi", "Folake", "Adaeze",
	"Amara", "Marcia", "Beverley", "Hyacinth", "Gloria", "Precious",
	"Blessing", "Yetunde", "Comfort", "Sandra", "Hodan"
};
static const char *const black_m[] = {
	"Kwame", "Kofi", "Chidi", "Oluwaseun", "Emeka", "Tunde", "Delroy",
	"Winston", "Errol", "Desmond", "Femi", "Jamal", "Tendai", "Kayode",
	"Leroy", "Abdirahman", "Samuel", "Clement"
};
static const char *const black_s[] = {
	"Okafor", "Adeyemi", "Mensah", "Boateng", "Osei", "Campbell",
	"Francis", "Okonkwo", "Nwosu", "Bailey", "Grant", "Moyo", "Ndlovu",
	"Abdi", "Asante", "Oyelaran", "Thomas", "Johnson", "Henry", "Reid"
};

static const char *const other_f[] = {
	"Mei", "Lan", "Xiu", "Ayşe", "Zeynep", "Leila", "Yasmin", "Maryam",
	"Thi Hoa", "Farah", "Shirin", "Rosalind", "Marisol", "Hana"
};
static const char *const other_m[] = {
	"Wei", "Jun", "Minh", "Mehmet", "Emre", "Omar", "Hassan", "Reza",
	"Tuan", "Karim", "Dariush", "Rafael", "Kenji", "Yousef"
};
static const char *const other_s[] = {
	"Chen", "Wong", "Li", "Nguyen", "Tran", "Yılmaz", "Demir",
	"Öztürk", "Al-Sayed", "Hosseini", "Santos", "Reyes", "Haddad",
	"Tanaka", "Lam", "Karimi"
};

/* Names given to anyone; used for people whose gender is non-binary or
 * not stated, and now and then for everyone else. */
static const char *const either[] = {
	"Alex", "Sam", "Charlie", "Jordan", "Robin", "Jamie", "Kit", "Ash",
	"Rowan", "Sasha", "Ellis", "Morgan", "Frankie", "Jesse"
};

static const struct list firsts[CA_POOL_COUNT][2] = {
	[CA_POOL_BRITISH] = { LIST(british_f), LIST(british_m) },
	[CA_POOL_EUROPEAN] = { LIST(european_f), LIST(european_m) },
	[CA_POOL_SOUTH_ASIAN] = { LIST(south_asian_f), LIST(south_asian_m) },
	[CA_POOL_BLACK] = { LIST(black_f), LIST(black_m) },
	[CA_POOL_OTHER] = { LIST(other_f), LIST(other_m) },
};

static const struct list surnames[CA_POOL_COUNT] = {
	[CA_POOL_BRITISH] = LIST(british_s),
	[CA_POOL_EUROPEAN] = LIST(european_s),
	[CA_POOL_SOUTH_ASIAN] = LIST(south_asian_s),
	[CA_POOL_BLACK] = LIST(black_s),
	[CA_POOL_OTHER] = LIST(other_s),
};

static const char *
pick(ca_rng *r, const struct list *l)
{
	return l->v[ca_rng_below(r, l->n)];
}

const char *
ca_name_first(ca_rng *r, int pool, int sex)
{
	if (pool < 0 || pool >= CA_POOL_COUNT)
		pool = CA_POOL_BRITISH;
	if (sex == CA_SEX_EITHER) {
		static const struct list e = LIST(either);

		return pick(r, &e);
	}
	return pick(r, &firsts[pool][sex == CA_SEX_MALE]);
}

const char *
ca_name_surname(ca_rng *r, int pool)
{
	if (pool < 0 || pool >= CA_POOL_COUNT)
		pool = CA_POOL_BRITISH;
	return pick(r, &surnames[pool]);
}

/*
 * The accented letters the lists above use, as UTF-8, with the plain
 * letter an address would carry.  Anything else outside ASCII is dropped.
 */
static const struct {
	const char *utf8;
	char ascii;
} folds[] = {
	{ "á", 'a' }, { "â", 'a' }, { "ą", 'a' }, { "ç", 'c' }, { "ć", 'c' },
	{ "é", 'e' }, { "ë", 'e' }, { "ę", 'e' }, { "ğ", 'g' }, { "í", 'i' },
	{ "ı", 'i' }, { "ł", 'l' }, { "Ł", 'l' }, { "ń", 'n' }, { "ó", 'o' },
	{ "ö", 'o' }, { "Ö", 'o' }, { "Ó", 'o' }, { "ş", 's' }, { "ś", 's' },
	{ "ú", 'u' }, { "ü", 'u' }, { "ū", 'u' }, { "ż", 'z' }, { "ź", 'z' },
};

size_t
ca_name_fold(char *dst, size_t size, const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t n = 0;

	if (size == 0)
		return 0;
	while (*s != '\0' && n + 1 < size) {
		if (*s < 0x80) {
			unsigned char c = *s++;

			if (c >= 'A' && c <= 'Z')
				dst[n++] = (char)(c - 'A' + 'a');
			else if ((c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '-')
				dst[n++] = (char)c;
			continue;
		}
		/* A multi-byte sequence: fold it if known, skip it if not. */
		size_t len = 1;
		while ((s[len] & 0xC0) == 0x80)
			len++;
		for (size_t i = 0; i < NITEMS(folds); i++) {
			if (strlen(folds[i].utf8) == len &&
			    memcmp(folds[i].utf8, s, len) == 0) {
				dst[n++] = folds[i].ascii;
				break;
			}
		}
		s += len;
	}
	dst[n] = '\0';
	return n;
}
