// Under MPI the ranks stop together: a stop signal that reaches one rank, or --halt reached by the failures
// of every rank together, becomes an order from rank 0 to every other rank. The scheduler sees its rank's
// side of that through an order_link: it reports the signals it receives and looks for orders between polls.
#pragma once

namespace parmap_run {

/// @brief What rank 0 tells the schedulers of the ranks.
struct stop_order {
    enum kind_t : int { signal = 1, halt = 2 };
    kind_t kind = signal;
    int value = 0;     ///< signal: its number; halt: the exit status (the failed job's, as GNU parallel)
    bool now = false;  ///< signal: kill the jobs at once (a second signal); halt: `--halt now`
};

/// @brief A scheduler's line to rank 0 (none when it runs alone).
class order_link {
public:
    virtual ~order_link() = default;
    /// @brief The next order from rank 0, if one came; `order` is left as it was otherwise.
    virtual bool take(stop_order& order) = 0;
    /// @brief This rank received a stop signal (`now`: its second one): rank 0 passes it on to the others.
    virtual void report_signal(int signal_number, bool now) = 0;
};

/// @brief How often, at least, a scheduler with an order_link looks for orders while it waits (milliseconds).
inline constexpr int order_check_ms = 20;

} // namespace parmap_run
