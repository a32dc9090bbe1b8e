// parmap-pi: estimates pi by Monte Carlo, as the tutorial that parmap answers does with a process pool,
// but reproducibly: sample i of seed s is a fixed function of (s, i) (pi_kernel.hpp), so the hit count
// is the same on every backend and worker count, and --check-backends proves it on this machine.
#include "backend_by_name.hpp"
#include "cli_numbers.hpp"
#include "exit_status.hpp"
#include "pi_kernel.hpp"
#if defined(PARMAP_PI_PLOT)
#include "pi_plot.hpp"
#endif

#include <parmap/parmap.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace {

constexpr double pi = 3.141592653589793;
constexpr std::uint64_t max_samples = 1'000'000'000'000'000'000ull;  // 1e18: a guard against typos

/// What one timed estimate gives.
struct run_result {
    std::string backend;
    std::size_t workers;
    std::uint64_t samples;
    std::uint64_t seed;
    std::uint64_t hits;
    double seconds;
};

/// Calls fn(policy) with the policy named `backend` (serial, threads or openmp), `workers` threads and
/// guided(16) chunking: some 1500 blocks per 1e8 samples, which the default grain would run inline, claimed
/// in chunks that shrink to 16 blocks (1M samples) at the end, so that a core slowed by another process
/// does not hold up the finish.
template <class Fn>
void with_policy(const std::string& backend, std::size_t workers, Fn&& fn) {
    std::visit(fn, parmap_examples::cpu_policy_named(backend, workers, parmap::chunks::guided(16)));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

run_result timed_run(const std::string& backend, std::size_t workers, std::uint64_t samples, std::uint64_t seed) {
    run_result r{backend, backend == "serial" ? 1 : workers, samples, seed, 0, 0.0};
    with_policy(backend, workers, [&](const auto& policy) {
        parmap_pi::count_hits(policy, seed, 4 * parmap_pi::block_samples * workers);  // start the threads
        const auto start = std::chrono::steady_clock::now();
        r.hits = parmap_pi::count_hits(policy, seed, samples);
        r.seconds = seconds_since(start);
    });
    return r;
}

void print_json(const run_result& r) {
    const double estimate = parmap_pi::estimate(r.hits, r.samples);
    std::printf("{\"backend\": \"%s\", \"workers\": %zu, \"samples\": %llu, \"seed\": %llu, \"hits\": %llu, "
                "\"estimate\": %.17g, \"error\": %.6g, \"seconds\": %.6g, \"samples_per_second\": %.6g, \"kernel\": \"%s\"}\n",
                r.backend.c_str(), r.workers, static_cast<unsigned long long>(r.samples), static_cast<unsigned long long>(r.seed),
                static_cast<unsigned long long>(r.hits), estimate, estimate - pi, r.seconds,
                static_cast<double>(r.samples) / r.seconds, parmap_pi::best_kernel().name);
}

void print_run(const run_result& r) {
    const double estimate = parmap_pi::estimate(r.hits, r.samples);
    const double p = pi / 4, n = static_cast<double>(r.samples);
    const double standard_error = 4.0 * std::sqrt(p * (1 - p) / n);
    const double rate = n / r.seconds;
    std::printf("parmap-pi: %llu samples of seed %llu on %s with %zu worker%s (%s loop)\n",
                static_cast<unsigned long long>(r.samples), static_cast<unsigned long long>(r.seed), r.backend.c_str(), r.workers,
                r.workers == 1 ? "" : "s", parmap_pi::best_kernel().name);
    std::printf("  estimate     %.12f\n", estimate);
    std::printf("  hits         %llu\n", static_cast<unsigned long long>(r.hits));
    std::printf("  error        %+.3e (%.2f standard errors of %.1e)\n", estimate - pi, std::fabs(estimate - pi) / standard_error,
                standard_error);
    std::printf("  time         %.4f s\n", r.seconds);
    std::printf("  samples/s    %.3e (%.3f ns per sample)\n", rate, 1e9 / rate);
}

/// Every configuration parmap::verify runs (every compiled backend, workers 1, 2, 3, 8, every chunking) against
/// the serial count, and every vector loop this CPU has, serially. Returns the number of runs that differ.
int check_backends(std::uint64_t samples, std::uint64_t seed, bool json) {
    const std::uint64_t reference = parmap_pi::count_hits(parmap::serial, seed, samples, parmap_pi::supported_kernels().front());
    int differ = 0, runs = 0;
    if (!json) {
        std::printf("parmap-pi --check-backends: %llu samples of seed %llu; serial counts %llu hits (estimate %.12f)\n",
                    static_cast<unsigned long long>(samples), static_cast<unsigned long long>(seed),
                    static_cast<unsigned long long>(reference), parmap_pi::estimate(reference, samples));
    }
    for (const parmap_pi::kernel& k : parmap_pi::supported_kernels()) {
        const auto start = std::chrono::steady_clock::now();
        const std::uint64_t hits = parmap_pi::count_hits(parmap::serial, seed, samples, k);
        ++runs;
        differ += hits == reference ? 0 : 1;
        if (json) print_json({"serial", 1, samples, seed, hits, seconds_since(start)});
        if (!json || hits != reference) {
            std::fprintf(hits == reference ? stdout : stderr, "  loop %-8s counts %llu hits: %s\n", k.name,
                         static_cast<unsigned long long>(hits), hits == reference ? "same" : "DIFFERENT");
        }
    }
    const parmap::verify_report report = parmap::verify_reduce(parmap::iota(parmap_pi::block_count(samples)),
                                                               parmap_pi::block_hits(seed, samples), std::uint64_t{0}, std::plus<>{});
    for (const auto& c : report.configurations()) {
        runs += c.skipped ? 0 : 1;
        differ += c.ok() ? 0 : 1;
        if (json && !c.skipped) std::printf("{\"policy\": \"%s\", \"same\": %s, \"seconds\": %.6g}\n", c.policy.c_str(),
                                            c.ok() ? "true" : "false", c.seconds);
    }
    if (!json || !report) std::cout << report;
    if (differ != 0) {
        std::fprintf(stderr, "parmap-pi: --check-backends FAILED: %d of %d runs differ from the serial count\n", differ, runs);
    } else if (!json) {
        std::printf("parmap-pi: all %d runs agree bit for bit\n", runs);
    }
    return differ;
}

/// The tutorial's experiment: a per-seed estimate mapped over the seeds, timed as the best of `repeats`.
struct experiment {
    std::vector<std::uint64_t> seeds;  // seed, seed + 1, ...
    std::uint64_t per_seed;
    std::size_t repeats;

    std::uint64_t all_samples() const { return per_seed * seeds.size(); }

    /// The per-seed hit counts that `policy` maps into `hits`; returns the best time of `repeats`, in seconds.
    template <class Policy>
    double best_of(const Policy& policy, std::vector<std::uint64_t>& hits) const {
        // One element per seed, each counted on one thread, as the tutorial's pool.map(estimate, seeds) does.
        auto per_seed_hits = [n = per_seed](std::uint64_t s) { return parmap_pi::count_hits(s, 0, n); };
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t r = 0; r < repeats; ++r) {
            const auto start = std::chrono::steady_clock::now();
            hits = parmap::parallel_map(policy, seeds, per_seed_hits);
            best = std::min(best, seconds_since(start));
        }
        return best;
    }
};

