/*
 * narrative_bank.c - the phrase banks of the synthetic narratives; see
 * narrative_bank.h for the slots.
 *
 * Written to read like real adult social care recording in England, good
 * and poor: the good carries the person's voice, strengths, every outcome
 * and risks with plans; the poor carries deficit language, one presenting
 * issue and risks left hanging.  Screening rules are tuned against this
 * text, so wording that a rule keys on ("carer's assessment", "unable
 * to", "contingency") is used on purpose.
 *
 * Verb agreement: after {P} or {relshe} a verb is written singular; after
 * {they} it takes {s}, {es}, {is}, {has}, {was} or {does}.
 */
#include "narrative_bank.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))
#define BANK(a) { #a, a, NITEMS(a) }

/* ---- Openings ------------------------------------------------------ */

static const char *const open_care_act[] = {
	"{P} was referred by {referrer} for a Care Act assessment following {trigger}.",
	"{P} contacted the council's front door asking for help at home after {trigger}.",
	"Referral received from {referrer}, with concerns that {P} has been struggling at home since {trigger}.",
	"Care Act assessment completed at home with {P}, and {their} {rel} {relname} was there at {P}'s request.",
	"{Wr} visited {P} at home in {town} to complete a Care Act assessment.",
	"Assessment carried out by telephone at {P}'s request, following a referral from {referrer}.",
	"{P} was discharged from hospital {n} weeks ago after {trigger}, and the ward asked for a Care Act assessment.",
	"{P} asked for an assessment {themselves} after {trigger}, saying {they} wanted advice before things got worse.",
	"Care Act assessment for {P}, who is {age} and lives {living} in {town}.",
	"{Wr} met {P} at home for a Care Act assessment; the referral came from {referrer} after {trigger}.",
	"This assessment follows a referral from {referrer}, made with {P}'s consent, after {trigger}.",
	"Joint visit with the occupational therapist to assess {P}'s needs after {trigger}.",
};

static const char *const open_review[] = {
	"Planned annual review of {P}'s care and support plan.",
	"Review brought forward at the request of {referrer} because of {trigger}.",
	"Six-week review following the start of {P}'s home care with {agency}.",
	"{Wr} met {P} at home to review {their} support, with {their} {rel} {relname} joining by telephone.",
	"Review of {P}'s support; {they} currently receive{s} {calls} calls a day from {agency}.",
	"Annual review carried out at {P}'s home in {town}; {P} chose to have {their} {rel} present.",
	"Review of {P}'s care and support plan, which has been in place for {years} years.",
	"Telephone review with {P} and {their} {rel} {relname}, as agreed at the last review.",
	"Unplanned review requested by {agency} after {trigger}.",
	"Review of {P}'s direct payment and support arrangements.",
};

static const char *const open_carer[] = {
	"{P} cares for {their} {rel}, {relname}, who has {cond}, and asked for a carer's assessment.",
	"Carer's assessment for {P}, who supports {their} {rel} {relname}, who has {cond}.",
	"{P} was referred for a carer's assessment by {referrer}; {they} {has} looked after {their} {rel} {relname} for {years} years.",
	"{Wr} met {P} at the carers' centre in {town} to complete a carer's assessment.",
	"{P} contacted the carers' service saying that caring for {their} {rel} {relname} had become much harder as {relname}'s health got worse.",
	"Carer's assessment completed by telephone with {P}, who looks after {their} {rel} {relname}.",
	"{P} is {age} and is the main carer for {their} {rel} {relname}, who has {cond}.",
	"Carer's assessment offered during {relname}'s review and accepted by {P}, {relname}'s {rel_of_p}.",
};

static const char *const open_waiting[] = {
	"Referral received from {referrer} on behalf of {P}, who is {age} and lives {living} in {town}.",
	"{P} contacted the front door asking for an assessment because of {trigger}.",
	"Screening call completed with {P}; {they} {has} been placed on the waiting list for an assessment.",
	"Referral from {referrer} following {trigger}; awaiting allocation to an assessor.",
	"Contact received from {P}'s {rel}, {relname}, asking for an assessment for {P} after {trigger}.",
	"Request for assessment logged after {trigger}; {P} is on the waiting list.",
	"{P} was referred by {referrer}. Triage completed by telephone; not yet allocated.",
};

static const char *const open_carer_waiting[] = {
	"{P} has asked for a carer's assessment; {they} care{s} for {their} {rel} {relname}, who has {cond}.",
	"Referral for a carer's assessment for {P}, who looks after {their} {rel} {relname}.",
	"Request for a carer's assessment logged for {P}, who supports {their} {rel} {relname}, who has {cond}.",
	"Referral from {referrer} asking for a carer's assessment for {P}, who cares for {their} {rel} {relname}.",
};

static const char *const open_review_waiting[] = {
	"Review due; not yet allocated. {P} currently receives support from {agency}.",
	"Review requested by {agency} after {trigger}; awaiting allocation.",
	"Annual review overdue. {P} was phoned to check that {their} support is still meeting {their} needs.",
	"{P}'s {rel} {relname} asked for an early review after {trigger}; the request is waiting to be allocated.",
	"Review requested by {referrer}, as {P}'s needs seem to have changed since {trigger}.",
};

/* The one issue a single-issue record starts (and nearly ends) with. */
static const char *const open_single[] = {
	"Referral from {referrer}.",
	"{P} is {age} and lives {living}.",
	"Contact from {P}'s {rel}.",
	"Seen at home.",
	"Telephone assessment.",
	"Referral received after {trigger}.",
};

static const char *const vocab_trigger[] = {
	"a fall at home", "a short stay in hospital", "a chest infection",
	"a bereavement", "a stroke", "a period of low mood",
	"a small fire in the kitchen", "a diagnosis of {cond}",
	"a hospital admission", "a change in {their} health",
	"a change in what {their} {rel} can manage",
	"a urinary tract infection", "a fall in the street",
	"a fractured wrist", "a move to a new flat",
	"the death of a close friend", "a spell of confusion",
	"an operation on {their} hip", "losing {their} driving licence",
};

/* ---- Background ---------------------------------------------------- */

static const char *const background[] = {
	"{P} is {age} and lives {living} in a {home} in {town}.",
	"{P} has {cond} and also has {cond2}.",
	"`{P} {job}, and {they} still talk{s} about it with pride.",
	"{P} has lived in {town} for most of {their} life and knows many people locally.",
	"{P} lives {living} in a {home}; the nearest shop is a short walk away.",
	"{P} has lived with {cond} for some years and managed well until recently.",
	"`{P} {job}. {They} {has} lived in the same {home} for over twenty years.",
	"{P} lives with {cond}, and {their} needs have increased since {trigger}.",
	"{P} moved to {town} some years ago to be nearer to family.",
	"{P} has {cond}; {their} {rel} {relname} is the person {they} turn{s} to first.",
};

static const char *const background_deficit[] = {
	"{P} suffers from {cond} and {cond2}.",
	"{P} suffers from {cond} and is unable to manage at home.",
	"{P} is {age} and suffers from {cond}.",
	"{P} is a vulnerable adult who suffers from {cond}.",
	"{P} has been bed-blocking on the ward since {trigger} and needs a package of care or a placement.",
	"{P} is unable to do much for {themselves} since {trigger}.",
};

static const char *const deficit[] = {
	"{P} is a burden on {their} {rel}, who is exhausted.",
	"{P} presents with challenging behaviour when staff try to help with personal care.",
	"{P} has been non-compliant with medication and refuses to engage with services.",
	"{P} lacks insight into {their} needs.",
	"The family feel that a residential placement is the only option.",
	"{P} is totally dependent on {their} {rel} for everything.",
	"Staff at {agency} report that {P} displays challenging behaviour at times.",
	"{P} is unable to manage {their} own affairs.",
	"{P} was unable to answer most questions and {their} {rel} answered for {them}.",
	"{P} is difficult to engage and was uncooperative during the visit.",
	"{P} suffers from low mood and is unable to motivate {themselves}.",
	"{P} is non-compliant with the falls advice and keeps getting up on {their} own.",
	"{P} refused to discuss {their} needs and was described by {their} {rel} as stubborn.",
	"{P}'s {rel} says {P} has become a burden and {relshe} cannot go on like this.",
	"{P} is a heavy user of services and keeps calling the duty team.",
	"A long-term placement may be needed if {P} continues to refuse support.",
};

