// parmap-taxi generate: a synthetic CSV file in one service's real schema (synthetic.hpp). Rows are made
// in blocks of rows_per_block in parallel with parmap::parallel_map and written in order, so the bytes
// depend only on the kind, seed, row count and quirks.
#pragma once

#include "schema.hpp"

#include <cstdint>
#include <string>

namespace taxi {

inline constexpr std::uint64_t rows_per_block = 4096;

struct generate_options {
    service kind = service::yellow;
    std::uint64_t rows = 0;
    std::uint64_t seed = 0;
    bool quirks = false;
    std::string output;
};

/// Writes the file (through a temporary name) with `policy_name`'s backend and `workers`; returns its size.
std::uint64_t generate(const generate_options& options, const std::string& policy_name, std::size_t workers);

} // namespace taxi
