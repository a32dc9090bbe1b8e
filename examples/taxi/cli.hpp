// parmap-taxi's command line (CLI11): `parmap-taxi [options] FILES...` answers the questions over the files;
// `parmap-taxi generate ...` writes a synthetic file. A usage error exits with status 2 and one line.
#pragma once

#include "generate.hpp"
#include "scan.hpp"

#include <optional>
#include <string>
#include <vector>

namespace taxi {

struct cli {
    bool generating = false;
    generate_options gen;
    scan_options scan;
    std::vector<std::string> files;
    bool json = false;
    std::string plot;
};

/// Fills `c` from the arguments; returns an exit status when the program should stop now (--help: 0, a
/// usage error: 2, after printing one line).
std::optional<int> parse_command_line(int argc, char** argv, cli& c);

} // namespace taxi