/* Deficit language about the person a carer looks after. */
static const char *const deficit_carer[] = {
	"{relname} suffers from {cond} and is unable to do anything without help.",
	"{relname} presents with challenging behaviour, particularly in the evenings.",
	"{P} describes caring for {relname} as a burden.",
	"{relname} is non-compliant with medication and refuses help from anyone but {P}.",
	"{relname} may need a residential placement in the near future.",
	"{relname} is totally dependent on {P} and is unable to be left.",
};

/* ---- Strengths ----------------------------------------------------- */

static const char *const matters[] = {
	"What matters most to {P} is staying in {their} own home and getting to {place} each week.",
	"`{P} said that what matters to {them} is seeing {their} grandchildren and keeping up with {act}.",
	"{P} would like to get back to {act}, which {they} enjoyed before {trigger}.",
	"{P}'s goal is to be able to go to {place} on {their} own again.",
	"{P} is clear that {they} want{s} to stay at home and keep making {their} own decisions.",
	"For {P}, a good day means getting dressed, having a proper breakfast and seeing someone to talk to.",
	"{P} wants to stay connected to {group}, which has been part of {their} life for years.",
	"What {P} wants from support is to be able to look after {their} home and garden again.",
	"{P} hopes to be well enough to go on holiday with {their} {rel} next summer.",
	"{P}'s priority is to keep {their} independence; {they} would rather have equipment than carers if that works.",
	"{P} wants to feel safe at night without having to call {their} {rel}.",
	"{P} would like to be less lonely and to have something to look forward to each week.",
};

static const char *const skills[] = {
	"{P} is a keen cook and still plans {their} own meals, even though {they} need{s} help with the preparation.",
	"{P} manages {their} own money and keeps careful track of {their} bills.",
	"`{P} {job}, and brings the same practical approach to managing {their} health.",
	"{P} uses a tablet confidently to video-call {their} {rel} and order shopping online.",
	"{P} knows {their} condition well and explained how {they} pace{s} {themselves} on bad days.",
	"{P} is good at {act} and has taught others over the years.",
	"{P} has found {their} own ways round some difficulties, such as sitting down to prepare vegetables.",
	"{P} remembers {their} medication with a dosette box {they} fill{s} {themselves} each Sunday.",
	"{P} is determined and resourceful, and has already arranged a cleaner for the heavier housework.",
	"{P} speaks two languages and helps neighbours with letters and forms.",
	"{P} has a good sense of humour and a clear idea of what help {they} want{s}.",
};

static const char *const network[] = {
	"{P} has a close friendship with {their} {friendrel}, {friendname}, who pops in most days and does some shopping.",
	"{P}'s {rel} {relname} {relsees} and is willing to keep helping with shopping and appointments.",
	"{P} is part of {group} and says the friendships there keep {them} going.",
	"{P} attends {group} on {day}s and would like to keep doing so.",
	"{P} is well known at {place}, where people look out for {them}.",
	"{P} has a good network: {their} {rel}, {their} {friendrel} {friendname} and friends from {group}.",
	"{friendname}, {P}'s {friendrel}, has a key and checks on {P} each evening.",
	"{P}'s faith community visits regularly and would help with lifts if asked.",
	"{P} keeps in touch with old colleagues, who meet for coffee in {town} once a month.",
	"`{P}'s grandchildren help with the computer and the garden at weekends.",
};

static const char *const community[] = {
	"Before considering services, we talked about what is already available locally, including {group}.",
	"{P} was interested in {group}, and {wr} gave {them} the contact details.",
	"{P} agreed to a referral to the community connector in {town} to explore {group}.",
	"A befriending volunteer could help {P} get back to {place}, and {P} liked this idea.",
	"The community transport scheme in {town} could take {P} to {group}; {P} will try it next week.",
	"{P} was given information about {group} and a local walking group run from the library.",
	"We looked at what {P}'s own network could do before considering paid support.",
	"{P} would like to try {group} before deciding whether {they} need{s} more formal support.",
};

static const char *const checking[] = {
	"{Wr} read the assessment back to {P}, who agreed it reflected what {they} had said.",
	"The conversation was led by {P}, who chose to talk first about {act}.",
	"{P} was asked whether anything important had been missed and added a point about {their} {rel}.",
	"{P} checked the notes at the end and corrected a detail about {their} medication.",
	"{Wr} checked {P}'s understanding at each stage and gave {them} time to think.",
	"{P} said {they} felt listened to and that the conversation was about {their} life, not just {their} illness.",
};

/* The person's words; the frame supplies the quotation marks. */
static const char *const quote_person[] = {
	"I want to get back to {place}",
	"I just want to be able to have a proper wash without waiting for someone",
	"I don't want strangers coming in, I want to do it myself with a bit of help",
	"My {rel} is brilliant, but {relshe} has {relhis} own life",
	"I used to love {act} and I would like to try again",
	"I am not ready to give up my independence",
	"I don't want to be a nuisance to my {rel}",
	"Getting out to {place} is what keeps me going",
	"Some days are good and some days I can't get out of the chair",
	"I'm frightened of falling again, that's the truth of it",
	"I know my own mind, I just need a hand with the heavy things",
	"If I could just get to {group} on a {day} I'd be happy",
	"Please don't put me in a home",
	"I miss cooking for people",
	"I'd like to get a little job again, even a couple of hours",
	"The stairs are the problem, not me",
	"I can manage, I just need someone to check on me",
	"I want to be able to dress myself in the morning, it matters to me",
	"I have looked after myself all my life",
	"I get lonely in the evenings, that's the worst bit",
	"I'd rather choose my own helper than have an agency",
	"{relname} does too much for me already",
	"I want my {rel} to be my {rel} again, not my carer",
	"I'm proud of this house and I want to keep it nice",
	"I want to go to the shops on my own, even if it takes me all morning",
	"Don't wrap me in cotton wool",
	"I would like to see my friends at {group} again",
	"I want to stay here, this is where my memories are",
	"I'm not as steady as I was, but I'm still me",
	"Being in my own garden is the best medicine",
	"I need help in the mornings, after that I'm fine",
	"I want to do things for myself for as long as I can",
};

static const char *const quote_carer[] = {
	"I love {relher} and I want to keep caring, but I need a break",
	"I haven't had a full night's sleep in months",
	"^I had to give up work to look after {relher}",
	"I just need someone to talk to who understands",
	"I don't know what would happen to {relname} if I was ill",
	"^I want to keep my job, it's the only time I feel like me",
	"I'm {relhis} {rel_of_p}, not {relhis} nurse",
	"An afternoon off each week would make all the difference",
	"I'm worried about my own health, but there's no one else",
	"I want us to still enjoy things together",
	"I've forgotten what it's like to have time for myself",
	"I can cope with the days, it's the nights that are hard",
};

static const char *const quote_frame[] = {
	"{P} said, \"{Q}.\"",
	"In {their} own words, \"{Q}.\"",
	"\"{Q},\" {P} told {me}.",
	"{P} put it this way: \"{Q}.\"",
	"When asked what a good day would look like, {P} said, \"{Q}.\"",
	"{P} was clear: \"{Q}.\"",
	"{P} said more than once, \"{Q}.\"",
	"As {P} put it, \"{Q}.\"",
};

static const char *const holistic[] = {
	"The wellbeing principle was considered throughout, including {P}'s emotional wellbeing, dignity and control over day-to-day life.",
	"{P}'s needs fluctuate: on good days {they} manage{s} most things, but on bad days {they} need{s} help with almost everything.",
	"Each of the eligibility outcomes was discussed with {P}, including those where {they} {has} no needs.",
	"{P}'s physical and mental health were considered together, as {their} mood affects how much {they} can do.",
	"The assessment considered the whole household, including {P}'s {rel} and how the family manages together.",
	"{P}'s needs were assessed over a typical week, including what happens at night and at weekends.",
};

/* ---- The ten outcomes, by frame ------------------------------------ */

