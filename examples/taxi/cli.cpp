// parmap-taxi's command line; see cli.hpp.
#include "cli.hpp"

#include "backend.hpp"
#include "cli_numbers.hpp"
#include "plot.hpp"

#include <CLI/CLI.hpp>

#include <map>

namespace taxi {
namespace {

const char* description =
    "parmap-taxi: do people tip yellow cabs or Uber/Lyft better? Reads NYC taxi trip CSV files (2017 yellow cab,\n"
    "2022 high-volume ride-share; .csv.gz too) of any size, finds the columns by header name, and prints per\n"
    "service: rows read, used (fare > 0, fields numeric) and skipped, the mean tip percentage, a histogram of\n"
    "tip / fare (200 bins on [0.01, 2]) and of trip distance (edges 10**linspace(-1, 2, 50)).\n"
    "Each file is cut into fixed blocks that are parsed and reduced in parallel: the same numbers, to the bit,\n"
    "on every backend and worker count. Exit status: 0 all files read, 1 a file could not be read (the others\n"
    "are still reported), 2 a usage error.\n"
    "  parmap-taxi generate --kind yellow --rows 1e6 --seed 1 -o yellow.csv    # synthetic data\n"
    "  parmap-taxi yellow.csv rideshare.csv.gz --plot tips.png\n"
    "  mpirun -np 4 parmap-taxi yellow.csv    # MPI builds: the ranks share the blocks, rank 0 prints the same bits";

bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

void add_scan_options(CLI::App& app, cli& c) {
    app.add_option("files", c.files, "CSV files (.csv or .csv.gz), yellow or ride-share, in any mix");
    app.add_option("--backend", c.scan.backend, "Backend that parses the blocks (default threads)")
        ->check(CLI::IsMember(backend_names()));
    app.add_option("--workers", c.scan.workers, "Threads, the caller included (default: the CPUs this process may use)")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{256}, false));
    app.add_flag("--json", c.json, "Print one JSON object instead of the tables");
    app.add_option("--plot", c.plot, "Also draw the tip ratio figure to FILE.png or FILE.pdf (and the distance figure "
                                     "to FILE-distance.png/.pdf)");
    app.add_option("--block-size", c.scan.plan.block_size, "Bytes per block (4096 to 1 GiB, default 1 MiB); the mean's "
                                                           "last bits depend on it, the counts never")
        ->check(parmap_examples::whole_number(std::size_t{4096}, std::size_t{1} << 30, false));
    app.add_option("--max-line", c.scan.plan.max_line, "Longest line accepted in bytes (64 to 16 MiB, default 65536)")
        ->check(parmap_examples::whole_number(std::size_t{64}, std::size_t{1} << 24, false));
}

void add_generate(CLI::App& app, cli& c) {
    CLI::App* gen = app.add_subcommand("generate", "Write a synthetic CSV file in a real schema (the same seed gives the "
                                                   "same bytes on any worker count)");
    const std::map<std::string, service> kinds{{"yellow", service::yellow}, {"rideshare", service::rideshare}};
    gen->add_option("--kind", c.gen.kind, "yellow (2017 yellow cab schema) or rideshare (2022 HVFHS schema)")
        ->required()->transform(CLI::CheckedTransformer(kinds, CLI::ignore_case));
    gen->add_option("--rows", c.gen.rows, "Rows to write (0 to 1e11)")->required()
        ->transform(parmap_examples::whole_number(0, 100000000000ull, true, "1e11"));
    gen->add_option("--seed", c.gen.seed, "Seed of the rows (0 to 2^64 - 1, default 0)")
        ->transform(parmap_examples::whole_number(0, ~std::uint64_t{0}, false));
    gen->add_option("-o,--output", c.gen.output, "File to write (through a temporary name, renamed when complete)")
        ->required();
    gen->add_flag("--quirks", c.gen.quirks, "Add what real files hold: CRLF, a blank line after the header, empty and "
                                            "non-numeric fields, zero and negative fares, short rows, no final newline");
    gen->add_option("--backend", c.scan.backend, "Backend that makes the rows (default threads)")
        ->check(CLI::IsMember(backend_names()));
    gen->add_option("--workers", c.scan.workers, "Threads (default: the CPUs this process may use)")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{256}, false));
}

} // namespace

std::optional<int> parse_command_line(int argc, char** argv, cli& c) {
    CLI::App app{description, "parmap-taxi"};
    add_scan_options(app, c);
    add_generate(app, c);
    app.failure_message([](const CLI::App*, const CLI::Error& e) { return "parmap-taxi: " + std::string(e.what()) + " (see --help)\n"; });
    try {
        app.parse(argc, argv);
        c.generating = app.got_subcommand("generate");
        if (!c.generating && c.files.empty()) throw CLI::ValidationError("files", "no input files: name one or more CSV files");
        if (!c.plot.empty() && !ends_with(c.plot, ".png") && !ends_with(c.plot, ".pdf")) {
            throw CLI::ValidationError("--plot", "'" + c.plot + "' must end in .png or .pdf");
        }
        if (!c.plot.empty() && !plot_supported()) throw CLI::ValidationError("--plot", "--plot needs PLplot, which this build lacks");
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    return std::nullopt;
}

} // namespace taxi