/// The hits of all seeds.
std::uint64_t sum(const std::vector<std::uint64_t>& hits) {
    std::uint64_t total = 0;
    for (std::uint64_t h : hits) total += h;
    return total;
}

/// The serial map's estimate for each seed and for all of them, and its time: the table's first row.
void print_serial(const experiment& e, const std::vector<std::uint64_t>& reference, double serial_seconds, bool json) {
    const std::uint64_t total = sum(reference), all_samples = e.all_samples();
    if (json) {
        print_json({"serial", 1, all_samples, e.seeds.front(), total, serial_seconds});
        return;
    }
    std::printf("parmap-pi: the tutorial's experiment, %zu seeds x %llu samples, best of %zu\n", e.seeds.size(),
                static_cast<unsigned long long>(e.per_seed), e.repeats);
    std::printf("  %20s  %16s  %11s\n", "seed", "estimate", "error");
    for (std::size_t k = 0; k < e.seeds.size(); ++k) {
        const double estimate = parmap_pi::estimate(reference[k], e.per_seed);
        std::printf("  %20llu  %16.12f  %+11.3e\n", static_cast<unsigned long long>(e.seeds[k]), estimate, estimate - pi);
    }
    const double estimate = parmap_pi::estimate(total, all_samples);
    std::printf("  %20s  %16.12f  %+11.3e\n\n", "all seeds", estimate, estimate - pi);
    std::printf("  %-8s %7s  %10s  %9s  %10s  %12s\n", "backend", "workers", "best s", "speed-up", "efficiency", "samples/s");
    std::printf("  %-8s %7d  %10.4f  %9.2f  %10.2f  %12.3e\n", "serial", 1, serial_seconds, 1.0, 1.0,
                static_cast<double>(all_samples) / serial_seconds);
}