static const char *const nutrition_strength[] = {
	"{P} enjoys cooking and can still make breakfast, but cannot stand at the cooker long enough for a hot meal; {they} would like help to cook together rather than have meals delivered.",
	"{P} does {their} own online shopping and plans meals with {their} {rel}, who batch-cooks at the weekend.",
	"{P} manages cold meals and drinks independently and would value help to prepare a hot meal at teatime.",
	"{P} still bakes with {their} grandchildren and wants support that keeps {them} in the kitchen, such as a perching stool.",
	"{P} is proud of {their} cooking and would rather have help with shopping than have meals brought in.",
};
static const char *const nutrition_neutral[] = {
	"{P} needs help to prepare a hot meal each day and has lost weight since {trigger}.",
	"Nutrition: {P} manages breakfast and snacks but needs prompting to eat a main meal.",
	"~{P} has no difficulty with meals and drinks; {their} {rel} does a weekly shop.",
	"~{P} relies on ready meals and a frozen food delivery, which {they} {is} happy with.",
	"The fridge held little fresh food and {P} said {they} often forget{s} to eat.",
	"{P} needs help to cut up food and open packaging because of weakness in {their} hands.",
	"{P} has diabetes and needs support to plan regular meals.",
	"{P} can make drinks and a sandwich but is not able to use the oven safely.",
};
static const char *const nutrition_deficit[] = {
	"{P} is unable to prepare meals and is not eating properly.",
	"{P} cannot cook and refuses meals on wheels.",
	"{P} is unable to feed {themselves} adequately.",
};
static const char *const nutrition_carer[] = {
	"Caring leaves {P} little time to eat properly, and {they} often skip{s} meals.",
	"{P} prepares all of {relname}'s meals, which must be soft because of {relhis} swallowing difficulties.",
	"{P} does all the shopping and cooking for the household and says {their} own diet has suffered.",
};
static const char *const nutrition_presenting[] = {
	"Request for help with meals: {P} has been struggling to cook since {trigger}.",
	"Referral for a meals service, as {P} has lost weight.",
	"{P} asked for help with shopping and meals only.",
};

static const char *const hygiene_strength[] = {
	"{P} can wash {their} face and upper body at the sink and wants to keep doing this {themselves}, but needs help to get in and out of the shower.",
	"{P} would like a level-access shower so that {they} can wash independently again.",
	"{P} takes pride in {their} appearance and manages most personal care with a long-handled sponge and a shower chair.",
	"{P} prefers to wash in the evening and wants any help to fit around that routine.",
};
static const char *const hygiene_neutral[] = {
	"{P} needs help with washing and has not been able to use the bath for several months.",
	"~{P} manages {their} personal hygiene independently using a shower chair.",
	"Personal care: {P} needs the support of one person to shower twice a week.",
	"{P} strip-washes at the sink because {they} cannot get into the bath.",
	"{P} needs help to wash {their} hair and feet.",
	"~{P} has no difficulties with washing and personal care.",
};
static const char *const hygiene_deficit[] = {
	"{P} is unable to wash {themselves} and {their} personal hygiene is poor.",
	"{P} is non-compliant with personal care and refuses to let carers help {them} wash.",
	"{P} is unable to maintain {their} personal hygiene.",
};
static const char *const hygiene_carer[] = {
	"{P} helps {relname} to wash every morning, which takes over an hour.",
	"{P} helps {relname} in and out of the bath and worries about hurting {their} own back.",
	"{P} has to prompt {relname} to wash and change, which often leads to arguments.",
};
static const char *const hygiene_presenting[] = {
	"Request for a shower assessment; {P} cannot step into the bath.",
	"Request for a shower assessment only.",
	"{P} asked for help to have a bath once a week.",
};

static const char *const toilet_strength[] = {
	"{P} manages the toilet independently during the day and would like a raised toilet seat so that {they} can continue to do so.",
	"{P} manages {their} continence products {themselves} and would like this to stay private.",
	"{P} has worked out a routine that avoids accidents and only needs help at night.",
};
static const char *const toilet_neutral[] = {
	"{P} needs help to get to the toilet at night and has had some accidents.",
	"{P} uses a commode at night and manages continence products {themselves}.",
	"~There are no concerns about toileting; {P} is continent and manages independently.",
	"{P} needs a raised toilet seat and frame to use the toilet safely.",
	"{P} has urgency and cannot always reach the upstairs toilet in time.",
};
static const char *const toilet_deficit[] = {
	"{P} is incontinent and cannot manage {their} toileting needs.",
	"{P} is doubly incontinent and totally dependent on carers.",
	"{P} is unable to toilet {themselves}.",
};
static const char *const toilet_carer[] = {
	"{P} gets up several times a night to help {relname} to the toilet.",
	"{P} manages {relname}'s continence care and finds the laundry hard to keep up with.",
};
static const char *const toilet_presenting[] = {
	"Referral for a raised toilet seat and frame.",
	"Request for a commode for use at night.",
};

static const char *const clothing_strength[] = {
	"{P} chooses {their} own clothes and takes pride in {their} appearance; {they} need{s} help only with buttons, zips and shoes.",
	"{P} dresses {themselves} sitting on the bed and would like some adaptive clothing so {they} can keep doing this.",
	"{P} can dress independently if {they} {is} given time in the morning.",
};
static const char *const clothing_neutral[] = {
	"{P} needs help to dress {their} lower half because of pain in {their} hips.",
	"{P} dresses independently but it takes a long time on a bad day.",
	"Dressing: {P} needs help to put on compression stockings each morning.",
	"~{P} has no difficulties with dressing.",
	"{P} needs prompting to change {their} clothes and to dress for the weather.",
};
static const char *const clothing_deficit[] = {
	"{P} is unable to dress {themselves}.",
	"{P} is unable to choose appropriate clothing and was found in soiled clothes.",
};
static const char *const clothing_carer[] = {
	"{P} helps {relname} to dress each morning and lays out {relhis} clothes the night before.",
	"{P} has to help {relname} with all dressing, including shoes and buttons.",
};
static const char *const clothing_presenting[] = {
	"Request for help with dressing in the mornings.",
};

static const char *const home_strength[] = {
	"{P} moves around the ground floor safely with {their} rollator and knows where {they} need{s} something to hold on to.",
	"{P} would like a second banister fitted so {they} can keep using the stairs.",
	"{P} has rearranged the lounge to make it safer and asked for advice about {equip}.",
	"{P} manages the stairs slowly but safely and wants to keep sleeping upstairs.",
};
static const char *const home_neutral[] = {
	"{P} is at risk on the stairs and has been sleeping in the armchair downstairs.",
	"The home is cluttered in places and {P} uses the furniture to steady {themselves}.",
	"{P} cannot get up the stairs without stopping, and the bathroom is upstairs.",
	"~{P} moves safely around the flat and has a pendant alarm.",
	"{P} needs {equip} to use the home safely.",
	"{P} cannot get out of the front door without help because of the steps.",
	"~There are no concerns about {P} moving around the home.",
};
static const char *const home_deficit[] = {
	"{P} is unable to mobilise safely around the property.",
	"{P} is wheelchair-bound and cannot use most of the house.",
	"{P} is unsafe in the home and cannot be left alone.",
};
static const char *const home_carer[] = {
	"{P} worries about {relname} on the stairs and has to be on hand whenever {relshe} moves around the house.",
	"{P} cannot leave {relname} alone in the house for more than an hour.",
};
static const char *const home_presenting[] = {
	"Request for {equip}.",
	"Referral for a stairlift assessment.",
	"Request for a key safe and pendant alarm only.",
	"Request for grab rails at the front and back doors.",
};

static const char *const habitable_strength[] = {
	"{P} keeps the flat tidy with help from {their} {rel} and would like a cleaner for the heavier jobs so that {their} {rel} has less to do.",
	"{P} does light housework {themselves} and has found a local handyman through {group}.",
	"{P} takes pride in the house and wants help only with the hoovering and the bins.",
};
static const char *const habitable_neutral[] = {
	"{P} cannot manage the housework, laundry or bins, and the home is becoming neglected.",
	"~The house was warm and clean and {P} manages the housework with a weekly cleaner {they} pay{s} for.",
	"The heating was not working on the day of the visit and {P} was using a fan heater.",
	"{P} is behind with {their} bills and the gas meter was on emergency credit.",
	"{P} needs help with laundry and changing the bed.",
	"~The home is clean and well kept, and {P} has no needs in this area.",
};
static const char *const habitable_deficit[] = {
	"The property is filthy and {P} is unable to maintain it.",
	"{P} is unable to keep the home in a habitable state.",
};
static const char *const habitable_carer[] = {
	"Keeping the house running falls entirely to {P}, including the laundry, which has doubled since {relname} became incontinent.",
	"{P} has no time for the garden or repairs, and the house is becoming hard to manage.",
};
static const char *const habitable_presenting[] = {
	"Request for help with cleaning and laundry.",
	"Referral for help with housework only.",
};

