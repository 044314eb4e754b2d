/*
 * main.c - the caseaudit command.  Everything lives in the library; this is
 * only the door.
 */
#include "cli.h"

int
main(int argc, char **argv)
{
	return ca_cli_main(argc, argv);
}
