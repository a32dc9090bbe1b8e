// parallel_map over MPI: the results of a plain loop, on the root or on every rank, for every local
// policy, root, input kind and size (including empty and fewer elements than ranks).
#include "common.hpp"

#include <array>
#include <cstdint>
#include <list>

namespace {

double input_value(std::size_t i) { return static_cast<double>(i) * 0.5 - 3.0; }
double square_plus_one(double x) { return x * x + 1.0; }

std::vector<double> make_input(std::size_t n) {
    std::vector<double> xs(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = input_value(i);
    return xs;
}

std::vector<double> expected_results(std::size_t n) {
    std::vector<double> ys;
    for (std::size_t i = 0; i < n; ++i) ys.push_back(square_plus_one(input_value(i)));
    return ys;
}

} // namespace

TEMPLATE_LIST_TEST_CASE("map: the results of a plain loop on the root, or on every rank", "[map]", mpi_test::locals) {
    const int size = mpi_test::ranks(), me = mpi_test::rank();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 2, 3, 5, 1000, 100003);
    const int root = GENERATE_COPY(0, size - 1);
    const bool to_all = GENERATE(false, true);
    const bool others_pass_input = GENERATE(false, true);  // other ranks pass an empty range, or the same one
    INFO("local=" << TestType::name << " ranks=" << size << " n=" << n << " root=" << root << " to_all=" << to_all
                  << " others_pass_input=" << others_pass_input);
    const std::vector<double> xs = (me == root || others_pass_input) ? make_input(n) : std::vector<double>{};
    auto policy = parmap::mpi(TestType::policy()).root(root).gather_to_all(to_all);
    const std::vector<double> ys = parmap::parallel_map(policy, xs, [](const double& x) { return square_plus_one(x); });
    if (me == root || to_all) {
        CHECK(ys == expected_results(n));
    } else {
        CHECK(ys.empty());
    }
}

TEMPLATE_LIST_TEST_CASE("map: index ranges are not sent, only their bounds", "[map]", mpi_test::locals) {
    const int me = mpi_test::rank();
    const std::int64_t first = GENERATE(as<std::int64_t>{}, -7, 0, 1000000000000);
    const std::int64_t count = GENERATE(as<std::int64_t>{}, 0, 3, 4099);
    const bool everyone = GENERATE(false, true);  // every rank passes the range, or only the root
    INFO("local=" << TestType::name << " first=" << first << " count=" << count << " everyone=" << everyone);
    const auto input = (me == 0 || everyone) ? parmap::iota(first, first + count) : parmap::iota(first, first);
    auto f = [](std::int64_t i) { return 3 * i - 1; };
    const auto ys = parmap::parallel_map(parmap::mpi(TestType::policy()).gather_to_all(), input, f);
    std::vector<std::int64_t> expected;
    for (std::int64_t i = first; i < first + count; ++i) expected.push_back(f(i));
    CHECK(ys == expected);
}

TEST_CASE("map: forward ranges, plain structs, std::array, bool and non-default-constructible results", "[map]") {
    const int me = mpi_test::rank();
    const auto policy = parmap::mpi(parmap::threads.workers(2).chunk(parmap::chunks::dynamic(3))).gather_to_all();

    std::list<int> numbers;
    if (me == 0) {
        for (int i = 0; i < 37; ++i) numbers.push_back(i * i);
    }
    const std::vector<bool> odd = parmap::parallel_map(policy, numbers, [](int x) { return x % 2 == 1; });
    std::vector<bool> expected_odd;
    for (int i = 0; i < 37; ++i) expected_odd.push_back((i * i) % 2 == 1);
    CHECK(odd == expected_odd);

    struct particle {
        int id;
        float mass;
        double position[2];
    };
    std::vector<particle> particles;
    if (me == 0) {
        for (int i = 0; i < 101; ++i) particles.push_back({i, 0.5f * static_cast<float>(i), {1.0 * i, -2.0 * i}});
    }
    const auto moments = parmap::parallel_map(policy, particles, [](const particle& p) {
        return std::array<double, 3>{p.mass * p.position[0], p.mass * p.position[1], static_cast<double>(p.id)};
    });
    REQUIRE(moments.size() == 101);  // every rank has them (gather_to_all), and no collective follows in this case
    for (int i = 0; i < 101; ++i) {
        const double mass = 0.5f * static_cast<float>(i);
        CHECK(moments[static_cast<std::size_t>(i)] == std::array<double, 3>{mass * i, mass * -2.0 * i, 1.0 * i});
    }

    struct no_default {
        explicit no_default(int v) : value(v) {}
        int value;
    };
    const auto wrapped = parmap::parallel_map(policy, parmap::iota(19), [](int i) { return no_default(i * 7); });
    REQUIRE(wrapped.size() == 19);
    for (int i = 0; i < 19; ++i) CHECK(wrapped[static_cast<std::size_t>(i)].value == i * 7);
}

