/*
 * The dispatch ladder of the benchmark run (bench/bench.c): the cost of
 * calling an app, rung by rung, from a bare indirect call to the frame
 * loop's real path with more apps than protection keys. Each function is
 * one step (bench/bench_step.h), run in this order; bench_ladder.c says
 * what each rung adds and which lines it prints.
 */
#pragma once

#include <stdbool.h>

bool bench_ladder_bare(void);
bool bench_ladder_guarded(void);
bool bench_ladder_start(void); /* starts apps/bench_nop: the next three call it */
bool bench_ladder_ring3(void);
bool bench_ladder_pkru(void);
bool bench_ladder_dispatch(void); /* and stops bench_nop */
bool bench_ladder_many(void);
