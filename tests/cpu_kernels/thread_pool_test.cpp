// The CPU pool: every task of every loop runs exactly once, whatever the task count and however late workers wake.
#include "backend/cpu/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace tally::backend::cpu {
namespace {

TEST(ThreadPool, EveryTaskRunsOnceInManyShortLoops) {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (int loop = 0; loop < 2000; ++loop) {
      const int64_t n = 1 + loop % 37;
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      pool.parallel_for(n, [&](int64_t task, int thread) {
        ASSERT_GE(thread, 0);
        ASSERT_LT(thread, threads);
        hits[static_cast<size_t>(task)].fetch_add(1);
      });
      for (int64_t t = 0; t < n; ++t) ASSERT_EQ(hits[static_cast<size_t>(t)].load(), 1) << "loop " << loop;
    }
  }
}

// Loops separated by pauses long enough that the workers go to sleep between them.
TEST(ThreadPool, WakesSleepingWorkers) {
  ThreadPool pool(2);
  for (int loop = 0; loop < 5; ++loop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::atomic<int64_t> sum{0};
    pool.parallel_for(100, [&](int64_t task, int) { sum.fetch_add(task); });
    EXPECT_EQ(sum.load(), 4950);
  }
}

// More tasks than one loop word can count: the pool runs them in rounds.
TEST(ThreadPool, VeryLargeLoopsRunInRounds) {
  ThreadPool pool(2);
  const int64_t n = (int64_t{1} << 20) + 12345;
  std::vector<uint8_t> hits(static_cast<size_t>(n), 0);
  pool.parallel_for(n, [&](int64_t task, int) { hits[static_cast<size_t>(task)] += 1; });
  int64_t ones = 0;
  for (uint8_t h : hits) ones += h == 1;
  EXPECT_EQ(ones, n);
}

}  // namespace
}  // namespace tally::backend::cpu
