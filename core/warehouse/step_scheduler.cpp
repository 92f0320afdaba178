#include "core/warehouse/step_scheduler.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace dp::warehouse {
namespace {

using Clock = std::chrono::steady_clock;

/// A finished attempt as a slot reports it back to the scheduling thread.
struct Completion {
  std::size_t step = 0;
  int attempt = 0;
  AttemptResult result;
  Clock::time_point started_at;
  Clock::time_point finished_at;
};

/// Fixed threads, one per slot. The scheduling thread hands a task to a free slot and collects
/// completions; the destructor waits for attempts in flight (a database transaction cannot be
/// abandoned half-way without rolling it back anyway).
class SlotPool {
 public:
  SlotPool(std::size_t size, const AttemptFn& attempt) : attempt_(attempt), slots_(size) {
    threads_.reserve(size);
    for (std::size_t slot = 0; slot < size; ++slot) {
      threads_.emplace_back([this, slot] { work(slot); });
    }
  }

  ~SlotPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& thread : threads_) {
      thread.join();
    }
  }

  SlotPool(const SlotPool&) = delete;
  SlotPool& operator=(const SlotPool&) = delete;

  std::size_t busy() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.busy; }));
  }

  bool has_free() const { return busy() < slots_.size(); }

  /// No attempt running and no completion waiting to be collected.
  bool idle() const {
    std::lock_guard lock(mutex_);
    return completions_.empty() &&
           std::none_of(slots_.begin(), slots_.end(), [](const Slot& s) { return s.busy; });
  }

  void submit(std::size_t step, int attempt) {
    {
      std::lock_guard lock(mutex_);
      const auto free =
          std::find_if(slots_.begin(), slots_.end(), [](const Slot& s) { return !s.busy; });
      if (free == slots_.end()) {
        throw std::logic_error("step scheduler: no free slot");
      }
      free->busy = true;
      free->task = Task{step, attempt};
    }
    work_ready_.notify_all();
  }

  /// The next completion, or nothing when `deadline` passes first.
  std::optional<Completion> wait(std::optional<Clock::time_point> deadline) {
    std::unique_lock lock(mutex_);
    const auto has_completion = [this] { return !completions_.empty(); };
    if (deadline) {
      if (!done_.wait_until(lock, *deadline, has_completion)) {
        return std::nullopt;
      }
    } else {
      done_.wait(lock, has_completion);
    }
    Completion completion = std::move(completions_.front());
    completions_.pop_front();
    return completion;
  }

 private:
  struct Task {
    std::size_t step = 0;
    int attempt = 0;
  };
  struct Slot {
    bool busy = false;
    std::optional<Task> task;
  };

  void work(std::size_t slot) {
    for (;;) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stopping_ || slots_[slot].task.has_value(); });
        if (!slots_[slot].task) {
          return;
        }
        task = *slots_[slot].task;
        slots_[slot].task.reset();
      }
      Completion completion{task.step, task.attempt, {}, Clock::now(), {}};
      try {
        completion.result = attempt_(task.step, slot, task.attempt);
      } catch (const std::exception& error) {
        completion.result = AttemptResult{false, std::nullopt, error.what(), false};
      } catch (...) {
        completion.result = AttemptResult{false, std::nullopt, "unknown error", false};
      }
      completion.finished_at = Clock::now();
      {
        std::lock_guard lock(mutex_);
        completions_.push_back(std::move(completion));
        slots_[slot].busy = false;
      }
      done_.notify_all();
    }
  }

  const AttemptFn& attempt_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable done_;
  std::vector<Slot> slots_;
  std::deque<Completion> completions_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

/// A retry waiting for its delay to pass.
struct PendingRetry {
  Clock::time_point due;
  std::size_t step = 0;
  int attempt = 0;
};

/// The scheduling state of one run; all of it lives on the calling thread.
class Run {
 public:
  Run(const StepGraph& graph, const SchedulerOptions& options, const SchedulerHooks& hooks)
      : graph_(graph),
        options_(options),
        hooks_(hooks),
        outcomes_(graph.size()),
        waiting_(graph.size()),
        remaining_(graph.size()) {
    for (std::size_t step = 0; step < graph.size(); ++step) {
      waiting_[step] = graph.dependencies(step).size();
      if (waiting_[step] == 0) {
        ready_.insert(step);
      }
    }
  }

