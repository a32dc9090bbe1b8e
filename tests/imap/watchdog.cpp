// The imap tests' watchdog, a Catch2 listener (the runner is the conformance suite's shared main): a test
// case that runs longer than 60 s (a stream that hangs) aborts the run with the case's name instead of
// waiting for ctest's timeout.
#define CATCH_CONFIG_ENABLE_PAIR_STRINGMAKER
#define CATCH_CONFIG_EXTERNAL_INTERFACES  // TestEventListenerBase and CATCH_REGISTER_LISTENER outside the main's TU
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace {

class watchdog {
public:
    static watchdog& instance() {
        static watchdog w;
        return w;
    }
    void arm(const std::string& name) {
        std::lock_guard<std::mutex> lock(mutex_);
        name_ = name;
        deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        armed_ = true;
    }
    void disarm() {
        std::lock_guard<std::mutex> lock(mutex_);
        armed_ = false;
    }
    ~watchdog() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            quit_ = true;
        }
        wakeup_.notify_all();
        thread_.join();
    }

private:
    watchdog() : thread_([this] { watch(); }) {}
    void watch() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!quit_) {
            wakeup_.wait_for(lock, std::chrono::seconds(1));
            if (armed_ && std::chrono::steady_clock::now() > deadline_) {
                std::fprintf(stderr, "parmap imap tests: \"%s\" ran for over 60 s: a stream hangs\n", name_.c_str());
                std::abort();
            }
        }
    }
    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::string name_;
    std::chrono::steady_clock::time_point deadline_{};
    bool armed_ = false;
    bool quit_ = false;
    std::thread thread_;  // last: started once every other member exists
};

struct watchdog_listener : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;
    void testCaseStarting(const Catch::TestCaseInfo& info) override { watchdog::instance().arm(info.name); }
    void testCaseEnded(const Catch::TestCaseStats&) override { watchdog::instance().disarm(); }
};

} // namespace

CATCH_REGISTER_LISTENER(watchdog_listener)
