// parmap: one call that maps a function over a range in parallel, with the backend chosen at compile
// time by the policy's type. This umbrella header brings in every front-end and every CPU backend;
// parmap::openmp additionally needs OpenMP enabled (-fopenmp, or link parmap::openmp).
//
//   #include <parmap/parmap.hpp>
//   auto ys = parmap::parallel_map(parmap::threads, xs, [](double x) { return x * x; });
#pragma once

#include <parmap/imap.hpp>
#include <parmap/parallel_map.hpp>
#include <parmap/policy.hpp>
#include <parmap/ranges.hpp>
#include <parmap/thread_pool.hpp>
#include <parmap/verify.hpp>
