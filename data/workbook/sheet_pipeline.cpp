#include "sheet_pipeline.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tally::data {

namespace {

// Batches in existence (filling, queued, being handled): what bounds the pipeline's memory.
constexpr std::size_t kBatches = 4;

// Filled batches one way, emptied ones back: a fixed pool, so the producer waits when the consumer lags.
class BatchQueue {
 public:
  BatchQueue() {
    for (std::size_t i = 0; i < kBatches; ++i) free_.push_back(std::make_unique<RowBatch>());
  }

  // Producer: an empty batch to fill, or nullptr once the consumer has stopped.
  std::unique_ptr<RowBatch> take_free() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || !free_.empty(); });
    if (stopped_) return nullptr;
    auto b = std::move(free_.front());
    free_.pop_front();
    return b;
  }
  void push(std::unique_ptr<RowBatch> b) {
    {
      std::lock_guard lock(mutex_);
      ready_.push_back(std::move(b));
    }
    changed_.notify_all();
  }
  void close(Status status) {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      status_ = std::move(status);
    }
    changed_.notify_all();
  }

  // Consumer: the next filled batch, or nullptr once the producer is done and everything was handed over.
  std::unique_ptr<RowBatch> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || closed_ || !ready_.empty(); });
    if (stopped_ || ready_.empty()) return nullptr;
    auto b = std::move(ready_.front());
    ready_.pop_front();
    return b;
  }
  void recycle(std::unique_ptr<RowBatch> b) {
    b->clear();
    {
      std::lock_guard lock(mutex_);
      free_.push_back(std::move(b));
    }
    changed_.notify_all();
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    changed_.notify_all();
  }
  // The producer's result (after it closed the queue).
  Status status() {
    std::lock_guard lock(mutex_);
    return status_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<RowBatch>> free_, ready_;
  bool stopped_ = false, closed_ = false;
  Status status_;
};

}  // namespace

Status read_sheet_pipelined(WorkbookReader& reader, std::size_t index,
                            const std::function<Status(std::int64_t row, std::span<const SheetCell> cells)>& on_row) {
  BatchQueue queue;
  std::thread worker([&] {
    Status result;
    try {
      std::unique_ptr<RowBatch> batch = queue.take_free();
      result = reader.read_sheet(index, [&](std::int64_t row, std::span<const SheetCell> cells) -> Status {
        if (!batch) return make_error("stopped by the reader of the rows");
        batch->add(row, cells);
        if (batch->full()) {
          queue.push(std::move(batch));
          batch = queue.take_free();
        }
        return {};
      });
      if (batch && !batch->rows.empty()) queue.push(std::move(batch));
    } catch (const std::exception& e) {
      result = make_error(reader.path() + ": " + e.what());
    }
    queue.close(std::move(result));
  });
  // Whatever happens below (an error, an exception from on_row), the worker is stopped and joined.
  struct Join {
    BatchQueue& queue;
    std::thread& worker;
    ~Join() {
      queue.stop();
      worker.join();
    }
  } join{queue, worker};

  while (auto batch = queue.pop()) {
    batch->seal();
    std::size_t begin = 0;
    for (const auto& r : batch->rows) {
      auto s = on_row(r.row, std::span<const SheetCell>(batch->cells.data() + begin, r.end - begin));
      begin = r.end;
      if (!s) return s;  // the consumer's error wins: the worker's "stopped" is of no interest
    }
    queue.recycle(std::move(batch));
  }
  return queue.status();
}

}  // namespace tally::data
