#ifndef GAUGE_H
#define GAUGE_H
/* The reading above which the gauge reports an alarm. */
#define GAUGE_LIMIT 50.0
int gauge_alarm(const double *readings, int n);
#endif
