#pragma once
// A fixed pool of worker threads for the CPU backend's data-parallel loops. Decode runs a few hundred short
// parallel loops per token, so idle workers spin briefly before sleeping: waking a sleeping thread costs tens of
// microseconds, which would add up to several milliseconds per token.
//
// A loop ends when all its tasks are done, not when every worker has checked in: on a loaded machine a descheduled
// worker would otherwise hold the caller (spinning on the only core left) until the scheduler ran it again. A worker
// that wakes late finds every task claimed and does nothing.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tally::backend::cpu {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);  // total threads including the caller
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return n_threads_; }
  // Runs fn(task, thread) for task in [0, n_tasks); tasks are handed out dynamically. Blocks until all are done.
  void parallel_for(int64_t n_tasks, const std::function<void(int64_t task, int thread)>& fn);

 private:
  using Fn = std::function<void(int64_t, int)>;
  void run_loop(int64_t n_tasks, const Fn& fn);
  void worker(int index);
  void run_tasks(uint64_t word, int thread);

  int n_threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  // The current loop as one word: generation (24 bits) | task count (20 bits) | next task (20 bits). Claiming a
  // task is a compare-exchange on the whole word, so a worker can only run a task of the loop whose function it read.
  std::atomic<uint64_t> loop_{0};
  std::atomic<const Fn*> fn_{nullptr};
  std::atomic<int64_t> done_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace tally::backend::cpu
