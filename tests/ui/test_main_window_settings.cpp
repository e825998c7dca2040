// Model setup and settings: the estimate comes from the model file's header before anything loads, bad paths are
// explained, and the choices persist in QSettings.
#include <QCoreApplication>
#include <QSettings>
#include <gtest/gtest.h>

#include "fixtures.h"
#include "ui/settings/app_settings.h"
#include "ui/settings/model_setup_dialog.h"
#include "ui/settings/settings_dialog.h"

namespace {

void isolatedSettings(const std::string& name) {
  const std::string dir = tally::testing::scratch_dir(name);
  QCoreApplication::setOrganizationName(QStringLiteral("TallyTests"));
  QCoreApplication::setApplicationName(QString::fromStdString(name));
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, QString::fromStdString(dir + "/settings"));
}

}  // namespace

TEST(ModelSetup, EstimatesMemoryFromTheModelHeader) {
  const std::string gguf = tally::testing::tiny_synth_gguf();
  if (gguf.empty()) GTEST_SKIP() << "the tiny model could not be generated";
  tally::ui::ModelSetupDialog dialog(QString(), 4096);
  dialog.setModelPath(QString::fromStdString(gguf));
  EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("GiB"))) << dialog.estimateText().toStdString();
  EXPECT_EQ(dialog.context(), 4096);
}

TEST(ModelSetup, ExplainsAnUnreadableModel) {
  tally::ui::ModelSetupDialog dialog(QString(), 8192);
  EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("Pick a model")));
  dialog.setModelPath(QStringLiteral("/nonexistent/gpt-oss-20b.gguf"));
  EXPECT_TRUE(dialog.estimateText().startsWith(QStringLiteral("Cannot read the model")))
      << dialog.estimateText().toStdString();
  EXPECT_FALSE(tally::ui::detectedHardware().isEmpty());
}

TEST(AppSettings, PersistAndComeBack) {
  isolatedSettings("settings_persist");
  tally::ui::AppSettings s;
  s.modelPath = QStringLiteral("/models/gpt-oss-20b.gguf");
  s.backend = QStringLiteral("cpu");
  s.threads = 6;
  s.context = 16384;
  s.confirmTools = true;
  s.language = QStringLiteral("ko");
  s.effort = QStringLiteral("high");
  s.save();
  const auto back = tally::ui::AppSettings::load();
  EXPECT_EQ(back.modelPath, s.modelPath);
  EXPECT_EQ(back.backend, QStringLiteral("cpu"));
  EXPECT_EQ(back.threads, 6);
  EXPECT_EQ(back.context, 16384);
  EXPECT_TRUE(back.confirmTools);
  EXPECT_EQ(tally::ui::effectiveLanguage(back), QStringLiteral("ko"));
  EXPECT_EQ(back.effort, QStringLiteral("high"));

  tally::ui::SettingsDialog dialog(back);
  const auto edited = dialog.settings();  // unchanged dialog returns what it was given
  EXPECT_EQ(edited.backend, QStringLiteral("cpu"));
  EXPECT_EQ(edited.language, QStringLiteral("ko"));
  EXPECT_EQ(edited.effort, QStringLiteral("high"));
}
