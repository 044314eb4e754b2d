/*
 * main.c - the caseaudit command.  Everything lives in the libraries; this
 * is only the door.  The core library cannot link reports/ (which links
 * it), so the report command is handed to the command line here.
 */
#include "cli.h"
#include "programs.h"

int
main(int argc, char **argv)
{
	return ca_cli_main_with(argc, argv, ca_reports_commands, ca_reports_ncommands);
}