static const char *const relationships_strength[] = {
	"{P} is close to {their} {rel} {relname} and wants support that lets {relname} stay family rather than become {their} carer.",
	"{P} keeps in touch with friends from {group} by phone and would like to see them in person more often.",
	"{P} has a large family and a close circle of friends who visit most days.",
	"{P} would like help to get to family dinners on Sundays, as {they} always used to.",
};
static const char *const relationships_neutral[] = {
	"{P} has become isolated since {trigger} and rarely sees anyone apart from {their} {rel}.",
	"~{P} has good relationships with {their} family, who visit regularly.",
	"{P} says {they} {is} lonely in the evenings and at weekends.",
	"{P} would like to see {their} friends more but cannot get out.",
	"{P}'s relationship with {their} {rel} has been strained since {trigger}.",
	"~There are no needs around family or personal relationships.",
};
static const char *const relationships_deficit[] = {
	"{P} has no family support and is socially isolated.",
	"Family relationships have broken down because of {P}'s behaviour.",
};
static const char *const relationships_carer[] = {
	"Caring has put a strain on {P}'s relationship with {their} own children, whom {they} rarely see{s}.",
	"{P} has lost touch with most of {their} friends since taking on the caring role.",
	"{P} would like time to see {their} friends without worrying about {relname}.",
};
static const char *const relationships_presenting[] = {
	"Request for a befriender, as {P} is lonely.",
};

static const char *const work_strength[] = {
	"{P} volunteers at the food bank on {day}s and wants to keep doing so; it gives {their} week a shape.",
	"{P} would like to go back to college and has looked at courses in {town}.",
	"^{P} works part time and wants support that fits around {their} shifts.",
	"{P} would like to volunteer at {place} and has already spoken to the organiser.",
};
static const char *const work_neutral[] = {
	"~`{P} is retired and has no wish to work, train or volunteer.",
	"^{P} would like to find part-time work and was signposted to the supported employment service.",
	"{P} has had to stop volunteering at {place} because {they} cannot get there.",
	"^{P} has not been able to work since {trigger}.",
	"~Work, training and volunteering were discussed; {P} has no needs in this area.",
};
static const char *const work_deficit[] = {
	"^{P} is unable to work due to {cond}.",
	"^{P} is unemployable at present.",
};
static const char *const work_carer[] = {
	"^{P} has cut {their} hours at work to three days a week to care for {relname} and is worried about money.",
	"^{P} gave up {their} job as a teaching assistant to care full time.",
	"^{P} wants to keep working and needs cover for {relname} on the days {they} {is} at work.",
	"^{P} had to give up {their} college course when {relname}'s needs increased.",
	"`{P} had hoped to volunteer in retirement, but caring leaves no time.",
};
static const char *const work_presenting[] = {
	"Request for support to attend college.",
};

static const char *const community_strength[] = {
	"{P} used to get the bus into {town} every week and wants to do so again, with someone alongside {them} at first.",
	"{P} goes to {group}, and the community transport scheme picks {them} up.",
	"{P} uses {their} bus pass to get to {place} and wants to keep doing so.",
	"{P} would like to get back to {place} and has asked a friend to go with {them}.",
};
static const char *const community_neutral[] = {
	"{P} has not been out of the house for several months apart from medical appointments.",
	"{P} cannot use public transport because of {cond} and relies on {their} {rel} for lifts.",
	"~{P} uses a mobility scooter to get to the shops and the GP surgery.",
	"{P} needs someone with {them} to go out, and has stopped going to {place}.",
	"~{P} gets out most days and has no needs in using local services.",
};
static const char *const community_deficit[] = {
	"{P} is housebound and unable to access the community.",
	"{P} is unable to go out alone.",
};
static const char *const community_carer[] = {
	"{P} has stopped going to {group} because {relname} cannot be left alone.",
	"{P} has not been to {place} for months, as there is no one to sit with {relname}.",
};
static const char *const community_presenting[] = {
	"Request for a bus pass and help to get to {place}.",
	"Referral for a day service.",
};

static const char *const child_strength[] = {
	"`{P} looks after {their} grandson after school twice a week and is determined to carry on; {they} need{s} help so that this stays safe.",
	"^{P} is a proud parent of two teenagers and wants support that fits around the school day.",
	"^{P} takes {their} daughter to school each morning and wants to keep doing so.",
};
static const char *const child_neutral[] = {
	"~{P} has no caring responsibilities for a child.",
	"^{P} has parental responsibility for a ten-year-old and needs support with the school run.",
	"~`{P} does not care for any children; {their} grandchildren visit at weekends.",
	"`{P} looks after {their} granddaughter in the school holidays and finds this tiring.",
};
static const char *const child_deficit[] = {
	"{P} is unable to look after {their} children.",
};
static const char *const child_carer[] = {
	"^{P} is also bringing up two children of {their} own, and the evenings are a juggling act.",
	"~{P} has no children living at home.",
	"`{P} collects {their} grandchildren from school three days a week as well as caring for {relname}.",
};
static const char *const child_presenting[] = {
	"^Referral from children's services for an assessment of the support {P} needs to care for {their} son.",
};

const ca_bank ca_bank_outcome[CA_OUT_COUNT][CA_FRAME_COUNT] = {
	[CA_OUT_NUTRITION] = { BANK(nutrition_strength),
	    BANK(nutrition_neutral), BANK(nutrition_deficit),
	    BANK(nutrition_carer), BANK(nutrition_presenting) },
	[CA_OUT_HYGIENE] = { BANK(hygiene_strength), BANK(hygiene_neutral),
	    BANK(hygiene_deficit), BANK(hygiene_carer),
	    BANK(hygiene_presenting) },
	[CA_OUT_TOILET] = { BANK(toilet_strength), BANK(toilet_neutral),
	    BANK(toilet_deficit), BANK(toilet_carer),
	    BANK(toilet_presenting) },
	[CA_OUT_CLOTHING] = { BANK(clothing_strength),
	    BANK(clothing_neutral), BANK(clothing_deficit),
	    BANK(clothing_carer), BANK(clothing_presenting) },
	[CA_OUT_HOME_SAFELY] = { BANK(home_strength), BANK(home_neutral),
	    BANK(home_deficit), BANK(home_carer), BANK(home_presenting) },
	[CA_OUT_HABITABLE_HOME] = { BANK(habitable_strength),
	    BANK(habitable_neutral), BANK(habitable_deficit),
	    BANK(habitable_carer), BANK(habitable_presenting) },
	[CA_OUT_RELATIONSHIPS] = { BANK(relationships_strength),
	    BANK(relationships_neutral), BANK(relationships_deficit),
	    BANK(relationships_carer), BANK(relationships_presenting) },
	[CA_OUT_WORK] = { BANK(work_strength), BANK(work_neutral),
	    BANK(work_deficit), BANK(work_carer), BANK(work_presenting) },
	[CA_OUT_COMMUNITY] = { BANK(community_strength),
	    BANK(community_neutral), BANK(community_deficit),
	    BANK(community_carer), BANK(community_presenting) },
	[CA_OUT_CHILD] = { BANK(child_strength), BANK(child_neutral),
	    BANK(child_deficit), BANK(child_carer), BANK(child_presenting) },
};

/* ---- Risk ---------------------------------------------------------- */

static const char *const falls_bare[] = {
	"{P} has fallen {n} times in the last six months.",
	"{P} is at risk of falls, particularly at night.",
	"There is a risk of falls on the stairs.",
	"{P} had a fall last month and was on the floor for some hours before {their} {rel} found {them}.",
};
static const char *const falls_planned[] = {
	"{P} has fallen {n} times this year; a referral has been made to the falls prevention service, a pendant alarm is being installed, and {their} {rel} knows what to do if {P} cannot get up.",
	"Falls risk discussed: {P} has agreed to use {their} frame indoors and night lights have been fitted, and the plan will be reviewed after the occupational therapy visit.",
	"To reduce the risk of falls, {equip} will be fitted and {P} will be seen by the falls team; if {P} falls again, {their} {rel} will contact the duty team.",
	"{P} is at risk of falling at night; the agreed plan is a commode by the bed, a sensor light and a pendant alarm, with a contingency of a rapid response visit if {P} falls.",
};
static const char *const falls_negated[] = {
	"No concerns about falls were identified.",
	"{P} has not had any falls and moves about safely.",
	"There is no history of falls.",
};

