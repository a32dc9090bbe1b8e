// The examples' --backend: the backends this program was built with, and the policy a name stands for, as
// one std::variant that the work visits once (std::visit) instead of comparing names in every program.
// parmap::thrust is offered by the programs built with PARMAP_EXAMPLE_THRUST (parmap-gpu, parmap-taxi).
#pragma once

#include <parmap/parmap.hpp>
#if defined(PARMAP_EXAMPLE_THRUST)
#include <parmap/thrust.hpp>
#endif

#include <CLI/CLI.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace parmap_examples {

/// @brief A policy of each CPU backend compiled in: serial, threads, and openmp when built with OpenMP.
using cpu_policy = std::variant<std::decay_t<decltype(parmap::serial)>, std::decay_t<decltype(parmap::threads)>
#if defined(_OPENMP)
                                ,
                                std::decay_t<decltype(parmap::openmp)>
#endif
                                >;

/// @brief A policy of any backend this program offers: the CPU ones, and thrust where it was built.
using any_policy = std::variant<std::decay_t<decltype(parmap::serial)>, std::decay_t<decltype(parmap::threads)>
#if defined(_OPENMP)
                                ,
                                std::decay_t<decltype(parmap::openmp)>
#endif
#if defined(PARMAP_EXAMPLE_THRUST)
                                ,
                                std::decay_t<decltype(parmap::thrust)>
#endif
                                >;

/// @brief The CPU backends compiled into this program, in cpu_policy's order.
inline std::vector<std::string> compiled_backends() {
    std::vector<std::string> names{"serial", "threads"};
#if defined(_OPENMP)
    names.push_back("openmp");
#endif
    return names;
}

/// @brief Every backend this program offers, in any_policy's order: compiled_backends(), then thrust.
inline std::vector<std::string> offered_backends() {
    std::vector<std::string> names = compiled_backends();
#if defined(PARMAP_EXAMPLE_THRUST)
    names.push_back("thrust");
#endif
    return names;
}

/// @brief The CPU policy called `name` (one of compiled_backends()) with `workers` threads (0: the backend's
/// default) and `chunking` (none: the default); parmap::serial as it is, which runs on the caller alone.
inline cpu_policy cpu_policy_named(const std::string& name, std::size_t workers = 0,
                                   std::optional<parmap::chunks::chunking> chunking = std::nullopt) {
    const auto tuned = [&](auto policy) { return policy.workers(workers).chunk(chunking.value_or(parmap::chunks::chunking{})); };
    if (name == "serial") return parmap::serial;
    if (name == "threads") return tuned(parmap::threads);
#if defined(_OPENMP)
    if (name == "openmp") return tuned(parmap::openmp);
#endif
    throw std::invalid_argument("unknown backend " + name);
}

/// @brief The policy called `name` (one of offered_backends()): cpu_policy_named's, or parmap::thrust with
/// `workers` (its OpenMP system's threads; no chunking).
inline any_policy policy_named(const std::string& name, std::size_t workers = 0,
                               std::optional<parmap::chunks::chunking> chunking = std::nullopt) {
#if defined(PARMAP_EXAMPLE_THRUST)
    if (name == "thrust") return parmap::thrust.workers(workers);
#endif
    return std::visit([](const auto& policy) { return any_policy(policy); }, cpu_policy_named(name, workers, chunking));
}

/// @brief Adds `--backend NAME`, checked against `names` (default compiled_backends()), whose help is `what`,
/// the list and the default.
inline CLI::Option* add_backend_option(CLI::App& app, std::string& backend, const std::string& what,
                                       const std::vector<std::string>& names = compiled_backends()) {
    std::string list;
    for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
    return app.add_option("--backend", backend, what + ": " + list + " (default " + backend + ")")->check(CLI::IsMember(names));
}

} // namespace parmap_examples
