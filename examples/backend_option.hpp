// The --backend option of parmap-mandelbrot and parmap-rotate: the backends this build compiled in.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace parmap_examples {

/// @brief The backends compiled into this program: serial, threads, and openmp when built with OpenMP.
inline std::vector<std::string> compiled_backends() {
    std::vector<std::string> names{"serial", "threads"};
#if defined(_OPENMP)
    names.push_back("openmp");
#endif
    return names;
}

/// @brief Adds `--backend NAME`, checked against compiled_backends(), whose help is `what` and the list.
inline CLI::Option* add_backend_option(CLI::App& app, std::string& backend, const std::string& what) {
    std::string list;
    for (const std::string& name : compiled_backends()) list += (list.empty() ? "" : ", ") + name;
    return app.add_option("--backend", backend, what + ": " + list + " (default " + backend + ")")
        ->check(CLI::IsMember(compiled_backends()));
}

} // namespace parmap_examples
