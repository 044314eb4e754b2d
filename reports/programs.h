/*
 * programs.h - what reports/ gives the two programs: the `report` command
 * for caseaudit and the daemon's `report` job for caseauditd.
 *
 * The core library (audit/) cannot call into reports/, which links it, so
 * each program's main() hands these over: caseaudit passes the commands to
 * ca_cli_main_with, caseauditd registers the job with ca_work_register.
 */
#ifndef CASEAUDIT_PROGRAMS_H
#define CASEAUDIT_PROGRAMS_H

#include <stddef.h>

#include "cli.h"

extern const ca_cli_command ca_reports_commands[];
extern const size_t ca_reports_ncommands;

/* Register the daemon's report job (work.h).  0, or -1 when it could not
 * be (registered twice). */
int ca_reports_register_jobs(void);

#endif
