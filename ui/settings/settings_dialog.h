#pragma once
// Settings ▸ Preferences: model (through ModelSetupDialog), backend, threads, context, tool-call confirmation,
// language (applies on restart) and the default reasoning effort. Edits a copy; the caller saves on accept.
#include <QDialog>

#include "ui/settings/app_settings.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace tally::ui {

class SettingsDialog : public QDialog {
  Q_OBJECT
 public:
  explicit SettingsDialog(const AppSettings& settings, QWidget* parent = nullptr);
  AppSettings settings() const;

 private:
  AppSettings base_;
  QLabel* model_;
  QComboBox* backend_;
  QSpinBox* threads_;
  QSpinBox* context_;
  QCheckBox* confirm_;
  QComboBox* language_;
  QComboBox* effort_;
};

}  // namespace tally::ui
