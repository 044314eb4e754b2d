/*
 * heap.c - see heap.h.
 */
#include "heap.h"

#include <stdlib.h>     /* defines __GLIBC__ where it applies */
#ifdef __GLIBC__
#include <malloc.h>
#endif

void
ca_heap_tune(void)
{
#ifdef __GLIBC__
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_TOP_PAD, 16 * 1024 * 1024);
#endif
}