/// Times `backend` with `workers` against the serial map and prints its row; false if its counts differ.
bool compare_with_serial(const experiment& e, const std::string& backend, std::size_t workers,
                         const std::vector<std::uint64_t>& reference, double serial_seconds, bool json) {
    std::vector<std::uint64_t> hits;
    double seconds = 0;
    with_policy(backend, workers, [&](const auto& policy) { seconds = e.best_of(policy.chunk(parmap::chunks::dynamic(1)), hits); });
    const double speed_up = serial_seconds / seconds, rate = static_cast<double>(e.all_samples()) / seconds;
    if (json) {
        print_json({backend, workers, e.all_samples(), e.seeds.front(), sum(hits), seconds});
    } else {
        std::printf("  %-8s %7zu  %10.4f  %9.2f  %10.2f  %12.3e%s\n", backend.c_str(), workers, seconds, speed_up,
                    speed_up / static_cast<double>(workers), rate, hits == reference ? "" : "  DIFFERENT ESTIMATES");
    }
    if (hits == reference) return true;
    std::fprintf(stderr, "parmap-pi: MISMATCH: %s with %zu workers gave other per-seed estimates than serial\n", backend.c_str(),
                 workers);
    return false;
}

/// The tutorial's experiment: a per-seed estimate mapped over --seeds seeds (--seed, --seed + 1, ...), then
/// the serial map against each parallel backend on 1, 2, 4, ... and `max_workers` workers, best of `repeats`.
/// Returns false if a backend disagrees.
bool tutorial(std::uint64_t seed, std::size_t seeds, std::uint64_t per_seed, std::size_t repeats, std::size_t max_workers,
              bool json) {
    experiment e{std::vector<std::uint64_t>(seeds), per_seed, repeats};
    for (std::size_t k = 0; k < seeds; ++k) e.seeds[k] = seed + k;
    std::vector<std::uint64_t> reference;
    const double serial_seconds = e.best_of(parmap::serial, reference);
    print_serial(e, reference, serial_seconds, json);

    std::vector<std::size_t> worker_counts;
    for (std::size_t w = 1; w < max_workers; w *= 2) worker_counts.push_back(w);
    worker_counts.push_back(max_workers);
    bool agree = true;
    for (const std::string& backend : parmap_examples::compiled_backends()) {
        if (backend == "serial") continue;
        for (std::size_t w : worker_counts) agree = compare_with_serial(e, backend, w, reference, serial_seconds, json) && agree;
    }
    return agree;
}

/// The command line's choices.
struct options {
    std::uint64_t samples = 100'000'000;
    std::uint64_t seed = 42;
    std::string backend = "threads";
    std::size_t workers = 0;  ///< 0 until parsed: then the CPUs this process may use, unless --workers said
    bool check = false, json = false;
    std::size_t seeds = 0;
    std::uint64_t per_seed = 10'000'000;
    std::size_t repeats = 3;
    std::string plot;
    std::size_t plot_points = 5000;
};

/// --samples, --seed, --backend and --workers: what one estimate counts, and where.
void add_estimate_options(CLI::App& app, options& o) {
    app.add_option("--samples", o.samples, "How many points to draw (1 to 1e18; 1e8 and 100000000 both work)")
        ->transform(parmap_examples::whole_number(1, max_samples, true, "1e18"))
        ->capture_default_str();
    app.add_option("--seed", o.seed, "The seed s: Philox's key (any integer from 0 to 2^64-1)")
        ->transform(parmap_examples::whole_number(0, ~std::uint64_t{0}, false))
        ->capture_default_str();
    parmap_examples::add_backend_option(app, o.backend, "Which backend counts the hits");
    app.add_option("--workers", o.workers, "Threads per parallel backend, the caller included (default: the CPUs this process may use)")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{256}, false));
}

