// EngineWorker on a real QThread: the UI's side of the contract (queued slots in, signals out), with the tiny model
// (real engine) and with a scripted stream (tools and charts). A 10 ms timer on the main thread measures the longest
// event-loop gap while the worker loads and generates.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "../copilot/copilot_fixture.h"
#include "copilot/chart_spec.h"
#include "copilot/scripted_generator.h"
#include "worker/engine_worker.h"

namespace tally::app {
namespace {

// Records the longest gap between ticks of a 10 ms timer on the calling (UI) thread.
class StallProbe : public QObject {
 public:
  StallProbe() {
    timer_.setInterval(10);
    QObject::connect(&timer_, &QTimer::timeout, this, [this] {
      if (clock_.isValid()) longest_ = std::max(longest_, clock_.elapsed());
      clock_.restart();
    });
    timer_.start();
  }
  qint64 longest_ms() const { return longest_; }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 longest_ = 0;
};

// The worker emits on its own thread, and QSignalSpy records at once: a signal that came before the wait started is
// already in the spy, and QSignalSpy::wait() would wait for a second one (a flaky timeout on a loaded machine).
bool arrived(QSignalSpy& spy, int ms) { return !spy.isEmpty() || spy.wait(ms); }

// A worker on its own thread, joined on destruction.
struct WorkerThread {
  QThread thread;
  EngineWorker* worker;
  explicit WorkerThread(const QString& store, std::unique_ptr<TextGenerator> generator = nullptr)
      : worker(new EngineWorker(store)) {
    if (generator) worker->setGeneratorForTesting(std::move(generator));
    worker->moveToThread(&thread);
    QObject::connect(&thread, &QThread::started, worker, &EngineWorker::start);
    QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
  }
  bool start() {
    QSignalSpy ready(worker, &EngineWorker::ready);
    thread.start();
    return arrived(ready, 30000);
  }
  ~WorkerThread() {
    worker->stop();
    thread.quit();
    thread.wait();
  }
  template <typename F>
  void post(F f) {
    QMetaObject::invokeMethod(worker, std::move(f), Qt::QueuedConnection);
  }
};

std::string store_path(const std::string& name) { return testing::scratch_dir(name) + "/tally.db"; }


constexpr const char* kSqlThenChart = R"(<|channel|>analysis<|message|>Units per region.<|end|>
<|start|>assistant<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{"sql":"SELECT region, SUM(units) AS units FROM \"{table}\" GROUP BY region ORDER BY region"}<|call|>
---
<|channel|>commentary to=functions.make_chart <|constrain|>json<|message|>{"type":"bar","sql":"SELECT region, SUM(units) AS units FROM \"{table}\" GROUP BY region ORDER BY region","x":"region","y":["units"],"title":"Units by region"}<|call|>
---
<|channel|>final<|message|>Units by region are drawn.<|return|>
)";

TEST(EngineWorker, ScriptedTurnDrivesSqlQueryAndMakeChartThroughSignals) {
  auto sample = testing::sample_store("worker_chart");
  ASSERT_TRUE(sample.store);
  auto tokenizer = testing::bundled_tokenizer();
  ASSERT_TRUE(tokenizer);
  auto gen = std::make_unique<ScriptedGenerator>(tokenizer, testing::replace_all(kSqlThenChart, "{table}", sample.table));
  WorkerThread w(QString::fromStdString(sample.path), std::move(gen));
  ASSERT_TRUE(w.start());
  QSignalSpy created(w.worker, &EngineWorker::conversationCreated);
  QSignalSpy tools(w.worker, &EngineWorker::toolFinished);
  QSignalSpy charts(w.worker, &EngineWorker::chartReady);
  QSignalSpy deltas(w.worker, &EngineWorker::messageDelta);
  QSignalSpy finished(w.worker, &EngineWorker::turnFinished);
  QSignalSpy failed(w.worker, &EngineWorker::turnFailed);
  EngineWorker* worker = w.worker;
  w.post([worker] { worker->send(0, QStringLiteral("Units per region?"), QStringLiteral("low")); });
  ASSERT_TRUE(arrived(finished, 20000)) << (failed.isEmpty() ? "" : failed.first().at(1).toString().toStdString());
  ASSERT_EQ(created.size(), 1);
  EXPECT_EQ(tools.size(), 2);
  ASSERT_EQ(charts.size(), 1);
  std::string error;
  auto spec = chart_spec_from_json(nlohmann::json::parse(charts.first().at(1).toString().toStdString()), &error);
  ASSERT_TRUE(spec) << error;
  ASSERT_EQ(spec->series.size(), 1u);
  auto q = sample.store->db().prepare("SELECT region, SUM(units) FROM \"" + sample.table +
                                      "\" GROUP BY region ORDER BY region");
  ASSERT_TRUE(q.ok());
  std::size_t i = 0;
  for (auto row = q->step(); row.ok() && *row; row = q->step(), ++i) {
    ASSERT_LT(i, spec->categories.size());
    EXPECT_EQ(spec->categories[i], q->column_text(0));
    EXPECT_DOUBLE_EQ(spec->series[0].y[i], q->column_double(1));
  }
  EXPECT_EQ(i, spec->categories.size());
  QString streamed;
  const qint64 final_id = finished.first().at(1).toLongLong();
  for (const auto& d : deltas)
    if (d.at(0).toLongLong() == final_id) streamed += d.at(1).toString();
  EXPECT_EQ(streamed, QStringLiteral("Units by region are drawn."));
  const auto stats = nlohmann::json::parse(finished.first().at(2).toString().toStdString());
  EXPECT_EQ(stats["steps"], 3);
  EXPECT_FALSE(stats["stopped"].get<bool>());
}

TEST(EngineWorker, ConfirmationIsAskedAndAnsweredThroughTheContract) {
  auto sample = testing::sample_store("worker_confirm");
  ASSERT_TRUE(sample.store);
  auto gen = std::make_unique<ScriptedGenerator>(
      testing::bundled_tokenizer(),
      "<|channel|>commentary to=functions.list_datasets <|constrain|>json<|message|>{}<|call|>\n---\n"
      "<|channel|>final<|message|>done<|return|>");
  WorkerThread w(QString::fromStdString(sample.path), std::move(gen));
  ASSERT_TRUE(w.start());
  EngineWorker* worker = w.worker;
  QObject::connect(worker, &EngineWorker::toolConfirmationNeeded, worker,
                   [worker](qint64 id, const QString&, const QString&) { worker->confirmToolCall(id, false); },
                   Qt::DirectConnection);
  QSignalSpy asked(worker, &EngineWorker::toolConfirmationNeeded);
  QSignalSpy tools(worker, &EngineWorker::toolFinished);
  QSignalSpy finished(worker, &EngineWorker::turnFinished);
  w.post([worker] {
    worker->setConfirmTools(true);
    worker->send(0, QStringLiteral("list"), QStringLiteral("medium"));
  });
  ASSERT_TRUE(arrived(finished, 20000));
  EXPECT_EQ(asked.size(), 1);
  ASSERT_EQ(tools.size(), 1);
  EXPECT_TRUE(tools.first().at(5).toString().contains(QStringLiteral("declined")));
}

// The tiny fixture model, synthesized by tally-cli (no ../shared needed).
std::string tiny_model() { return testing::tiny_synth_gguf(); }

TEST(EngineWorker, TinyModelLoadsStreamsAndPersistsWithoutStallingTheUi) {
  const std::string model = tiny_model();
  ASSERT_FALSE(model.empty()) << "tally-cli synth could not make the tiny model";
  const std::string db = store_path("worker_tiny");
  qint64 conversation = 0;
  {
    WorkerThread w(QString::fromStdString(db));
    ASSERT_TRUE(w.start());
    StallProbe probe;
    QSignalSpy progress(w.worker, &EngineWorker::loadProgress);
    QSignalSpy loaded(w.worker, &EngineWorker::modelLoaded);
    QSignalSpy load_failed(w.worker, &EngineWorker::modelLoadFailed);
    EngineWorker* worker = w.worker;
    const QString path = QString::fromStdString(model);
    w.post([worker, path] {
      ModelSettings s;
      s.backend = QStringLiteral("cpu");
      s.context = 4096;
      worker->loadModel(path, s);
    });
    ASSERT_TRUE(arrived(loaded, 60000)) << (load_failed.isEmpty() ? "" : load_failed.first().at(0).toString().toStdString());
    EXPECT_FALSE(progress.isEmpty());
    QSignalSpy created(worker, &EngineWorker::conversationCreated);
    QSignalSpy started(worker, &EngineWorker::messageStarted);
    QSignalSpy deltas(worker, &EngineWorker::messageDelta);
    QSignalSpy finished(worker, &EngineWorker::turnFinished);
    QSignalSpy failed(worker, &EngineWorker::turnFailed);
    w.post([worker] {
      worker->setMaxTokens(48);
      worker->send(0, QStringLiteral("Hello"), QStringLiteral("low"));
    });
    ASSERT_TRUE(arrived(finished, 60000)) << (failed.isEmpty() ? "" : failed.first().at(1).toString().toStdString());
    ASSERT_EQ(created.size(), 1);
    conversation = created.first().at(0).toLongLong();
    EXPECT_FALSE(started.isEmpty()) << "the reply was announced message by message";
    EXPECT_FALSE(deltas.isEmpty()) << "its text was streamed";
    const auto stats = nlohmann::json::parse(finished.first().at(2).toString().toStdString());
    EXPECT_GT(stats["tokens"].get<int>(), 0);
    EXPECT_GT(stats["prompt_tokens"].get<int>(), 0);
    EXPECT_LE(probe.longest_ms(), 50) << "the UI thread stalled during load or generation";
  }
  // A fresh connection, as after a restart: the conversation and the whole turn are there.
  auto reopened = data::Store::open(db);
  ASSERT_TRUE(reopened.ok());
  auto messages = reopened->messages(conversation);
  ASSERT_TRUE(messages.ok());
  ASSERT_GE(messages->size(), 2u);
  EXPECT_EQ(messages->front().role, "user");
  EXPECT_EQ(messages->front().content, "Hello");
  EXPECT_EQ(messages->back().role, "assistant");
}

TEST(EngineWorker, StopEndsALongGenerationWithin100Ms) {
  const std::string model = tiny_model();
  ASSERT_FALSE(model.empty());
  WorkerThread w(QString::fromStdString(store_path("worker_stop")));
  ASSERT_TRUE(w.start());
  EngineWorker* worker = w.worker;
  QSignalSpy loaded(worker, &EngineWorker::modelLoaded);
  const QString path = QString::fromStdString(model);
  w.post([worker, path] {
    ModelSettings s;
    s.backend = QStringLiteral("cpu");
    s.context = 4096;
    worker->loadModel(path, s);
  });
  ASSERT_TRUE(arrived(loaded, 60000));
  QSignalSpy finished(worker, &EngineWorker::turnFinished);
  QSignalSpy failed(worker, &EngineWorker::turnFailed);
  QSignalSpy created(worker, &EngineWorker::conversationCreated);
  // A first short turn fills the cache with the long system/developer prefix, so the follow-up's prefill is short
  // and the stop below lands in decoding (prefill is cancelled per chunk, decoding per token).
  w.post([worker] {
    worker->setMaxTokens(2);
    worker->send(0, QStringLiteral("Hi"), QStringLiteral("high"));
  });
  ASSERT_TRUE(arrived(finished, 60000)) << (failed.isEmpty() ? "" : failed.first().at(1).toString().toStdString());
  ASSERT_EQ(created.size(), 1);
  const qint64 conversation = created.first().at(0).toLongLong();
  finished.clear();
  QSignalSpy processed(worker, &EngineWorker::promptProcessed);
  w.post([worker, conversation] {
    worker->setMaxTokens(1'000'000);
    worker->send(conversation, QStringLiteral("Write forever"), QStringLiteral("high"));
  });
  ASSERT_TRUE(arrived(processed, 30000));
  QTest::qWait(100);  // decoding
  ASSERT_TRUE(failed.isEmpty()) << failed.first().at(1).toString().toStdString();
  ASSERT_TRUE(finished.isEmpty()) << "the generation ended before it could be stopped";
  QElapsedTimer clock;
  clock.start();
  worker->stop();
  ASSERT_TRUE(arrived(finished, 5000));
  EXPECT_LE(clock.elapsed(), 100) << "stop() to turnFinished; stats " << finished.first().at(2).toString().toStdString();
  const auto stats = nlohmann::json::parse(finished.first().at(2).toString().toStdString());
  EXPECT_TRUE(stats["stopped"].get<bool>());
  EXPECT_GT(stats["tokens"].get<int>(), 0) << "the stop landed in decoding; stats " << stats.dump();
  EXPECT_GT(stats["prompt_reused"].get<int>(), 1000) << "the follow-up reused the cached prefix";
}

TEST(EngineWorker, CancelLoadReportsFailure) {
  const std::string model = tiny_model();
  ASSERT_FALSE(model.empty());
  WorkerThread w(QString::fromStdString(store_path("worker_cancel")));
  ASSERT_TRUE(w.start());
  EngineWorker* worker = w.worker;
  QSignalSpy failed(worker, &EngineWorker::modelLoadFailed);
  QSignalSpy loaded(worker, &EngineWorker::modelLoaded);
  const QString path = QString::fromStdString(model);
  // Cancelled from inside the first progress report: the load must give up rather than finish.
  QObject::connect(worker, &EngineWorker::loadProgress, worker, [worker](float) { worker->cancelLoad(); },
                   Qt::DirectConnection);
  w.post([worker, path] { worker->loadModel(path, ModelSettings{}); });
  ASSERT_TRUE(arrived(failed, 60000) || !loaded.isEmpty());
  EXPECT_TRUE(loaded.isEmpty());
  EXPECT_EQ(failed.size(), 1);
}

TEST(EngineWorker, SendWithoutAModelExplainsHowToGetOne) {
  WorkerThread w(QString::fromStdString(store_path("worker_nomodel")));
  ASSERT_TRUE(w.start());
  EngineWorker* worker = w.worker;
  QSignalSpy failed(worker, &EngineWorker::turnFailed);
  w.post([worker] { worker->send(0, QStringLiteral("hi"), QStringLiteral("low")); });
  ASSERT_TRUE(arrived(failed, 30000));
  EXPECT_TRUE(failed.first().at(1).toString().contains(QStringLiteral("gpt-oss-20b")));
}

}  // namespace
}  // namespace tally::app
