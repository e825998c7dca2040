// The main window: three panes, hideable and remembered; the bundled sample opens on first run; a conversation
// survives a restart (a new window on the same store shows it again); File ▸ Export writes Markdown.
#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSplitter>
#include <QTest>
#include <gtest/gtest.h>

#include "fixtures.h"
#include "tally/data/store.h"
#include "ui/chart/chart_pane.h"
#include "ui/chat/chat_input.h"
#include "ui/chat/chat_pane.h"
#include "ui/document/document_pane.h"
#include "ui/main_window.h"
#include "ui/sidebar/sidebar.h"

using tally::ui::MainWindow;
using tally::ui::MainWindowOptions;

namespace {

// Each test gets its own QSettings file and store so nothing leaks into the developer's own settings.
MainWindowOptions freshProfile(const std::string& name) {
  const std::string dir = tally::testing::scratch_dir(name);
  QCoreApplication::setOrganizationName(QStringLiteral("TallyTests"));
  QCoreApplication::setApplicationName(QString::fromStdString(name));
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, QString::fromStdString(dir + "/settings"));
  MainWindowOptions o;
  o.storePath = QString::fromStdString(dir + "/tally.db");
  o.resourcesDir = QString::fromStdString(tally::testing::resources_dir());
  return o;
}

std::unique_ptr<MainWindow> open(const MainWindowOptions& o) {
  QString error;
  auto w = MainWindow::create(o, &error);
  EXPECT_NE(w, nullptr) << error.toStdString();
  return w;
}

}  // namespace

TEST(MainWindow, OpensWithThreePanesAndTheSampleDataset) {
  auto w = open(freshProfile("mw_panes"));
  ASSERT_NE(w, nullptr);
  w->resize(1300, 800);
  w->show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(w.get()));
  EXPECT_TRUE(w->sidebar()->isVisible());
  EXPECT_TRUE(w->chatPane()->isVisible());
  EXPECT_TRUE(w->documentPane()->isVisible());
  EXPECT_TRUE(w->chartPane()->isVisible());
  EXPECT_GT(w->chatPane()->width(), 200);
  // First run: the bundled sales sample is imported and shown.
  ASSERT_EQ(w->sidebar()->datasetList()->count(), 1);
  EXPECT_TRUE(w->sidebar()->datasetList()->item(0)->text().contains(QStringLiteral("sales_monthly")));
  EXPECT_GT(w->documentPane()->currentDatasetId(), 0);
  // Accessible names on the main controls.
  EXPECT_FALSE(w->sidebar()->searchBox()->accessibleName().isEmpty());
  EXPECT_FALSE(w->chatPane()->input()->accessibleName().isEmpty());
}

TEST(MainWindow, PanesHideAndTheLayoutIsRemembered) {
  const auto profile = freshProfile("mw_layout");
  {
    auto w = open(profile);
    w->show();
    w->paneAction(QStringLiteral("toggleChart"))->setChecked(false);
    EXPECT_FALSE(w->chartPane()->isVisible());
    w->close();  // saves the layout
  }
  auto again = open(profile);
  again->show();
  EXPECT_FALSE(again->paneAction(QStringLiteral("toggleChart"))->isChecked());
  EXPECT_FALSE(again->chartPane()->isVisible());
  EXPECT_TRUE(again->documentPane()->isVisible());
  // The sample is imported once, not again on the second start.
  EXPECT_EQ(again->sidebar()->datasetList()->count(), 1);
}

TEST(MainWindow, ConversationSurvivesRestart) {
  const auto profile = freshProfile("mw_restart");
  std::int64_t conv = 0;
  {
    auto w = open(profile);
    auto& store = w->store();
    conv = store.create_conversation({"Quarterly revenue", "", "{}"}).value();
    tally::data::NewMessage m;
    m.conversation_id = conv;
    m.role = "user";
    m.content = "What was revenue in Q1?";
    const auto user = store.append_message(m).value();
    m.role = "assistant";
    m.parent_id = user;
    m.channel = "final";
    m.content = "Q1 revenue was **1.2M KRW**.";
    ASSERT_TRUE(store.append_message(m).ok());
    w->sidebar()->refresh();
    ASSERT_EQ(w->sidebar()->conversationList()->count(), 1);
  }
  auto w = open(profile);
  w->show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(w.get()));
  ASSERT_EQ(w->sidebar()->conversationList()->count(), 1);
  EXPECT_EQ(w->sidebar()->conversationList()->item(0)->text(), QStringLiteral("Quarterly revenue"));
  QTest::mouseClick(w->sidebar()->conversationList()->viewport(), Qt::LeftButton, {},
                    w->sidebar()->conversationList()->visualItemRect(w->sidebar()->conversationList()->item(0)).center());
  EXPECT_EQ(w->chatPane()->conversationId(), conv);
  ASSERT_EQ(w->chatPane()->visibleAnswers().size(), 1);
  EXPECT_EQ(w->chatPane()->visibleAnswers().front(), QStringLiteral("Q1 revenue was **1.2M KRW**."));

  // Search goes through the store's full-text index.
  w->sidebar()->searchBox()->setText(QStringLiteral("revenue"));
  EXPECT_EQ(w->sidebar()->conversationList()->count(), 1);
  w->sidebar()->searchBox()->setText(QStringLiteral("zebra"));
  EXPECT_EQ(w->sidebar()->conversationList()->count(), 0);

  const QString md = QString::fromStdString(tally::testing::scratch_dir("mw_export")) + QStringLiteral("/c.md");
  ASSERT_TRUE(w->exportConversation(md));
  QFile f(md);
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  const QString text = QString::fromUtf8(f.readAll());
  EXPECT_TRUE(text.contains(QStringLiteral("# Quarterly revenue")));
  EXPECT_TRUE(text.contains(QStringLiteral("What was revenue in Q1?")));
  EXPECT_TRUE(text.contains(QStringLiteral("1.2M KRW")));
}

TEST(MainWindow, ShortcutsReachTheirControls) {
  auto w = open(freshProfile("mw_keys"));
  w->show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(w.get()));
  w->activateWindow();
  if (!QTest::qWaitForWindowActive(w.get())) GTEST_SKIP() << "the platform cannot activate windows";
  QTest::keyClick(w.get(), Qt::Key_F, Qt::ControlModifier);
  EXPECT_TRUE(w->sidebar()->searchBox()->hasFocus());
  QTest::keyClick(w.get(), Qt::Key_3, Qt::ControlModifier);
  EXPECT_FALSE(w->chartPane()->isVisible());
}

TEST(MainWindow, ChartJsonFromTheWorkerIsDrawn) {
  auto w = open(freshProfile("mw_chart"));
  w->show();
  w->showChartJson(QStringLiteral(
      R"({"type":"bar","title":"Revenue by month","x_title":"month","y_title":"revenue","y_unit":"KRW",)"
      R"("categories":["Jan","Feb"],"series":[{"name":"revenue","x":[],"y":[10,20]}]})"));
  EXPECT_EQ(w->chartPane()->spec().title, "Revenue by month");
  ASSERT_EQ(w->chartPane()->spec().series.size(), 1u);
  EXPECT_EQ(w->chartPane()->spec().series[0].y[1], 20);
}