static const char *const neglect_bare[] = {
	"There are signs of self-neglect: {P} has lost weight and {their} clothes were stained.",
	"{P} appears to be neglecting {themselves}.",
	"{P} has stopped looking after {themselves} and the GP is concerned.",
};
static const char *const neglect_planned[] = {
	"Concerns about self-neglect were discussed openly with {P}; {they} agreed to a weekly visit from {friendname} and a fortnightly call from the team, and the case will go to the multi-agency self-neglect panel if things get worse.",
	"Self-neglect: a plan was agreed with {P} for daily calls to prompt meals and medication, with the GP informed; the contingency is an urgent review if {P} refuses calls for more than two days.",
	"{P} is at risk of self-neglect; to mitigate this, {P} agreed to a weekly welfare visit and the district nurse will check {their} skin, with a review in four weeks.",
};
static const char *const neglect_negated[] = {
	"There are no indicators of self-neglect.",
	"No concerns about self-neglect were raised by family or professionals.",
};

static const char *const hoarding_bare[] = {
	"The home is heavily cluttered, with newspapers stacked in the hallway and kitchen.",
	"There is evidence of hoarding, which blocks access to the back door.",
	"{P} keeps a large number of items in every room and the stairs are partly blocked.",
};
static const char *const hoarding_planned[] = {
	"The hallway is heavily cluttered; with {P}'s agreement a referral has been made to the hoarding support service, the fire service will carry out a home safety visit, and clearing the exit routes was agreed as the first step.",
	"{P} accepted that the amount of stored items is a fire risk; a plan was agreed to clear one room at a time, and the fire service will fit linked smoke alarms.",
};
static const char *const hoarding_negated[] = {
	"No hoarding or clutter was seen during the visit.",
	"There are no concerns about hoarding.",
};

static const char *const money_bare[] = {
	"{P}'s {rel} is said to be taking money from {their} account.",
	"There are concerns that a new friend is asking {P} for money.",
	"{P} could not say where {their} money goes each week.",
};
static const char *const money_planned[] = {
	"Concerns about possible financial abuse were discussed with {P}, who has capacity and agreed that a safeguarding concern should be raised; the bank has been alerted and the safeguarding team will contact {them} this week.",
	"{P} reported that a neighbour had been borrowing money; with {their} consent a safeguarding concern was raised the same day, and {P} has set up a third-party mandate with the bank.",
	"To protect {P} from further scam calls, a call blocker has been fitted and trading standards informed, with a review in six weeks.",
};
static const char *const money_negated[] = {
	"No concerns about financial abuse were identified; {P} manages {their} own money.",
	"There are no concerns about anyone taking advantage of {P} financially.",
};

static const char *const breakdown_bare[] = {
	"{relname} is exhausted and the caring arrangement is at risk of breaking down.",
	"There is a risk that {P}'s {rel} will not be able to continue caring.",
	"{relname} said {relshe} is at breaking point.",
};
static const char *const breakdown_planned[] = {
	"There is a risk of carer breakdown; a contingency plan has been agreed so that another relative can step in for up to a week, and emergency respite can be arranged through the duty team.",
	"To reduce the strain on {relname}, a weekly sitting service and a carer's break have been arranged, and an emergency plan is now in place with the carers' centre.",
	"If {relname} becomes unwell, the emergency plan is for {agency} to provide extra calls; {relname} has a carer's emergency card.",
};
static const char *const breakdown_negated[] = {
	"{relname} says {relshe} is coping well and there is no immediate risk of the caring arrangement breaking down.",
	"There are no concerns about carer breakdown at present.",
};

static const char *const waiting_bare[] = {
	"{P}'s mobility is getting worse while {they} wait{s}.",
	"While waiting, {P}'s situation has deteriorated.",
	"{P}'s {rel} says {P} is managing less well than when the referral was made.",
};
static const char *const waiting_planned[] = {
	"To manage the risk while {P} waits, a welfare call is made every fortnight, and {P} and {their} {rel} know to call the duty team if things get worse.",
	"The wait was reviewed by the team manager; because {P} is at risk of deteriorating, interim equipment has been delivered and the case was moved up the list.",
	"The GP has been told about the wait, and the priority will be looked at again in two weeks or sooner if {P}'s health changes.",
};
static const char *const waiting_negated[] = {
	"{P}'s situation has remained stable while waiting.",
	"There has been no deterioration while {P} has been waiting.",
};

const ca_bank ca_bank_risk[CA_RISK_COUNT][CA_MENTION_COUNT] = {
	[CA_RISK_FALLS] = { BANK(falls_bare), BANK(falls_planned),
	    BANK(falls_negated) },
	[CA_RISK_SELF_NEGLECT] = { BANK(neglect_bare), BANK(neglect_planned),
	    BANK(neglect_negated) },
	[CA_RISK_HOARDING] = { BANK(hoarding_bare), BANK(hoarding_planned),
	    BANK(hoarding_negated) },
	[CA_RISK_FINANCIAL_ABUSE] = { BANK(money_bare), BANK(money_planned),
	    BANK(money_negated) },
	[CA_RISK_CARER_BREAKDOWN] = { BANK(breakdown_bare),
	    BANK(breakdown_planned), BANK(breakdown_negated) },
	[CA_RISK_WAITING] = { BANK(waiting_bare), BANK(waiting_planned),
	    BANK(waiting_negated) },
};

static const char *const selfbreak_bare[] = {
	"{P} is exhausted and at risk of being unable to continue caring.",
	"{P} said {they} {is} close to breaking point.",
	"There is a risk of carer breakdown; {P} has had no break for over a year.",
};
static const char *const selfbreak_planned[] = {
	"There is a risk of carer breakdown; an emergency plan has been written with {P}, naming who would step in, and a carer's emergency card has been issued.",
	"To reduce the risk of {P} being unable to continue, a weekly sitting service has been arranged and respite is booked for next month, with the duty team as the contingency.",
	"{P}'s own health is at risk; a contingency plan is in place so that {agency} can increase calls to {relname} at short notice.",
};
static const char *const selfbreak_negated[] = {
	"{P} says {they} {is} coping and there is no immediate risk of the caring role breaking down.",
	"There are no concerns about {P}'s ability to continue caring at present.",
};

const ca_bank ca_bank_risk_carer_self[CA_MENTION_COUNT] = {
	BANK(selfbreak_bare), BANK(selfbreak_planned), BANK(selfbreak_negated)
};

static const char *const positive_risk[] = {
	"{P} understands the risk of going out alone and has chosen to keep walking to {place}; this is {their} decision and the plan supports it.",
	"We talked about positive risk-taking: {P} wants to keep cooking even though {they} {has} burnt pans before, so a smoke alarm linked to the pendant has been fitted.",
	"{P} accepts some risk in staying at home and this was respected; {their} {rel} agrees.",
	"{P} has chosen to keep using the stairs, knowing the risk; this was discussed as positive risk-taking and recorded.",
};

static const char *const capacity[] = {
	"{P} has capacity to make decisions about {their} care and support.",
	"A mental capacity assessment was completed about where {P} should live; {they} {was} found to lack capacity for this decision and a best interests meeting is planned.",
	"{P} was able to understand, retain and weigh up the information about {their} care, and to communicate {their} decision.",
	"Capacity was assumed.",
	"{P}'s capacity fluctuates, so decisions were discussed at a time of day when {they} {is} most alert.",
	"There was no reason to doubt {P}'s capacity to make decisions about {their} support.",
};

static const char *const advocacy[] = {
	"Because {P} would have substantial difficulty being involved without support and has no appropriate person to help, an independent advocate was arranged.",
	"An advocate was offered, but {P} preferred {their} {rel} to support {them}.",
	"{P} was supported by an independent advocate during the assessment.",
	"Advocacy was considered; {P}'s {rel} is an appropriate person to support {them}.",
};