/// --check-backends, --seeds and its options: the other modes, which choose their own backends.
void add_mode_options(CLI::App& app, options& o) {
    auto* check_option = app.add_flag("--check-backends", o.check,
                                      "Count the same samples on every configuration parmap::verify runs (every compiled backend, "
                                      "workers 1, 2, 3, 8, every chunking) and with every vector loop this CPU has; exit 1 if any "
                                      "count differs");
    auto* seeds_option = app.add_option("--seeds", o.seeds,
                                        "The tutorial's experiment: estimate pi once per seed for K seeds (--seed, --seed + 1, ...), "
                                        "print each estimate, then time the serial map against each parallel backend (1 to 100000)")
                             ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{100000}, false));
    app.add_option("--samples-per-seed", o.per_seed, "With --seeds: samples per seed (1 to 1e18; default 1e7)")
        ->transform(parmap_examples::whole_number(1, max_samples, true, "1e18"))
        ->needs(seeds_option);
    app.add_option("--repeats", o.repeats, "With --seeds: time each backend this many times and keep the best (1 to 1000)")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{1000}, false))
        ->needs(seeds_option)
        ->capture_default_str();
    check_option->excludes(seeds_option)->excludes("--backend")->excludes("--workers");
    seeds_option->excludes("--backend");
}

/// --plot, --plot-points and --json: what is written, in every mode.
void add_output_options(CLI::App& app, options& o) {
    app.add_option("--plot", o.plot, "Also write FILE.png: the quarter circle and the first --plot-points samples, hits in blue, "
                                      "misses in orange");
    app.add_option("--plot-points", o.plot_points, "With --plot: how many samples to draw (1 to 1000000)")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{1000000}, false))
        ->capture_default_str();
    app.add_flag("--json", o.json, "Print one JSON object per run (keys backend, workers, samples, seed, hits, estimate, error, "
                                   "seconds, samples_per_second, kernel; with --check-backends also one per configuration: policy, same, "
                                   "seconds) instead of text");
}

/// Parses the command line into `o`. Returns the exit status where the program ends here: 0 after --help,
/// 2 after a usage error (one line on stderr).
std::optional<int> parse(int argc, char** argv, options& o) {
    CLI::App app{
        "parmap-pi: estimate pi by Monte Carlo. Sample i of seed s is a point (x, y) in [0,1)^2 drawn from\n"
        "Philox4x32-10 at counter i/2 under key s (see the README's stream layout); it hits when x*x + y*y < 1,\n"
        "and pi is about 4 * hits / samples. The hit count is the same bits on every backend and worker count.\n"
        "Modes: one timed estimate (the default), --check-backends, or the tutorial's --seeds experiment;\n"
        "--plot adds a picture to any of them."};
    add_estimate_options(app, o);
    add_mode_options(app, o);
    add_output_options(app, o);
    const std::optional<int> status = parmap_examples::parse_options(app, argc, argv, "parmap-pi", [&] {
        if (o.seeds != 0 && o.per_seed > max_samples / o.seeds) {
            throw CLI::ValidationError("--samples-per-seed", "--seeds x --samples-per-seed is more than 1e18 samples in all");
        }
    });
    if (status) return status;
    if (o.workers == 0) o.workers = parmap::thread_pool::default_size();
    return std::nullopt;
}

/// --plot: writes the picture. Returns 0, 1 when it cannot be written, 2 when this build writes no PNG files.
int plot(const options& o) {
#if defined(PARMAP_PI_PLOT)
    const std::string error = parmap_pi::write_plot(o.plot, o.seed, o.plot_points);
    if (!error.empty()) {
        std::fprintf(stderr, "parmap-pi: %s\n", error.c_str());
        return 1;
    }
    if (!o.json) std::printf("parmap-pi: wrote %s (%zu samples of seed %llu)\n", o.plot.c_str(), o.plot_points,
                             static_cast<unsigned long long>(o.seed));
    return 0;
#else
    (void)o;
    std::fprintf(stderr, "parmap-pi: --plot: this build cannot write PNG files (it needs stb: Debian libstb-dev)\n");
    return 2;
#endif
}

/// The plot, if asked for, then the mode the options chose. Returns the exit status.
int run(const options& o) {
    if (!o.plot.empty()) {
        if (const int status = plot(o); status != 0) return status;
    }
    if (o.check) return check_backends(o.samples, o.seed, o.json) == 0 ? 0 : 1;
    if (o.seeds != 0) return tutorial(o.seed, o.seeds, o.per_seed, o.repeats, o.workers, o.json) ? 0 : 1;
    const run_result r = timed_run(o.backend, o.workers, o.samples, o.seed);
    if (o.json) {
        print_json(r);
    } else {
        print_run(r);
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    options o;
    if (const std::optional<int> status = parse(argc, argv, o)) return *status;
    return parmap_examples::exit_status("parmap-pi", [&] { return run(o); });
}