TEST_CASE("map: transfers above the message limit are split into point-to-point messages", "[map]") {
    const int me = mpi_test::rank(), size = mpi_test::ranks();
    const std::size_t limit = GENERATE(as<std::size_t>{}, 1, 40, 1000);  // bytes per message
    const int root = GENERATE_COPY(0, size - 1);
    INFO("message limit=" << limit << " root=" << root);
    mpi_test::small_messages scope(limit);
    const std::size_t n = 1237;
    const std::vector<double> xs = me == root ? make_input(n) : std::vector<double>{};
    const auto policy = parmap::mpi(parmap::serial).root(root);
    const auto on_root = parmap::parallel_map(policy, xs, square_plus_one);
    CHECK(on_root == (me == root ? expected_results(n) : std::vector<double>{}));
    const auto on_all = parmap::parallel_map(policy.gather_to_all(), xs, square_plus_one);
    CHECK(on_all == expected_results(n));
    const double sum = parmap::parallel_map_reduce(policy, xs, square_plus_one, 0.0, std::plus<>{});
    CHECK(sum == parmap::parallel_map_reduce(parmap::serial, make_input(n), square_plus_one, 0.0, std::plus<>{}));
}

TEST_CASE("map: .comm() runs on a sub-communicator", "[map]") {
    const int me = mpi_test::rank();
    MPI_Comm half = MPI_COMM_NULL;
    MPI_Comm_split(MPI_COMM_WORLD, me % 2, me, &half);
    int half_rank = 0;
    MPI_Comm_rank(half, &half_rank);
    const std::size_t n = me % 2 == 0 ? 50 : 70;  // each half maps its own input
    const std::vector<double> xs = half_rank == 0 ? make_input(n) : std::vector<double>{};
    const auto ys = parmap::parallel_map(parmap::mpi(parmap::serial).comm(half).gather_to_all(), xs, square_plus_one);
    CHECK(ys == expected_results(n));
    MPI_Comm_free(&half);
}

TEST_CASE("mpi_session: inside a running MPI it neither initialises nor finalises", "[session]") {
    {
        parmap::mpi_session nested;
        CHECK_FALSE(nested.owns_mpi());
        CHECK(nested.thread_level() >= MPI_THREAD_FUNNELED);
        CHECK(nested.size() == mpi_test::ranks());
        CHECK(nested.rank() == mpi_test::rank());
    }
    int finalised = 1;
    MPI_Finalized(&finalised);
    CHECK(finalised == 0);
}

TEST_CASE("timings: .timings(t) records every phase of a call on this rank", "[timings]") {
    const int me = mpi_test::rank();
    parmap::mpi_timings t;
    t.compute = -1;  // overwritten by the call
    const std::vector<double> xs = me == 0 ? make_input(20000) : std::vector<double>{};
    const double start = MPI_Wtime();
    const auto ys = parmap::parallel_map(parmap::mpi(parmap::serial).timings(t).gather_to_all(), xs, square_plus_one);
    const double elapsed = MPI_Wtime() - start;
    CHECK(ys == expected_results(20000));
    for (double phase : {t.setup, t.scatter, t.compute, t.wait, t.gather}) CHECK(phase >= 0);
    CHECK(t.setup + t.scatter + t.compute + t.wait + t.gather <= elapsed);
    const double sum = parmap::parallel_map_reduce(parmap::mpi(parmap::serial).timings(t), parmap::iota(100), input_value, 0.0,
                                                   std::plus<>{});
    CHECK(sum == parmap::parallel_map_reduce(parmap::serial, parmap::iota(100), input_value, 0.0, std::plus<>{}));
    CHECK(t.scatter >= 0);
}
