#include "gauge.h"
#include "ring.h"

/* An alarm when the mean of the last RING_SIZE readings passes the limit. */
int gauge_alarm(const double *readings, int n) {
    ring r = {0};
    for (int i = 0; i < n; i++) {
        ring_push(&r, readings[i]);
    }
    return ring_mean(&r) > GAUGE_LIMIT;
}
