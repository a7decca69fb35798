/* Statistics of writers known to get them wrong (stats_writer.c). */
#ifndef PQF_STATS_WRITER_H
#define PQF_STATS_WRITER_H

#include "internal.h"

/* 1 when statistics of a column of this physical type and sort order
 * (PQF_SORT_*) written by created_by may be trusted. */
int pqf_writer_stats_ok(pqf_str created_by, int physical, int sort, int min_equals_max);

#endif
