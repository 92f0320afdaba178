#include "core/warehouse/step_scheduler.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>

using dp::warehouse::AttemptResult;
using dp::warehouse::SchedulerHooks;
using dp::warehouse::SchedulerOptions;
using dp::warehouse::StepGraph;
using dp::warehouse::StepOutcome;
using dp::warehouse::StepSpec;
using dp::warehouse::StepStatus;
using namespace std::chrono_literals;

namespace {

StepSpec step(const std::string& name, std::vector<std::string> depends_on = {}) {
  StepSpec spec;
  spec.name = name;
  spec.depends_on = std::move(depends_on);
  return spec;
}

AttemptResult ok(std::int64_t rows) {
  return AttemptResult{true, rows, {}, false};
}

/// Records, per step, the attempts made and the threads (slots) they ran on.
struct Recorder {
  std::mutex mutex;
  std::vector<std::pair<std::size_t, int>> attempts;
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};

  void enter(std::size_t step, int attempt) {
    {
      std::lock_guard lock(mutex);
      attempts.emplace_back(step, attempt);
    }
    const int now = ++running;
    int seen = max_running.load();
    while (now > seen && !max_running.compare_exchange_weak(seen, now)) {
    }
  }
  void leave() { --running; }
};

}  // namespace

TEST_CASE("independent steps overlap on parallel slots and a step waits for all its dependencies") {
  const StepGraph graph({step("root"), step("left", {"root"}), step("right", {"root"}),
                         step("join", {"left", "right"})});
  Recorder recorder;
  SchedulerOptions options;
  options.parallelism = 2;
  const auto outcomes = run_steps(graph, options,
                                  [&](std::size_t s, std::size_t, int attempt) {
                                    recorder.enter(s, attempt);
                                    std::this_thread::sleep_for(s == 1 || s == 2 ? 300ms : 10ms);
                                    recorder.leave();
                                    return ok(static_cast<std::int64_t>(s));
                                  },
                                  {});
  REQUIRE(outcomes.size() == 4);
  for (const auto& outcome : outcomes) {
    CHECK(outcome.status == StepStatus::kSucceeded);
    CHECK(outcome.attempts == 1);
  }
  CHECK(recorder.max_running == 2);
  // left and right overlap; join starts after both ended, root ended before both started.
  CHECK(outcomes[1].started_at < outcomes[2].finished_at);
  CHECK(outcomes[2].started_at < outcomes[1].finished_at);
  CHECK(outcomes[3].started_at >= outcomes[1].finished_at);
  CHECK(outcomes[3].started_at >= outcomes[2].finished_at);
  CHECK(outcomes[0].finished_at <= outcomes[1].started_at);
  CHECK(outcomes[2].rows_affected == 2);
}

TEST_CASE("with one slot the steps run one at a time in dependency then manifest order") {
  const StepGraph graph({step("c", {"b"}), step("a"), step("b"), step("d")});
  Recorder recorder;
  SchedulerOptions options;
  options.parallelism = 1;
  run_steps(graph, options,
            [&](std::size_t s, std::size_t slot, int attempt) {
              CHECK(slot == 0);
              recorder.enter(s, attempt);
              recorder.leave();
              return ok(0);
            },
            {});
  CHECK(recorder.max_running == 1);
  std::string order;
  for (const auto& [s, attempt] : recorder.attempts) {
    order += graph.name(s) + std::to_string(attempt) + " ";
  }
  CHECK(order == "a1 b1 c1 d1 ");
}

TEST_CASE("a failed step skips everything that depends on it while the other steps finish") {
  const StepGraph graph(
      {step("a"), step("bad", {"a"}), step("independent", {"a"}), step("after_bad", {"bad"}),
       step("after_both", {"after_bad", "independent"}), step("late", {"independent"})});
  std::vector<std::string> outcome_order;
  SchedulerHooks hooks;
  hooks.on_outcome = [&](std::size_t s, const StepOutcome&) {
    outcome_order.push_back(graph.name(s));
  };
  SchedulerOptions options;
  options.parallelism = 2;
  options.retries = 3;
  std::atomic<int> calls{0};
  const auto outcomes = run_steps(
      graph, options,
      [&](std::size_t s, std::size_t, int) {
        ++calls;
        if (s == 1) {
          return AttemptResult{false, std::nullopt, "ERROR: division by zero", false};
        }
        if (s == 2) {
          std::this_thread::sleep_for(100ms);
        }
        return ok(1);
      },
      hooks);
  CHECK(outcomes[0].status == StepStatus::kSucceeded);
  CHECK(outcomes[1].status == StepStatus::kFailed);
  CHECK(outcomes[1].attempts == 1);  // not transient: no retry
  CHECK(outcomes[1].error == "ERROR: division by zero");
  CHECK(outcomes[2].status == StepStatus::kSucceeded);
  CHECK(outcomes[3].status == StepStatus::kSkipped);
  CHECK(outcomes[3].error == "not run: step bad failed");
  CHECK(outcomes[3].attempts == 0);
  CHECK(outcomes[4].status == StepStatus::kSkipped);
  CHECK(outcomes[5].status == StepStatus::kSucceeded);
  CHECK(calls == 4);
  CHECK(outcome_order.size() == 6);
}

