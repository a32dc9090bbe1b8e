// parmap-run: run a job file (one shell command per line, as dSQ's jobfile.txt) in parallel, on this machine
// or across MPI ranks, or turn it into a Slurm job array. See the README, "parmap-run: job arrays".
#include "cli.hpp"
#include "job_file.hpp"
#include "joblog.hpp"
#include "scheduler.hpp"
#include "signals.hpp"
#include "slurm.hpp"
#include "mpi_launch.hpp"
#if defined(PARMAP_RUN_MPI)
#include "mpi_run.hpp"
#endif

#include <parmap/thread_pool.hpp>

#include <cstdio>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace parmap_run;

int dry_run(const run_options& options, resume_log resume) {
    job_reader reader(options.job_file);
    file_feed feed(reader, options, std::move(resume));
    std::uint64_t count = 0;
    for (pending_job job; feed.next(job); ++count) {
        if (options.output.tag) std::printf("%llu\t", static_cast<unsigned long long>(job.line.number));
        std::printf("%s\n", job.line.text.c_str());
    }
    if (count == 0) std::fprintf(stderr, "parmap-run: 0 jobs\n");
    return 0;
}

// The progress line's total: the file's runnable lines, counted in a first pass (a regular file only).
std::uint64_t count_lines(const run_options& options) {
    struct stat info {};
    if (options.job_file == "-" || ::stat(options.job_file.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return 0;
    job_reader reader(options.job_file, false);
    std::uint64_t count = 0;
    while (const std::optional<job_line> line = reader.next()) count += options.lines.contains(line->number) ? 1 : 0;
    return count;
}

int run_locally(run_options options) {
    if (options.progress) options.expected_lines = count_lines(options);
    orphan_guard guard;
    if (!options.dry_run) guard.start(options.grace, static_cast<unsigned>(options.jobs));
    resume_log resume;
    if ((options.resume || options.resume_failed) && !options.joblog.empty()) resume = read_joblog(options.joblog);
    if (options.dry_run) return dry_run(options, std::move(resume));
    job_reader reader(options.job_file);
    auto joblog = options.joblog.empty() ? std::make_unique<joblog_writer>() : std::make_unique<joblog_writer>(options.joblog);
    output_writer output(options.output);
    file_feed feed(reader, options, std::move(resume));
    local_sink sink(*joblog, output, !options.print_failed.empty());
    const run_summary summary = scheduler(options, feed, sink, guard).run();
    sink.write_failed_lines(options.print_failed);
    if (summary.lines == 0 && !summary.runner_failed && summary.stop_signal == 0) std::fprintf(stderr, "parmap-run: 0 jobs\n");
    return exit_status(summary);
}

// Under an MPI launcher: parmap-run-mpi shares the lines among the ranks; parmap-run hands over to it.
int run_on_ranks(const run_options& options, int& argc, char**& argv) {
#if defined(PARMAP_RUN_MPI)
    block_runner_signals();  // before MPI starts its threads, so that every signal reaches our signalfd
    orphan_guard guard;
    // And before MPI_Init: Open MPI warns about fork() after it.
    guard.start(options.grace, static_cast<unsigned>(options.jobs));
    return run_with_mpi(options, guard, argc, argv);
#else
    (void)options;
    (void)argc;
    exec_mpi_runner(argv);
    throw runner_error("started by an MPI launcher, but parmap-run-mpi is not beside this program (built where MPI is found)");
#endif
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"parmap-run: run every line of a job file as a shell command, in parallel (GNU parallel's and dSQ's "
                 "job files), on this machine, across MPI ranks, or as a Slurm job array"};
    command_line line;
    line.run.jobs = parmap::thread_pool::default_size();
    add_options(app, line);
    app.failure_message([](const CLI::App*, const CLI::Error& e) { return "parmap-run: " + std::string(e.what()) + " (see --help)\n"; });
    try {
        app.parse(argc, argv);
        if ((line.run.resume || line.run.resume_failed) && line.run.joblog.empty()) {
            throw CLI::ValidationError("--resume", "needs --joblog FILE");
        }
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    line.jobs_given = app.count("--jobs") > 0;
    line.run.progress = ::isatty(STDERR_FILENO) == 1;
    try {
        if (line.sbatch) return print_sbatch_script(line);
        if (line.array_task) return run_array_task(line);
        if (!line.run.dry_run && launched_by_mpi()) return run_on_ranks(line.run, argc, argv);
        return run_locally(line.run);
    } catch (const runner_error& error) {
        std::fprintf(stderr, "parmap-run: %s\n", error.what());
        return 255;
    }
}
