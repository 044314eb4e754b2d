/*
 * heap.h - how the programs' heap behaves: tuned once at start for reading
 * results of a million rows a few thousand at a time (a sampling run's
 * population), which glibc would otherwise hand back to the kernel after
 * each batch and fault in again for the next: a third of the program's CPU
 * in such a read, as measured by bench/sample.
 */
#ifndef CASEAUDIT_HEAP_H
#define CASEAUDIT_HEAP_H

/* Keep freed memory for reuse (up to 64 MB) and grow the heap 16 MB at a
 * time.  Does nothing where the C library has no such settings. */
void ca_heap_tune(void);

#endif
