#include "ui/settings/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/settings/model_setup_dialog.h"

namespace tally::ui {
namespace {

void selectData(QComboBox* box, const QString& value) {
  const int i = box->findData(value);
  box->setCurrentIndex(i >= 0 ? i : 0);
}

}  // namespace

SettingsDialog::SettingsDialog(const AppSettings& settings, QWidget* parent) : QDialog(parent), base_(settings) {
  setObjectName(QStringLiteral("settingsDialog"));
  setWindowTitle(tr("Settings"));
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;

  auto* modelRow = new QHBoxLayout;
  model_ = new QLabel(settings.modelPath.isEmpty() ? tr("(none)") : settings.modelPath, this);
  model_->setWordWrap(true);
  auto* change = new QPushButton(tr("Model setup…"), this);
  modelRow->addWidget(model_, 1);
  modelRow->addWidget(change);
  form->addRow(tr("Model:"), modelRow);

  backend_ = new QComboBox(this);
  backend_->addItem(tr("Automatic"), QStringLiteral("auto"));
  backend_->addItem(tr("CPU"), QStringLiteral("cpu"));
  backend_->addItem(tr("CUDA (NVIDIA)"), QStringLiteral("cuda"));
  backend_->addItem(tr("Vulkan"), QStringLiteral("vulkan"));
  selectData(backend_, settings.backend);
  form->addRow(tr("Backend:"), backend_);

  threads_ = new QSpinBox(this);
  threads_->setRange(0, 256);
  threads_->setSpecialValueText(tr("all cores"));
  threads_->setValue(settings.threads);
  form->addRow(tr("CPU threads:"), threads_);

  context_ = new QSpinBox(this);
  context_->setRange(1024, 131072);
  context_->setSingleStep(1024);
  context_->setValue(static_cast<int>(settings.context));
  context_->setSuffix(tr(" tokens"));
  form->addRow(tr("Context size:"), context_);

  confirm_ = new QCheckBox(tr("Ask before the model runs a tool"), this);
  confirm_->setChecked(settings.confirmTools);
  form->addRow(tr("Tool calls:"), confirm_);

  language_ = new QComboBox(this);
  language_->addItem(tr("System language"), QString());
  language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
  language_->addItem(QStringLiteral("한국어"), QStringLiteral("ko"));
  selectData(language_, settings.language);
  form->addRow(tr("Language (after restart):"), language_);

  effort_ = new QComboBox(this);
  effort_->addItem(tr("low"), QStringLiteral("low"));
  effort_->addItem(tr("medium"), QStringLiteral("medium"));
  effort_->addItem(tr("high"), QStringLiteral("high"));
  selectData(effort_, settings.effort);
  form->addRow(tr("Default reasoning effort:"), effort_);
  layout->addLayout(form);

  auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  layout->addWidget(box);
  connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(change, &QPushButton::clicked, this, [this] {
    ModelSetupDialog setup(base_.modelPath, context_->value(), this);
    if (setup.exec() != QDialog::Accepted) return;
    base_.modelPath = setup.modelPath();
    context_->setValue(static_cast<int>(setup.context()));
    model_->setText(base_.modelPath.isEmpty() ? tr("(none)") : base_.modelPath);
  });
}

AppSettings SettingsDialog::settings() const {
  AppSettings s = base_;
  s.backend = backend_->currentData().toString();
  s.threads = threads_->value();
  s.context = context_->value();
  s.confirmTools = confirm_->isChecked();
  s.language = language_->currentData().toString();
  s.effort = effort_->currentData().toString();
  return s;
}

}  // namespace tally::ui
