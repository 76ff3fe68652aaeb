#include <stdio.h>
#include "gauge.h"

int main(void) {
    double calm[] = {10, 20, 30};
    double hot[] = {60, 70, 80};
    if (gauge_alarm(calm, 3) || !gauge_alarm(hot, 3)) {
        printf("FAIL limit %.1f\n", GAUGE_LIMIT);
        return 1;
    }
    printf("ok limit %.1f\n", GAUGE_LIMIT);
    return 0;
}
