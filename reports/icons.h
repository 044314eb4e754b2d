/*
 * icons.h - the Making Data Count icons a board pack puts beside each
 * measure: variation (is the latest point common cause, or a special
 * cause of improvement or concern, high or low?) and assurance (will the
 * process meet its target consistently, never, or hit and miss?), and a
 * key explaining them.
 *
 * The chart layer's own enums: the report maps xmr.h's verdicts onto
 * them.  Each icon says its meaning in a letter or a shape as well as a
 * colour: H and L for special cause high and low, a flat row of dots for
 * common cause, P, F and ? for assurance.
 */
#ifndef CASEAUDIT_ICONS_H
#define CASEAUDIT_ICONS_H

#include "doc.h"

typedef enum ca_variation_icon {
	CA_VARIATION_COMMON,
	CA_VARIATION_IMPROVEMENT_HIGH,
	CA_VARIATION_IMPROVEMENT_LOW,
	CA_VARIATION_CONCERN_HIGH,
	CA_VARIATION_CONCERN_LOW,
	CA_VARIATION_NEUTRAL_HIGH,
	CA_VARIATION_NEUTRAL_LOW
} ca_variation_icon;

typedef enum ca_assurance_icon {
	CA_ASSURANCE_PASS,
	CA_ASSURANCE_FAIL,
	CA_ASSURANCE_HIT_AND_MISS
} ca_assurance_icon;

/* An icon of radius r centred at (cx, cy) on the current page. */
void ca_icon_variation(ca_doc *d, double cx, double cy, double r, ca_variation_icon v);
void ca_icon_assurance(ca_doc *d, double cx, double cy, double r, ca_assurance_icon a);

/* A block explaining every icon, in the flow. */
void ca_icon_key(ca_doc *d);

#endif
