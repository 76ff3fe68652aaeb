/* A vendored dependency: a fixed-size ring of readings. */
#ifndef RING_H
#define RING_H
#define RING_SIZE 8
typedef struct { double values[RING_SIZE]; int count; int next; } ring;
void ring_push(ring *r, double value);
double ring_mean(const ring *r);
#endif
