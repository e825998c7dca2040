#pragma once
// The user's preferences, persisted with QSettings (per user, not per store: the model file and the language belong
// to the computer, the store holds the data). One struct so the dialogs and main() agree on keys and defaults.
#include <QString>

namespace tally::ui {

struct AppSettings {
  QString modelPath;                      // a GGUF file or a Hugging Face folder; empty: not configured
  QString backend = QStringLiteral("auto");  // auto | cpu | cuda | vulkan
  int threads = 0;                        // 0: all cores
  qint64 context = 8192;
  bool confirmTools = false;              // ask before each tool call
  QString language;                       // "" follows the system locale; "en" | "ko"
  QString effort = QStringLiteral("medium");

  static AppSettings load();
  void save() const;
};

// "ko" or "en": the saved choice, else the system locale's language when Tally has it, else English.
QString effectiveLanguage(const AppSettings& settings);

}  // namespace tally::ui