TEST_CASE("transient failures are retried after the delay, up to the configured retries") {
  const StepGraph graph({step("flaky"), step("doomed"), step("after_flaky", {"flaky"})});
  SchedulerOptions options;
  options.parallelism = 2;
  options.retries = 2;
  options.retry_delay = 150ms;
  std::vector<std::pair<std::size_t, int>> retried;
  std::vector<std::pair<std::size_t, int>> started;
  SchedulerHooks hooks;
  hooks.before_attempt = [&](std::size_t s, int attempt) { started.emplace_back(s, attempt); };
  hooks.on_retry = [&](std::size_t s, int attempt, const AttemptResult& result) {
    CHECK(result.transient);
    retried.emplace_back(s, attempt);
  };
  const auto begin = std::chrono::steady_clock::now();
  const auto outcomes = run_steps(
      graph, options,
      [&](std::size_t s, std::size_t, int attempt) {
        if (s == 0 && attempt == 1) {
          return AttemptResult{false, std::nullopt, "server closed the connection", true};
        }
        if (s == 1) {
          return AttemptResult{false, std::nullopt, "deadlock detected", true};
        }
        return ok(5);
      },
      hooks);
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  CHECK(outcomes[0].status == StepStatus::kSucceeded);
  CHECK(outcomes[0].attempts == 2);
  CHECK(outcomes[1].status == StepStatus::kFailed);
  CHECK(outcomes[1].attempts == 3);  // the first attempt and two retries
  CHECK(outcomes[1].error == "deadlock detected");
  CHECK(outcomes[2].status == StepStatus::kSucceeded);
  CHECK(elapsed >= 300ms);  // doomed waited twice
  const std::vector<std::pair<std::size_t, int>> expected_retries{{0, 1}, {1, 1}, {1, 2}};
  std::sort(retried.begin(), retried.end());
  CHECK(retried == expected_retries);
  CHECK(started.size() == 6);
}

TEST_CASE("an exception escaping an attempt fails that step without a retry") {
  const StepGraph graph({step("throws")});
  SchedulerOptions options;
  options.retries = 5;
  const auto outcomes = run_steps(
      graph, options,
      [](std::size_t, std::size_t, int) -> AttemptResult { throw std::runtime_error("boom"); }, {});
  CHECK(outcomes[0].status == StepStatus::kFailed);
  CHECK(outcomes[0].attempts == 1);
  CHECK(outcomes[0].error == "boom");
}

TEST_CASE("an exception from a hook is rethrown after the steps in flight have finished") {
  const StepGraph graph({step("fast"), step("slow"), step("next", {"fast"})});
  SchedulerOptions options;
  options.parallelism = 2;
  std::atomic<bool> slow_finished{false};
  SchedulerHooks hooks;
  hooks.on_outcome = [&](std::size_t s, const StepOutcome&) {
    if (s == 0) {
      throw std::runtime_error("bookkeeping connection lost");
    }
  };
  CHECK_THROWS_WITH(run_steps(
                        graph, options,
                        [&](std::size_t s, std::size_t, int) {
                          if (s == 1) {
                            std::this_thread::sleep_for(300ms);
                            slow_finished = true;
                          } else {
                            std::this_thread::sleep_for(50ms);  // both are in flight
                          }
                          return ok(0);
                        },
                        hooks),
                    "bookkeeping connection lost");
  CHECK(slow_finished);
}

TEST_CASE("an empty graph runs nothing") {
  const StepGraph graph(std::vector<StepSpec>{});
  CHECK(run_steps(graph, {}, [](std::size_t, std::size_t, int) { return ok(0); }, {}).empty());
}
