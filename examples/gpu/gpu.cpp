// parmap-gpu: the tutorial's GPU section (CuPy there) in C++. N synthetic taxi rides, seeded and
// reproducible; tip per mile on every compiled backend through parmap::zip(tips, miles); the mean by
// parallel_map_reduce (the same bits on every backend, checked); a histogram; a batch of 3x3
// determinants; and a timing table. parmap::thrust runs on Thrust's OpenMP system in this C++ build
// (parmap-gpu) and on the GPU in the CUDA build of this same file (parmap-gpu-cuda), where the table also
// splits the GPU's time into host->device, the map on the device and device->host.
#include "backend_by_name.hpp"
#include "cli_numbers.hpp"
#include "exit_status.hpp"
#include "gpu_rides.hpp"
#include "out_of_memory.hpp"
#if defined(PARMAP_EXAMPLE_THRUST)
#include "gpu_device.hpp"
#endif

#include <parmap/parmap.hpp>

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace {

/// Exit status of the CUDA build on a machine without a usable GPU (after the CPU backends ran).
constexpr int exit_no_gpu = 77;

/// `text` as the inside of a JSON string.
std::string json_escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
    return out;
}

/// The inputs every backend maps.
struct workload {
    parmap_gpu::rides rides;
    std::vector<parmap_gpu::matrix3> matrices;
};

/// What one backend computed, and its best times in seconds.
struct backend_run {
    std::string name;
    std::vector<float> per_mile;
    double mean = 0;
    std::vector<double> dets;
    double map_s = 0, mean_s = 0, dets_s = 0;
};

template <class Policy>
backend_run run_backend(const std::string& name, const Policy& policy, const workload& w, std::size_t repeats) {
    backend_run r;
    r.name = name;
    const auto rides = parmap::zip(w.rides.tips, w.rides.miles);
    auto map = [&] { r.per_mile = parmap::parallel_map(policy, rides, parmap_gpu::tip_per_mile{}); };
    auto mean = [&] {
        const double sum = parmap::parallel_map_reduce(policy, rides, parmap_gpu::tip_per_mile_term{}, 0.0, std::plus<>{});
        r.mean = sum / static_cast<double>(w.rides.tips.size());
    };
    auto dets = [&] { r.dets = parmap::parallel_map(policy, w.matrices, parmap_gpu::determinant{}); };
    map(), mean(), dets();  // warm-up: threads started, pages touched, the GPU's context made
    r.map_s = parmap_gpu::best_seconds(repeats, map);
    r.mean_s = parmap_gpu::best_seconds(repeats, mean);
    r.dets_s = parmap_gpu::best_seconds(repeats, dets);
    return r;
}

