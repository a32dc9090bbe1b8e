#include "cli.hpp"

#include "cli_numbers.hpp"

#include <map>

namespace parmap_run {

namespace {

void add_running_options(CLI::App& app, run_options& run) {
    app.add_option("JOBFILE", run.job_file, "The job file: one shell command per line ('-' reads standard input). "
                                            "Line k (from 0) is job k; blank and '#' lines are skipped")->required()->option_text("(required)");
    app.add_option("-j,--jobs", run.jobs, "Jobs at once (per MPI rank); default: the CPUs this process may use")
        ->option_text("N")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{100000}, false));
    app.add_option("--shell", run.shell, "Each line runs as SHELL -c LINE (default /bin/sh)")->option_text("SHELL");
    app.add_option_function<std::string>("--lines", [&run](const std::string& text) { run.lines = parse_line_ranges(text); },
                                         "Run only these lines, in Slurm --array syntax: 0-99,250")->option_text("LIST");
    app.add_option("--retries", run.retries, "Run a failed line up to N more times (N+1 runs in all; GNU parallel's "
                                             "--retries N means N runs in all)")
        ->option_text("N")
        ->check(parmap_examples::whole_number(0, 1000, false));
    app.add_option_function<std::string>("--timeout", [&run](const std::string& text) { run.timeout = parse_duration(text); },
                                         "Per attempt: TERM to the job's process group after DURATION (30, 30s, 500ms, 2m, 1h), "
                                         "KILL after the grace")->option_text("DURATION");
    app.add_option_function<std::string>("--grace", [&run](const std::string& text) { run.grace = parse_duration(text); },
                                         "Between TERM and KILL (timeouts, signals, --halt now); default 2s")->option_text("DURATION");
    app.add_option_function<std::string>("--halt", [&run](const std::string& text) { run.halt = parse_halt(text); },
                                         "now,fail=N | soon,fail=N | now,fail=P%: stop after N failed lines (or P% of those "
                                         "done; under MPI, over every rank's lines); now kills the running jobs, soon lets "
                                         "them finish. Exit status: the last failed job's")->option_text("RULE");
}

void add_output_options(CLI::App& app, run_options& run) {
    static const std::map<std::string, output_mode> modes{
        {"group", output_mode::group}, {"line", output_mode::line}, {"ungroup", output_mode::ungroup}};
    app.add_option("--output", run.output.mode, "group: each job's stdout then stderr, whole, when it ends (default); "
                                                "line: whole lines as they come; ungroup: as the jobs write")
        ->transform(CLI::CheckedTransformer(modes))
        ->option_text("group|line|ungroup");
    app.add_flag("-k,--keep-order", run.output.keep_order, "Print the jobs' output in line order");
    app.add_flag("--tag", run.output.tag, "Prefix each output line with the job's line number and a tab");
    app.add_option("--results", run.output.results_dir, "Also write each job's output to DIR/<line>.out and DIR/<line>.err")->option_text("DIR");
    app.add_option("--joblog", run.joblog, "Append a tab-separated row per attempt: Line Rank Host Start End Runtime "
                                           "Attempt ExitCode Signal TimedOut Hash Command")->option_text("FILE");
    auto* resume = app.add_flag("--resume", run.resume, "With --joblog: skip the lines it lists (rerun those whose text changed)");
    auto* failed = app.add_flag("--resume-failed", run.resume_failed, "With --joblog: skip the lines it lists as succeeded");
    resume->excludes(failed);
    app.add_flag("--dry-run", run.dry_run, "Print the commands that would run, run nothing");
    app.add_option("--print-failed", run.print_failed, "Write the lines that failed to FILE, as a new job file")->option_text("FILE");
}

} // namespace

void add_options(CLI::App& app, command_line& line) {
    add_running_options(app, line.run);
    add_output_options(app, line.run);
    app.add_flag("--sbatch", line.sbatch, "Print a Slurm job-array script (dSQ style) for JOBFILE instead of running it");
    app.add_option("--sbatch-options", line.sbatch_options, "With --sbatch: extra sbatch options, e.g. \"--mem=4G --time=1:00:00\"")
        ->option_text("OPTIONS");
    app.add_flag("--array-task", line.array_task, "Inside a Slurm job array: run line $SLURM_ARRAY_TASK_ID and append "
                                                  "its row to job_<jobid>_status.tsv (dSQ's columns)");
    app.add_option("--status-dir", line.status_dir, "With --sbatch or --array-task: where job_<jobid>_status.tsv "
                                                    "is written (default: the current folder)")->option_text("DIR");
    app.footer("Exit status (as GNU parallel): 0 all lines succeeded; 1-100 the number of failed lines; 101 more; "
               "255 a runner error; 128+signal after SIGINT, SIGTERM, SIGHUP. Usage errors: 2.");
}

} // namespace parmap_run