  std::vector<StepOutcome> execute(SlotPool& pool) {
    for (;;) {
      dispatch(pool);
      if (remaining_ == 0) {
        break;
      }
      std::optional<Clock::time_point> deadline;
      if (!retries_.empty()) {
        deadline = earliest_retry();
      }
      if (pool.idle() && !deadline) {
        throw std::logic_error("step scheduler: steps left but none can start");
      }
      if (auto completion = pool.wait(deadline)) {
        finish(*completion);
      }
    }
    return std::move(outcomes_);
  }

 private:
  Clock::time_point earliest_retry() const {
    return std::min_element(retries_.begin(), retries_.end(),
                            [](const auto& a, const auto& b) { return a.due < b.due; })
        ->due;
  }

  /// Starts what can start. Completions already in are taken first, each time, so a step made
  /// ready by one that just finished is considered together with the steps ready before.
  void dispatch(SlotPool& pool) {
    for (;;) {
      while (auto completion = pool.wait(Clock::now())) {
        finish(*completion);
      }
      if (remaining_ == 0 || !pool.has_free()) {
        return;
      }
      const auto now = Clock::now();
      // A due retry goes first: its step was ready before anything in ready_.
      const auto due = std::find_if(retries_.begin(), retries_.end(),
                                    [&](const PendingRetry& retry) { return retry.due <= now; });
      if (due != retries_.end()) {
        const PendingRetry retry = *due;
        retries_.erase(due);
        start(pool, retry.step, retry.attempt);
      } else if (!ready_.empty()) {
        const std::size_t step = *ready_.begin();
        ready_.erase(ready_.begin());
        start(pool, step, 1);
      } else {
        return;
      }
    }
  }

  void start(SlotPool& pool, std::size_t step, int attempt) {
    outcomes_[step].attempts = attempt;
    if (hooks_.before_attempt) {
      hooks_.before_attempt(step, attempt);
    }
    pool.submit(step, attempt);
  }

  void finish(const Completion& completion) {
    const std::size_t step = completion.step;
    auto& outcome = outcomes_[step];
    outcome.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        completion.finished_at - completion.started_at);
    outcome.started_at = completion.started_at;
    outcome.finished_at = completion.finished_at;
    outcome.rows_affected = completion.result.rows_affected;
    outcome.error = completion.result.error;
    if (completion.result.succeeded) {
      outcome.status = StepStatus::kSucceeded;
      finalize(step);
      for (const std::size_t dependent : graph_.dependents(step)) {
        if (--waiting_[dependent] == 0) {
          ready_.insert(dependent);
        }
      }
      return;
    }
    if (completion.result.transient && completion.attempt <= options_.retries) {
      retries_.push_back({Clock::now() + options_.retry_delay, step, completion.attempt + 1});
      if (hooks_.on_retry) {
        hooks_.on_retry(step, completion.attempt, completion.result);
      }
      return;
    }
    outcome.status = StepStatus::kFailed;
    finalize(step);
    for (const std::size_t dependent : graph_.all_dependents(step)) {
      auto& skipped = outcomes_[dependent];
      if (skipped.status != StepStatus::kPending) {
        continue;  // already skipped through another failed dependency
      }
      skipped.status = StepStatus::kSkipped;
      skipped.error = fmt::format("not run: step {} failed", graph_.name(step));
      finalize(dependent);
    }
  }

  void finalize(std::size_t step) {
    --remaining_;
    if (hooks_.on_outcome) {
      hooks_.on_outcome(step, outcomes_[step]);
    }
  }

  const StepGraph& graph_;
  const SchedulerOptions& options_;
  const SchedulerHooks& hooks_;
  std::vector<StepOutcome> outcomes_;
  std::vector<std::size_t> waiting_;
  std::size_t remaining_;
  std::set<std::size_t> ready_;
  std::vector<PendingRetry> retries_;
};

}  // namespace

const char* to_string(StepStatus status) {
  switch (status) {
    case StepStatus::kPending:
      return "pending";
    case StepStatus::kSucceeded:
      return "succeeded";
    case StepStatus::kFailed:
      return "failed";
    case StepStatus::kSkipped:
      return "skipped";
  }
  return "failed";
}

std::vector<StepOutcome> run_steps(const StepGraph& graph, const SchedulerOptions& options,
                                   const AttemptFn& attempt, const SchedulerHooks& hooks) {
  if (graph.size() == 0) {
    return {};
  }
  Run run(graph, options, hooks);
  SlotPool pool(std::clamp<std::size_t>(options.parallelism, 1, graph.size()), attempt);
  return run.execute(pool);
}

}  // namespace dp::warehouse