/// Runs backend `name` (one of parmap_examples::offered_backends()) and returns what it computed.
backend_run run_named(const std::string& name, const workload& w, std::size_t repeats) {
    return std::visit([&](const auto& policy) { return run_backend(name, policy, w, repeats); }, parmap_examples::policy_named(name));
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool agrees(const backend_run& r, const backend_run& reference) {
    return same_bits(r.per_mile, reference.per_mile) && std::memcmp(&r.mean, &reference.mean, sizeof r.mean) == 0 &&
           same_bits(r.dets, reference.dets);
}

/// "" when parmap::thrust can run here; else parmap::device_error's message (CUDA build, no GPU).
std::string device_problem() {
#if defined(PARMAP_EXAMPLE_THRUST)
    try {
        const std::vector<float> one{1.0f};
        (void)parmap::parallel_map(parmap::thrust, parmap::zip(one, one), parmap_gpu::tip_per_mile{});
    } catch (const parmap::device_error& e) {
        return e.what();
    }
#endif
    return {};
}

std::string where(const std::string& backend) {
#if defined(PARMAP_EXAMPLE_THRUST)
    if (backend == "thrust") return std::string("thrust (") + parmap_gpu::device_name + "), host vectors in and out";
#endif
    return backend;
}

/// The device-resident figures (parmap::thrust with device_vectors), when they were measured.
struct device_run {
    bool measured = false;
#if defined(PARMAP_EXAMPLE_THRUST)
    parmap_gpu::stage_times per_mile, dets;
    parmap_gpu::copy_roofline copy;
#endif
};

void print_text(const workload& w, std::uint64_t seed, std::size_t repeats, const std::vector<backend_run>& runs,
                const device_run& device, bool agree) {
    const std::size_t n = w.rides.tips.size();
    const backend_run& reference = runs.front();
    std::printf("parmap-gpu: %zu rides and %zu 3x3 matrices of seed %llu, best of %zu runs\n", n, w.matrices.size(),
                static_cast<unsigned long long>(seed), repeats);
    std::printf("mean tip per mile: $%.6f\n", reference.mean);
    const parmap_gpu::histogram h(reference.per_mile);
    for (int b = 0; b < parmap_gpu::histogram::bins; ++b) {
        const double share = static_cast<double>(h.counts[b]) / static_cast<double>(n);
        const std::string bar(static_cast<std::size_t>(std::lround(share * 50)), '#');
        const double low = b * parmap_gpu::histogram::width;
        std::printf("  $%.2f%s %-50s %9llu  %5.1f%%\n", low, b + 1 < parmap_gpu::histogram::bins ? "-" : "+ ", bar.c_str(),
                    static_cast<unsigned long long>(h.counts[b]), 100 * share);
    }
    std::printf("%-48s %12s %12s %12s\n", "milliseconds", "tip/mile", "mean", "determinants");
    for (const backend_run& r : runs) {
        std::printf("%-48s %12.3f %12.3f %12.3f\n", where(r.name).c_str(), 1e3 * r.map_s, 1e3 * r.mean_s, 1e3 * r.dets_s);
    }
#if defined(PARMAP_EXAMPLE_THRUST)
    if (device.measured) {
        const std::string d = parmap_gpu::device_name;
        auto row = [](const std::string& what, double map_s, double dets_s) {
            std::printf("%-48s %12.3f %12s %12.3f\n", what.c_str(), 1e3 * map_s, "", 1e3 * dets_s);
        };
        row("  host -> " + d, device.per_mile.to_device, device.dets.to_device);
        row("  thrust on device_vectors, in place", device.per_mile.kernel, device.dets.kernel);
        row("  " + d + " -> host", device.per_mile.to_host, device.dets.to_host);
        const double map_gbs = 12.0 * static_cast<double>(n) / device.per_mile.kernel / 1e9;
        const double copy_gbs = device.copy.bytes / device.copy.seconds / 1e9;
        std::printf("device-resident tip per mile (%s): %.1f GB/s (8 bytes read, 4 written per ride), %.0f%% of a "
                    "device-to-device thrust::copy of the same bytes (%.1f GB/s)\n",
                    d.c_str(), map_gbs, 100 * map_gbs / copy_gbs, copy_gbs);
    }
#else
    (void)device;
#endif
    if (runs.size() > 1) {
        std::printf("%zu backends %s bit for bit (tip per mile, mean, determinants)\n", runs.size(),
                    agree ? "agree" : "DO NOT AGREE");
    }
}

void print_json(const workload& w, std::uint64_t seed, std::size_t repeats, const std::vector<backend_run>& runs,
                const device_run& device, bool agree, const std::string& problem) {
    const backend_run& reference = runs.front();
    const parmap_gpu::histogram h(reference.per_mile);
    std::printf("{\"rides\": %zu, \"matrices\": %zu, \"seed\": %llu, \"repeats\": %zu, \"mean_tip_per_mile\": %.17g, "
                "\"histogram_bin_width\": %g, \"histogram\": [",
                w.rides.tips.size(), w.matrices.size(), static_cast<unsigned long long>(seed), repeats, reference.mean,
                parmap_gpu::histogram::width);
    for (int b = 0; b < parmap_gpu::histogram::bins; ++b) std::printf("%s%llu", b ? ", " : "", static_cast<unsigned long long>(h.counts[b]));
    std::printf("], \"agree\": %s, \"timings\": [", agree ? "true" : "false");
    for (std::size_t i = 0; i < runs.size(); ++i) {
        std::printf("%s{\"backend\": \"%s\", \"tip_per_mile_s\": %.6g, \"mean_s\": %.6g, \"determinants_s\": %.6g}", i ? ", " : "",
                    runs[i].name.c_str(), runs[i].map_s, runs[i].mean_s, runs[i].dets_s);
    }
    std::printf("]");
#if defined(PARMAP_EXAMPLE_THRUST)
    std::printf(", \"device\": \"%s\"", parmap_gpu::device_name);
    if (device.measured) {
        const double n = static_cast<double>(w.rides.tips.size());
        std::printf(", \"device_resident\": {\"to_device_s\": %.6g, \"kernel_s\": %.6g, \"to_host_s\": %.6g, "
                    "\"determinants_to_device_s\": %.6g, \"determinants_kernel_s\": %.6g, \"determinants_to_host_s\": %.6g, "
                    "\"kernel_gb_per_s\": %.6g, \"copy_gb_per_s\": %.6g}",
                    device.per_mile.to_device, device.per_mile.kernel, device.per_mile.to_host, device.dets.to_device,
                    device.dets.kernel, device.dets.to_host, 12 * n / device.per_mile.kernel / 1e9,
                    device.copy.bytes / device.copy.seconds / 1e9);
    }
#else
    (void)device;
#endif
    if (!problem.empty()) std::printf(", \"device_error\": \"%s\"", json_escaped(problem).c_str());
    std::printf("}\n");
}

/// The command line's choices.
struct options {
    std::size_t rides = 1000000, matrices = 100000, repeats = 3;
    std::uint64_t seed = 42;
    std::string backend = "all";
    bool json = false;
};

/// Declares every option into `o`.
void add_options(CLI::App& app, options& o) {
    app.add_option("--rides", o.rides, "How many rides (1 to 1e9; 1e6 and 1000000 both work)")
        ->transform(parmap_examples::whole_number(1, 1'000'000'000, true, "1e9"))
        ->capture_default_str();
    app.add_option("--matrices", o.matrices, "How many 3x3 matrices (1 to 1e8)")
        ->transform(parmap_examples::whole_number(1, 100'000'000, true, "1e8"))
        ->capture_default_str();
    app.add_option("--seed", o.seed, "The seed of the rides and matrices: Philox's key (0 to 2^64-1)")
        ->transform(parmap_examples::whole_number(0, ~std::uint64_t{0}, false))
        ->capture_default_str();
    std::vector<std::string> choices = parmap_examples::offered_backends();
    std::string list = "all";
    for (const std::string& name : choices) list += ", " + name;
    choices.insert(choices.begin(), "all");
    app.add_option("--backend", o.backend, "Which backend to time: " + list + " (default all). The serial backend always runs as the reference")
        ->check(CLI::IsMember(choices));
    app.add_option("--repeats", o.repeats, "Time each step this many times and keep the best (1 to 1000)")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{1000}, false))
        ->capture_default_str();
    app.add_flag("--json", o.json, "Print one JSON object (rides, matrices, seed, repeats, mean_tip_per_mile, histogram, agree, "
                                   "timings, device, device_resident, device_error) instead of text");
}

/// Parses the command line into `o`. Returns the exit status where the program ends here: 0 after --help,
/// 2 after a usage error (one line on stderr).
std::optional<int> parse(int argc, char** argv, options& o) {
    CLI::App app{"parmap-gpu: tip per mile of N synthetic taxi rides and the determinants of a batch of 3x3 matrices on "
                 "every compiled backend, checked to agree bit for bit, with a timing table. parmap::thrust runs on "
                 "Thrust's OpenMP system in parmap-gpu and on the GPU in parmap-gpu-cuda (the same program built by "
                 "nvcc), which also times host->device, the map on the device and device->host apart. Exit status: 0, "
                 "1 when backends disagree or a run fails, 2 on a usage error, 77 when parmap-gpu-cuda finds no usable "
                 "CUDA device (it says so in one line on stderr and still runs the CPU backends)."};
    add_options(app, o);
    return parmap_examples::parse_options(app, argc, argv, "parmap-gpu");
}

/// What every backend computed, whether they agree, and the device-resident figures.
struct comparison {
    std::vector<backend_run> runs;  ///< serial's first: the reference
    device_run device;
    bool agree = true;
    std::string problem;  ///< why parmap::thrust cannot run here; empty where it ran or was not asked for
};

#if defined(PARMAP_EXAMPLE_THRUST)
/// parmap::thrust on device_vectors: its figures into c.device, checked against the reference.
void measure_on_device(const workload& w, std::size_t repeats, comparison& c) {
    std::vector<float> per_mile;
    std::vector<double> dets;
    c.device.per_mile = parmap_gpu::per_mile_on_device(w.rides, repeats, per_mile, c.device.copy);
    c.device.dets = parmap_gpu::determinants_on_device(w.matrices, repeats, dets);
    c.device.measured = true;
    c.agree = c.agree && same_bits(per_mile, c.runs.front().per_mile) && same_bits(dets, c.runs.front().dets);
}
#endif

/// Runs serial and the backends --backend names on `w`; a thrust that cannot run here is said on stderr
/// and left out.
comparison run_backends(const options& o, const workload& w) {
    std::vector<std::string> names =
        o.backend == "all" ? parmap_examples::offered_backends() : std::vector<std::string>{"serial", o.backend};
    if (o.backend == "serial") names.pop_back();
    comparison c;
    for (const std::string& name : names) {
        if (name == "thrust" && !(c.problem = device_problem()).empty()) {
            std::fprintf(stderr, "parmap-gpu: %s; the CPU backends still run (exit status %d)\n", c.problem.c_str(), exit_no_gpu);
            continue;
        }
        c.runs.push_back(run_named(name, w, o.repeats));
        c.agree = c.agree && agrees(c.runs.back(), c.runs.front());
#if defined(PARMAP_EXAMPLE_THRUST)
        if (name == "thrust") measure_on_device(w, o.repeats, c);
#endif
    }
    return c;
}

/// Makes the workload, runs the backends and prints what they found. Returns the exit status.
int run(const options& o) {
    workload w;
    w.rides = parmap_gpu::make_rides(o.seed, o.rides);
    w.matrices = parmap::parallel_map(parmap::threads, parmap::iota(o.matrices),
                                      [seed = o.seed](std::size_t i) { return parmap_gpu::make_matrix(seed, i); });
    const comparison c = run_backends(o, w);
    if (o.json) {
        print_json(w, o.seed, o.repeats, c.runs, c.device, c.agree, c.problem);
    } else {
        print_text(w, o.seed, o.repeats, c.runs, c.device, c.agree);
    }
    if (!c.agree) return 1;
    return c.problem.empty() ? 0 : exit_no_gpu;
}

/// The message when the options' workload does not fit in memory.
std::string too_large(const options& o) {
    // What a run holds at once: the inputs (8 bytes a ride, 72 a matrix) while the rides are made (8 more),
    // each backend's results (4 and 8), and parmap::thrust's copies of inputs and results.
    const std::vector<std::string> all = parmap_examples::offered_backends();
    const double backends = o.backend == "all" ? static_cast<double>(all.size()) : o.backend == "serial" ? 1.0 : 2.0;
    const bool thrust = o.backend == "thrust" || (o.backend == "all" && all.back() == "thrust");
    const double per_ride = 16 + 4 * backends + (thrust ? 12 : 0), per_matrix = 72 + 8 * backends + (thrust ? 80 : 0);
    const double n = static_cast<double>(o.rides), m = static_cast<double>(o.matrices);
    const std::string what = "--rides " + std::to_string(o.rides) + " with --matrices " + std::to_string(o.matrices);
    return parmap_examples::out_of_memory(what, n * per_ride + m * per_matrix,
                                          "each ride takes about " + std::to_string(static_cast<int>(per_ride)) +
                                              " bytes and each matrix " + std::to_string(static_cast<int>(per_matrix)) +
                                              " with these backends: give fewer --rides or --matrices");
}

} // namespace

int main(int argc, char** argv) {
    options o;
    if (const std::optional<int> status = parse(argc, argv, o)) return *status;
    return parmap_examples::exit_status("parmap-gpu", [&] { return run(o); }, [&] { return too_large(o); });
}