static const char *const safeguarding[] = {
	"A safeguarding concern was raised with the council's adult safeguarding team on the day of the visit.",
	"No safeguarding concerns were identified.",
	"{P} disclosed that a relative shouts at {them}; a safeguarding concern was raised the same day and {P} was involved in deciding what happens next.",
	"Safeguarding: bruising on {P}'s arm was discussed; {P} explained it was from a fall, and the GP has been informed.",
};

/* ---- Carers -------------------------------------------------------- */

static const char *const carer_role[] = {
	"{P}'s {rel} {relname} is {their} main carer and helps with meals, medication and shopping.",
	"{relname}, {P}'s {rel}, {relsees} and helps with meals and medication.",
	"{P}'s {rel} {relname} {relsees} and provides most of {their} care.",
	"{P}'s {rel} {relname} does all of {their} shopping and cleaning and helps {them} to shower.",
	"{P} relies on {their} {rel} {relname}, who helps before and after work.",
};
static const char *const carer_willing[] = {
	"{relname} said {relshe} is willing to keep helping but is finding the nights hard.",
	"{relname} is willing and able to continue with shopping and appointments, but not personal care.",
	"{relname} was asked directly whether {relshe} wants to continue caring, and said yes, with some help.",
	"{relname} works full time and cannot do more than {relshe} already does.",
};
static const char *const carer_accepted[] = {
	"{relname} was offered a carer's assessment and accepted; a referral has been made to the carers' service.",
	"A carer's assessment was offered to {relname}, who would like one, and it has been booked for next {day}.",
	"{relname} accepted the offer of a carer's assessment.",
};
static const char *const carer_declined[] = {
	"{relname} was offered a carer's assessment but declined for now, and was given information about the carers' centre.",
	"A carer's assessment was offered and declined; {relname} knows how to ask for one later.",
	"{relname} declined a carer's assessment, saying {relshe} is managing at the moment.",
};
static const char *const carer_offered[] = {
	"{relname} was offered a carer's assessment and will let us know.",
	"A carer's assessment was offered to {relname}, who will think about it.",
};

static const char *const carerself_role[] = {
	"{P} provides around {hours} hours of care a week, including medication, meals and help at night.",
	"{P} manages {relname}'s medication, appointments and finances, and helps {relher} with washing and dressing.",
	"{P} has been caring for {relname} for {years} years and has not had a break in that time.",
	"{P} is on call day and night, as {relname} cannot be left alone for long.",
	"{P} does most things for {relname}, with {agency} helping in the mornings.",
};
static const char *const carerself_willing[] = {
	"{P} wants to continue caring but needs regular breaks.",
	"{P} is not sure how much longer {they} can carry on.",
	"^{P} is willing to carry on caring, provided {they} can keep {their} job.",
	"{P} said that caring is {their} choice but {they} need{s} time for {themselves}.",
};
static const char *const carerself_yes[] = {
	"{P} has eligible needs as a carer: {their} health is at risk and {they} cannot maintain {their} own relationships or work.",
	"{P} meets the carers' eligibility criteria, and a carer's personal budget of £{budget} a year was agreed for a short break and a gym membership.",
	"{P} has eligible needs as a carer; a one-off payment of £{budget} was agreed for a short break.",
	"The impact of caring on {P}'s wellbeing is significant and {they} {is} eligible for support as a carer.",
};
static const char *const carerself_no[] = {
	"{P} does not have eligible needs as a carer at present, but was given information about the carers' centre and the emergency card scheme.",
	"The carers' eligibility criteria are not met at present; {P} was signposted to {group}.",
	"{P} is managing well and does not have eligible needs as a carer; a review was offered if things change.",
};

static const char *const carerself_dp[] = {
	"{P} would like {their} carer's personal budget as a direct payment so {they} can choose how to take a break.",
	"Direct payments were explained, and {P} will use one to pay for a sitting service of {their} choosing.",
};

/* ---- Choice and control, eligibility and plan ---------------------- */

static const char *const direct_payment[] = {
	"Direct payments were explained; {P} would like to use one to employ a personal assistant {they} already know{s}.",
	"{P} has chosen a direct payment so {they} can decide who comes and when.",
	"Direct payments and a personal budget were discussed, and {P} will think about it with {their} {rel}.",
	"{P} was given the direct payments leaflet and an explanation of how the payment card works.",
	"{P} would like a direct payment to pay {their} {friendrel} to take {them} to {place}.",
	"A direct payment was offered; {P} would rather the council arranged the care for now.",
};

static const char *const eligible_yes[] = {
	"Outcome: {P} has eligible needs under the Care Act 2014 in {outcomes}.",
	"{P} is unable to achieve two or more of the eligibility outcomes, with a significant impact on {their} wellbeing, and has eligible needs.",
	"{P}'s needs meet the eligibility criteria, in particular {outcomes}.",
	"Eligible needs were identified in {outcomes}.",
};
static const char *const eligible_no[] = {
	"{P} does not have eligible needs at present; information and advice were given about {group} and the community connector service.",
	"The eligibility criteria are not met. {P} was signposted to {group}.",
	"{P}'s needs do not meet the eligibility criteria, as {they} can achieve the outcomes with the equipment provided.",
	"No eligible needs; {P} was given advice about equipment and local groups, and knows how to get back in touch.",
};
static const char *const plan[] = {
	"An indicative personal budget of £{budget} a week was agreed.",
	"A support plan will be put in place with {agency} for {calls} calls a day.",
	"The plan will be reviewed in {weeks} weeks.",
	"Support will start with a six-week reablement service, followed by a review.",
	"The personal budget is £{budget} a week, and {P} has a copy of {their} support plan.",
	"{P} agreed the outcomes in {their} support plan, which are written in {their} own words.",
};
static const char *const plan_review[] = {
	"The support plan continues unchanged, and the next review is due in twelve months.",
	"Support from {agency} was increased by one call a day.",
	"Support was reduced, as {P} now manages breakfast independently.",
	"{P} is happy with the support from {agency} and no changes are needed.",
	"The personal budget remains £{budget} a week; the next review is in {weeks} weeks.",
	"{P}'s direct payment is being used as agreed and will continue.",
};
static const char *const plan_poor[] = {
	"Plan: equipment.",
	"Equipment ordered. NFA.",
	"Care package to continue.",
	"For closure.",
	"Refer to OT.",
};

/* ---- Recording ----------------------------------------------------- */

static const char *const record_good[] = {
	"A copy of this assessment was shared with {P}, and with {their} {rel} at {P}'s request.",
	"{P} waited {waited} days from request to assessment.",
	"Discussed with the practice lead and signed off.",
	"{P}'s views have been recorded in {their} own words throughout.",
	"Next contact: a review call in {weeks} weeks.",
	"The assessment was recorded on the day of the visit.",
	"{P} knows how to contact the team if anything changes.",
};
static const char *const record_poor[] = {
	"NFA.",
	"Case closed.",
	"TC to {rel}, no answer.",
	"Pt seen.",
	"OT to follow up.",
	"See previous notes.",
	"Plan as before.",
	"Info given.",
	"{Their} {rel} aware.",
	"Not discussed.",
};

static const char *const triage[] = {
	"Initial risk rating: {rag}.",
	"{P} has been added to the waiting list.",
	"Welfare call made on {day}: {P} said things are much the same.",
	"Information and advice given while {P} waits, including the number for the duty team.",
	"{P} has been waiting {waited} days so far.",
	"Interim equipment was arranged while {P} waits: {equip}.",
	"Management oversight: the wait was reviewed by the team manager.",
	"{P} was told how long the wait is likely to be and what to do if things change.",
	"Awaiting allocation.",
	"Left a message for {P}'s {rel} to arrange a visit.",
};

/* Neutral sentences that fill a short record out to a believable length
 * without adding outcomes, risks or strengths. */
