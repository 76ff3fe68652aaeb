#include "ring.h"

void ring_push(ring *r, double value) {
    r->values[r->next] = value;
    r->next = (r->next + 1) % RING_SIZE;
    if (r->count < RING_SIZE) {
        r->count++;
    }
}

double ring_mean(const ring *r) {
    double sum = 0;
    for (int i = 0; i < r->count; i++) {
        sum += r->values[i];
    }
    return r->count == 0 ? 0 : sum / r->count;
}
