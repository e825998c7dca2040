#pragma once
// First-run (and Settings ▸ Model setup…) dialog: pick gpt-oss-20b as a GGUF file or a Hugging Face folder, choose
// the context size, and see before loading what it needs (Model::estimate reads only the file's header) against
// this computer's memory and the backends found on it.
#include <QDialog>

class QLabel;
class QLineEdit;
class QSpinBox;

namespace tally::ui {

class ModelSetupDialog : public QDialog {
  Q_OBJECT
 public:
  ModelSetupDialog(const QString& modelPath, qint64 context, QWidget* parent = nullptr);
  QString modelPath() const;
  qint64 context() const;
  QString estimateText() const;  // for tests

 public slots:
  void setModelPath(const QString& path);

 private:
  void updateEstimate();

  QLineEdit* path_;
  QSpinBox* context_;
  QLabel* estimate_;
  QLabel* backends_;
};

// What the dialog lists under "Detected": CPU threads and RAM, and GPU devices the system exposes.
QString detectedHardware();
// Total physical memory in bytes (0 when unknown).
quint64 systemMemoryBytes();

}  // namespace tally::ui