static const char *const filler[] = {
	"The visit took about an hour and {P} was happy to talk.",
	"{P}'s GP surgery is in {town} and {they} see{s} the practice nurse every few months.",
	"{P} has a cat, which {they} look{s} after {themselves}.",
	"The home is a {home} with a small garden at the back.",
	"{P} takes several medicines, which come from the pharmacy in blister packs.",
	"{P} has lived in {town} for most of {their} life.",
	"{P} speaks English and did not need an interpreter.",
	"The district nurse visits weekly to dress {P}'s legs.",
	"{P} has a hospital appointment next month.",
	"{P}'s {rel} {relname} was kept informed, with {P}'s agreement.",
	"{P} uses glasses for reading and a hearing aid in {their} left ear.",
	"{P} has a pendant alarm but does not always wear it.",
	"{P} was visited in the morning, which {they} said is {their} best time of day.",
	"{P}'s home has a small step at the front door.",
	"{P} gets {their} prescriptions delivered by the local pharmacy.",
	"{P} was seen on {their} own, at {their} request, for part of the visit.",
	"{P} had been told about the visit in advance and had a list of questions ready.",
	"{P} has a key safe, and the code is held by {their} {rel}.",
	"{P}'s television and radio are important to {them} for company.",
	"{P} has a landline and a simple mobile phone.",
	"{P} was wearing day clothes and had already had breakfast when {wr} arrived.",
	"The GP's summary of {P}'s health was checked before the visit.",
	"{P} is registered with a dentist in {town} but has not been for some time.",
	"{P} asked for letters to be sent in large print.",
	"{P} has a blue badge, which {their} {rel} uses when taking {them} out.",
	"{P}'s flat is on a bus route into {town}.",
	"{P} has an occupational therapy assessment booked for later this month.",
	"{P} enjoys the radio and listens to the local station most mornings.",
	"{P} was happy for {their} {rel} to be contacted about the outcome.",
	"{P} had recently had {their} flu jab at the surgery.",
};

/* ---- Personal data for redaction to find --------------------------- */

static const char *const pii_nhs[] = {
	"NHS number {nhs} confirmed with the GP surgery.",
	"{Their} NHS number is {nhs}.",
	"GP records checked under NHS no. {nhs}.",
	"NHS No: {nhs}.",
};
static const char *const pii_phone[] = {
	"{relname} can be contacted on {phone}.",
	"{P} asked to be called on {phone} rather than the landline.",
	"Contact number for {P}: {phone}.",
	"{P}'s {rel} left a number, {phone}, for any questions.",
};
static const char *const pii_postcode[] = {
	"{P} lives at {house} {street}, {town}, {postcode}.",
	"Address confirmed as {house} {street}, {postcode}.",
	"{P} is moving to a flat at {postcode} next month.",
};
static const char *const pii_email[] = {
	"{relname} asked for a copy by email to {email}.",
	"{P}'s email address is {email}.",
	"Letters to go to {P}'s {rel} at {email}.",
};
static const char *const pii_dob[] = {
	"DOB {dob}.",
	"{P} (DOB {dob}) was seen at home.",
	"Date of birth: {dob}.",
	"{P}'s date of birth, {dob}, was confirmed.",
};

static const char *const pii_none[] = { "" };

const ca_bank ca_bank_pii[CA_PLANT_DOB + 1] = {
	[CA_PLANT_NONE] = BANK(pii_none),
	[CA_PLANT_NHS_NUMBER] = BANK(pii_nhs),
	[CA_PLANT_PHONE] = BANK(pii_phone),
	[CA_PLANT_POSTCODE] = BANK(pii_postcode),
	[CA_PLANT_EMAIL] = BANK(pii_email),
	[CA_PLANT_DOB] = BANK(pii_dob),
};

/* ---- Vocabularies -------------------------------------------------- */

static const char *const vocab_place[] = {
	"the allotment", "the bowls club", "the library", "the market",
	"the swimming baths", "the park", "the community centre",
	"the garden centre", "the football ground", "the social club",
	"the luncheon club", "the seafront", "the canal towpath",
	"the café on the high street", "the cricket club", "church",
	"the bingo", "the over-sixties club",
};
static const char *const vocab_act[] = {
	"gardening", "knitting", "baking", "cooking for the family",
	"fishing", "walking the dog", "doing jigsaws", "crosswords",
	"singing", "painting", "woodwork", "reading", "watching the cricket",
	"playing dominoes", "crochet", "growing vegetables",
	"following the football", "sewing", "listening to music",
	"playing computer games", "photography", "birdwatching",
	"playing chess", "dancing", "swimming", "going to the races",
};
static const char *const vocab_group[] = {
	"a lunch club at the community centre", "the church choir",
	"a community repair café", "a walking football group",
	"the carers' centre",
	"a knit and natter group", "a befriending scheme",
	"a community gardening project", "a community allotment project",
	"the tenants' association", "a chair-based exercise class",
	"a veterans' breakfast club", "a book club at the library",
	"a coffee morning at the church hall",
};

/* Groups that go with a support reason, and with a family's origin. */
static const char *const group_physical[] = {
	"a stroke survivors' group", "a chair-based exercise class",
	"a Parkinson's support group", "a breathe easy group",
};
static const char *const group_sensory[] = {
	"a sight loss support group", "a hearing loss social group",
	"a talking newspaper group",
};
static const char *const group_memory[] = {
	"a dementia café", "a singing for the brain group",
	"a memory club at the library",
};
static const char *const group_learning[] = {
	"a day opportunities service", "a self-advocacy group",
	"an inclusive drama group",
};
static const char *const group_mental[] = {
	"a peer support group", "a recovery college course",
	"a walking group run by the mental health charity",
};
static const char *const group_social[] = {
	"a befriending scheme", "a bereavement support group",
	"a lunch club at the community centre",
};
static const char *const group_british[] = {
	"the working men's club", "a coffee morning at the church hall",
};
static const char *const group_european[] = {
	"the Polish community centre", "the Portuguese community association",
	"the Orthodox church's social club",
};
static const char *const group_south_asian[] = {
	"a South Asian elders' group", "the mosque's over-sixties group",
	"the gurdwara's lunch club", "the temple's day centre",
};
static const char *const group_black[] = {
	"a Caribbean elders' lunch club", "the African Caribbean community centre",
	"a church fellowship group",
};
static const char *const group_other[] = {
	"the Chinese community centre", "a Turkish community group",
	"a Vietnamese elders' group", "the mosque's over-sixties group",
};
static const char *const place_south_asian[] = {
	"the mosque", "the gurdwara", "the temple",
};
static const char *const place_other[] = {
	"the mosque", "the community centre",
};
static const char *const place_black[] = {
	"church", "the market",
};
static const char *const place_european[] = {
	"the Polish shop", "church",
};
static const char *const place_british[] = {
	"the pub", "the allotment",
};
static const char *const vocab_town[] = {
	"Eastbridge", "Marsham", "Upton Vale", "Kelby", "Hollins Cross",
	"Ashworth", "Fernley", "Castlegate", "Brindle Moor", "Saltby",
	"Norbury Green", "Wexcombe",
};
static const char *const vocab_equip[] = {
	"grab rails", "a perching stool", "a raised toilet seat",
	"a shower chair", "a key safe", "a pendant alarm", "a stairlift",
	"a bath lift", "a rollator", "a second banister",
	"a commode", "a riser recliner chair", "bed rails",
	"a half step at the back door",
};
static const char *const vocab_referrer[] = {
	"the GP", "the district nurse", "the hospital discharge team",
	"a neighbour", "the housing officer",
	"the fire service's home safety officer", "the memory clinic",
	"the community mental health team",
	"the police", "{their} {rel}",
	"the practice nurse", "the community pharmacist",
	"the social prescriber at {their} surgery",
};
static const char *const vocab_agency[] = {
	"Bluebell Home Care", "Kingfisher Care Services",
	"Hearthside Homecare", "Willow Tree Care at Home",
	"Sunrise Domiciliary Care", "Meadowsweet Care",
};
static const char *const vocab_home[] = {
	"ground-floor flat", "terraced house", "bungalow",
	"housing association flat", "third-floor council flat",
	"semi-detached house", "sheltered housing flat",
	"rented room", "supported living flat", "two-bedroom maisonette",
	"park home",
};
static const char *const vocab_job_past[] = {
	"worked as a nurse for thirty years", "drove buses in {town}",
	"worked in the textile mills", "ran a corner shop",
	"was a primary school teacher", "worked on the railways",
	"was a machinist", "worked as a cleaner at the hospital",
	"served in the Army", "worked as a joiner",
	"was a hairdresser", "worked as a care worker",
	"was a postman", "ran a market stall", "worked in a bakery",
	"was an engineer at the car plant",
};
static const char *const vocab_job_young[] = {
	"works part time in a supermarket", "is studying at college",
	"volunteers at a charity shop", "works in a warehouse",
	"used to work in a call centre", "works as a delivery driver",
	"is training as a chef", "works in a café at weekends",
};
static const char *const vocab_cond2[] = {
	"diabetes", "high blood pressure", "arthritis in both knees",
	"hearing loss", "a heart condition", "asthma", "chronic pain",
	"poor eyesight", "kidney disease", "osteoporosis",
};
static const char *const vocab_street[] = {
	"Victoria Road", "Church Lane", "Mill Street", "Park Avenue",
	"Station Road", "Beech Grove", "Chapel Street", "Kings Drive",
	"Orchard Close", "Moor View",
};
static const char *const vocab_friendrel[] = {
	"neighbour", "friend", "friend from church", "next-door neighbour",
	"old colleague", "friend from the library",
};

