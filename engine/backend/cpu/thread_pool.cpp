#include "backend/cpu/thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define TALLY_PAUSE() _mm_pause()
#else
#define TALLY_PAUSE() std::this_thread::yield()
#endif

namespace tally::backend::cpu {

namespace {

constexpr int kIndexBits = 20;
constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;
constexpr int64_t kMaxTasks = static_cast<int64_t>(kIndexMask);  // per loop; larger loops run in rounds
constexpr int kGenerationShift = 2 * kIndexBits;

uint64_t generation(uint64_t word) {
  return word >> kGenerationShift;
}
int64_t task_count(uint64_t word) {
  return static_cast<int64_t>((word >> kIndexBits) & kIndexMask);
}
int64_t next_task(uint64_t word) {
  return static_cast<int64_t>(word & kIndexMask);
}

}  // namespace

ThreadPool::ThreadPool(int threads) : n_threads_(threads < 1 ? 1 : threads) {
  for (int i = 1; i < n_threads_; ++i) workers_.emplace_back([this, i] { worker(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    const uint64_t g = generation(loop_.load()) + 1;
    loop_.store(g << kGenerationShift);
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::run_tasks(uint64_t word, int thread) {
  const uint64_t g = generation(word);
  // Read after the word (acquire): at least this loop's function. If a newer loop has replaced it, the
  // compare-exchange below fails, because the word's generation has moved on.
  const Fn* fn = fn_.load(std::memory_order_acquire);
  for (;;) {
    if (generation(word) != g || next_task(word) >= task_count(word)) return;
    if (loop_.compare_exchange_weak(word, word + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
      (*fn)(next_task(word), thread);
      done_.fetch_add(1, std::memory_order_release);
      word = loop_.load(std::memory_order_acquire);
    }
  }
}

void ThreadPool::run_loop(int64_t n_tasks, const Fn& fn) {
  fn_.store(&fn, std::memory_order_relaxed);
  done_.store(0, std::memory_order_relaxed);
  const uint64_t g = generation(loop_.load(std::memory_order_relaxed)) + 1;
  const uint64_t word = (g << kGenerationShift) | (static_cast<uint64_t>(n_tasks) << kIndexBits);
  // Sequentially consistent, like the workers' sleepers_ increment and re-check: either this load sees the
  // sleeper, or the sleeper's check sees the new word.
  loop_.store(word);
  if (sleepers_.load() > 0) {
    { std::lock_guard<std::mutex> lock(mutex_); }  // a worker between its check and its wait sees the new word
    wake_.notify_all();
  }
  run_tasks(word, 0);
  // The other tasks are running on workers: spin (a task is usually done within tens of microseconds), and only
  // after ~1 ms give the core away, since the worker may be waiting for it on a loaded machine.
  for (int spins = 0; done_.load(std::memory_order_acquire) != n_tasks; ++spins) {
    if (spins < 32768) {
      TALLY_PAUSE();
    } else {
      std::this_thread::yield();
    }
  }
}

void ThreadPool::parallel_for(int64_t n_tasks, const std::function<void(int64_t, int)>& fn) {
  if (n_tasks <= 0) return;
  if (n_threads_ == 1 || n_tasks == 1) {
    for (int64_t t = 0; t < n_tasks; ++t) fn(t, 0);
    return;
  }
  if (n_tasks <= kMaxTasks) {
    run_loop(n_tasks, fn);
    return;
  }
  for (int64_t first = 0; first < n_tasks; first += kMaxTasks) {
    const Fn round = [&fn, first](int64_t task, int thread) { fn(first + task, thread); };
    run_loop(std::min(kMaxTasks, n_tasks - first), round);
  }
}

void ThreadPool::worker(int index) {
  uint64_t seen = 0;  // the generation last run
  for (;;) {
    // Spin for a short while: the next loop usually starts within microseconds during a forward pass.
    const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
    uint64_t word = loop_.load(std::memory_order_acquire);
    while (generation(word) == seen && std::chrono::steady_clock::now() < spin_until) {
      for (int i = 0; i < 64; ++i) TALLY_PAUSE();
      word = loop_.load(std::memory_order_acquire);
    }
    if (generation(word) == seen) {
      sleepers_.fetch_add(1);
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation(loop_.load()) != seen; });
      sleepers_.fetch_sub(1);
      word = loop_.load(std::memory_order_acquire);
    }
    seen = generation(word);
    if (stop_) return;
    run_tasks(word, index);
  }
}

}  // namespace tally::backend::cpu
