/*
 * scores.c - domain scores from answers (scores.h).
 */
#include "scores.h"

#include <string.h>

const char *const ca_domain_names[CA_DOMAINS] = {
	"holistic", "strengths", "risk", "carers", "outcomes", "recording",
};

int
ca_domain_index(const char *name)
{
	for (int i = 0; i < CA_DOMAINS; i++)
		if (strcmp(name, ca_domain_names[i]) == 0)
			return i;
	return -1;
}

void
ca_scores_compute(const ca_scored_answer *a, size_t n, ca_domain_score out[CA_DOMAINS])
{
	double sum[CA_DOMAINS] = { 0 };

	memset(out, 0, sizeof(ca_domain_score) * CA_DOMAINS);
	for (size_t i = 0; i < n; i++) {
		ca_domain_score *d;

		if (a[i].domain < 0 || a[i].domain >= CA_DOMAINS || !(a[i].weight > 0) ||
		    a[i].value > 1)
			continue;
		d = &out[a[i].domain];
		d->questions++;
		if (a[i].rating != NULL) {
			d->met += strcmp(a[i].rating, "met") == 0;
			d->partially_met += strcmp(a[i].rating, "partially_met") == 0;
			d->not_met += strcmp(a[i].rating, "not_met") == 0;
		}
		if (!(a[i].value >= 0))
			continue;
		d->applicable++;
		d->weight += a[i].weight;
		sum[a[i].domain] += a[i].weight * a[i].value;
	}
	for (int k = 0; k < CA_DOMAINS; k++)
		out[k].score = out[k].applicable > 0 ? sum[k] / out[k].weight : 0;
}