static const char *const cond_physical[] = {
	"arthritis", "COPD", "heart failure", "Parkinson's disease",
	"multiple sclerosis", "the effects of a stroke",
	"a hip fracture", "chronic back pain", "motor neurone disease",
	"osteoporosis", "an above-knee amputation", "fibromyalgia",
};
static const char *const cond_sensory[] = {
	"macular degeneration", "glaucoma", "significant hearing loss",
	"dual sensory loss", "diabetic retinopathy", "sight loss",
};
static const char *const cond_memory[] = {
	"Alzheimer's disease", "vascular dementia", "mixed dementia",
	"memory problems following a stroke", "Lewy body dementia",
	"alcohol-related brain damage", "mild cognitive impairment",
};
static const char *const cond_learning[] = {
	"a learning disability", "Down's syndrome",
	"a learning disability and autism", "a mild learning disability",
	"cerebral palsy and a learning disability", "fragile X syndrome",
};
static const char *const cond_mental[] = {
	"depression", "bipolar disorder", "schizophrenia", "severe anxiety",
	"post-traumatic stress disorder", "an eating disorder",
	"obsessive-compulsive disorder", "psychosis",
};
static const char *const cond_social[] = {
	"isolation following a bereavement", "alcohol dependency",
	"a history of homelessness", "long-standing isolation",
	"substance misuse", "a recent bereavement",
};

#define SENTENCES(X) \
	X(open_care_act) X(open_review) X(open_carer) X(open_waiting) \
	X(open_single) X(open_carer_waiting) X(open_review_waiting) X(deficit_carer) \
	X(carerself_dp) X(background) X(background_deficit) X(deficit) \
	X(matters) X(skills) X(network) X(community) X(checking) \
	X(quote_person) X(quote_carer) X(quote_frame) X(holistic) \
	X(positive_risk) X(capacity) X(advocacy) X(safeguarding) \
	X(carer_role) X(carer_willing) X(carer_accepted) \
	X(carer_declined) X(carer_offered) X(carerself_role) \
	X(carerself_willing) X(carerself_yes) X(carerself_no) \
	X(direct_payment) X(eligible_yes) X(eligible_no) X(plan) \
	X(plan_review) X(plan_poor) X(record_good) X(record_poor) \
	X(triage) X(filler)

#define DEFINE(a) const ca_bank ca_bank_##a = BANK(a);
SENTENCES(DEFINE)

#define VOCABS(X) \
	X(trigger) X(place) X(act) X(group) X(town) X(equip) X(referrer) \
	X(agency) X(home) X(job_past) X(job_young) X(cond2) X(street) \
	X(friendrel)

#define DEFINE_VOCAB(a) const ca_bank ca_vocab_##a = BANK(vocab_##a);
VOCABS(DEFINE_VOCAB)

const ca_bank ca_vocab_group_reason[CA_PSR_COUNT] = {
	[CA_PSR_PHYSICAL] = BANK(group_physical),
	[CA_PSR_SENSORY] = BANK(group_sensory),
	[CA_PSR_MEMORY] = BANK(group_memory),
	[CA_PSR_LEARNING] = BANK(group_learning),
	[CA_PSR_MENTAL_HEALTH] = BANK(group_mental),
	[CA_PSR_SOCIAL] = BANK(group_social),
};

/* Indexed by enum ca_name_pool. */
const ca_bank ca_vocab_group_pool[CA_POOL_COUNT] = {
	BANK(group_british), BANK(group_european), BANK(group_south_asian),
	BANK(group_black), BANK(group_other),
};
const ca_bank ca_vocab_place_pool[CA_POOL_COUNT] = {
	BANK(place_british), BANK(place_european), BANK(place_south_asian),
	BANK(place_black), BANK(place_other),
};

const ca_bank ca_vocab_cond[CA_PSR_COUNT] = {
	[CA_PSR_PHYSICAL] = BANK(cond_physical),
	[CA_PSR_SENSORY] = BANK(cond_sensory),
	[CA_PSR_MEMORY] = BANK(cond_memory),
	[CA_PSR_LEARNING] = BANK(cond_learning),
	[CA_PSR_MENTAL_HEALTH] = BANK(cond_mental),
	[CA_PSR_SOCIAL] = BANK(cond_social),
};

#define ADDRESS(a) &ca_bank_##a,
const ca_bank *const ca_bank_all[] = {
	SENTENCES(ADDRESS)
	&ca_bank_outcome[0][0], &ca_bank_outcome[0][1], &ca_bank_outcome[0][2],
	&ca_bank_outcome[0][3], &ca_bank_outcome[0][4],
	&ca_bank_outcome[1][0], &ca_bank_outcome[1][1], &ca_bank_outcome[1][2],
	&ca_bank_outcome[1][3], &ca_bank_outcome[1][4],
	&ca_bank_outcome[2][0], &ca_bank_outcome[2][1], &ca_bank_outcome[2][2],
	&ca_bank_outcome[2][3], &ca_bank_outcome[2][4],
	&ca_bank_outcome[3][0], &ca_bank_outcome[3][1], &ca_bank_outcome[3][2],
	&ca_bank_outcome[3][3], &ca_bank_outcome[3][4],
	&ca_bank_outcome[4][0], &ca_bank_outcome[4][1], &ca_bank_outcome[4][2],
	&ca_bank_outcome[4][3], &ca_bank_outcome[4][4],
	&ca_bank_outcome[5][0], &ca_bank_outcome[5][1], &ca_bank_outcome[5][2],
	&ca_bank_outcome[5][3], &ca_bank_outcome[5][4],
	&ca_bank_outcome[6][0], &ca_bank_outcome[6][1], &ca_bank_outcome[6][2],
	&ca_bank_outcome[6][3], &ca_bank_outcome[6][4],
	&ca_bank_outcome[7][0], &ca_bank_outcome[7][1], &ca_bank_outcome[7][2],
	&ca_bank_outcome[7][3], &ca_bank_outcome[7][4],
	&ca_bank_outcome[8][0], &ca_bank_outcome[8][1], &ca_bank_outcome[8][2],
	&ca_bank_outcome[8][3], &ca_bank_outcome[8][4],
	&ca_bank_outcome[9][0], &ca_bank_outcome[9][1], &ca_bank_outcome[9][2],
	&ca_bank_outcome[9][3], &ca_bank_outcome[9][4],
	&ca_bank_risk[0][0], &ca_bank_risk[0][1], &ca_bank_risk[0][2],
	&ca_bank_risk[1][0], &ca_bank_risk[1][1], &ca_bank_risk[1][2],
	&ca_bank_risk[2][0], &ca_bank_risk[2][1], &ca_bank_risk[2][2],
	&ca_bank_risk[3][0], &ca_bank_risk[3][1], &ca_bank_risk[3][2],
	&ca_bank_risk[4][0], &ca_bank_risk[4][1], &ca_bank_risk[4][2],
	&ca_bank_risk[5][0], &ca_bank_risk[5][1], &ca_bank_risk[5][2],
	&ca_bank_risk_carer_self[0], &ca_bank_risk_carer_self[1],
	&ca_bank_risk_carer_self[2],
	&ca_bank_pii[1], &ca_bank_pii[2], &ca_bank_pii[3], &ca_bank_pii[4],
	&ca_bank_pii[5],
	&ca_vocab_trigger, &ca_vocab_referrer, &ca_vocab_job_past,
	&ca_vocab_job_young, &ca_vocab_friendrel,
};
const size_t ca_bank_all_len = NITEMS(ca_bank_all);
