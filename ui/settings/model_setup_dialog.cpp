#include "ui/settings/model_setup_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include "tally/engine.h"

namespace tally::ui {
namespace {

QString gib(quint64 bytes) { return QString::number(static_cast<double>(bytes) / (1024.0 * 1024 * 1024), 'f', 1); }

}  // namespace

quint64 systemMemoryBytes() {
  QFile f(QStringLiteral("/proc/meminfo"));
  if (!f.open(QIODevice::ReadOnly)) return 0;
  const QList<QByteArray> lines = f.readAll().split('\n');
  for (const QByteArray& line : lines) {
    if (!line.startsWith("MemTotal:")) continue;
    const QList<QByteArray> parts = line.simplified().split(' ');
    if (parts.size() >= 2) return parts[1].toULongLong() * 1024;
  }
  return 0;
}

QString detectedHardware() {
  QStringList found;
  found << ModelSetupDialog::tr("CPU (%n thread(s))", nullptr, QThread::idealThreadCount());
  if (QFileInfo::exists(QStringLiteral("/dev/nvidiactl")) || QFileInfo::exists(QStringLiteral("/dev/nvidia0")))
    found << ModelSetupDialog::tr("NVIDIA GPU (CUDA)");
  if (!QDir(QStringLiteral("/dev/dri")).entryList({QStringLiteral("renderD*")}, QDir::System).isEmpty())
    found << ModelSetupDialog::tr("GPU render device (Vulkan)");
  QString text = found.join(QStringLiteral(", "));
  if (const quint64 mem = systemMemoryBytes())
    text += QLatin1Char('\n') + ModelSetupDialog::tr("Memory: %1 GiB").arg(gib(mem));
  return text;
}

ModelSetupDialog::ModelSetupDialog(const QString& modelPath, qint64 context, QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("modelSetupDialog"));
  setWindowTitle(tr("Model setup"));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("Tally runs OpenAI's gpt-oss-20b on this computer. Pick the model as a GGUF file "
                              "(e.g. gpt-oss-20b-mxfp4.gguf) or as the Hugging Face folder (openai/gpt-oss-20b) "
                              "that holds config.json and the .safetensors files. Nothing is downloaded."),
                           this);
  intro->setWordWrap(true);
  layout->addWidget(intro);

  auto* form = new QFormLayout;
  auto* pathRow = new QHBoxLayout;
  path_ = new QLineEdit(modelPath, this);
  path_->setObjectName(QStringLiteral("modelPath"));
  path_->setAccessibleName(tr("Model file or folder"));
  auto* file = new QPushButton(tr("File…"), this);
  auto* folder = new QPushButton(tr("Folder…"), this);
  pathRow->addWidget(path_, 1);
  pathRow->addWidget(file);
  pathRow->addWidget(folder);
  form->addRow(tr("Model:"), pathRow);
  context_ = new QSpinBox(this);
  context_->setObjectName(QStringLiteral("contextSize"));
  context_->setRange(1024, 131072);
  context_->setSingleStep(1024);
  context_->setValue(static_cast<int>(context));
  context_->setSuffix(tr(" tokens"));
  context_->setAccessibleName(tr("Context size"));
  form->addRow(tr("Context size:"), context_);
  backends_ = new QLabel(detectedHardware(), this);
  form->addRow(tr("Detected:"), backends_);
  estimate_ = new QLabel(this);
  estimate_->setObjectName(QStringLiteral("memoryEstimate"));
  estimate_->setWordWrap(true);
  form->addRow(tr("Needs:"), estimate_);
  layout->addLayout(form);

  auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  layout->addWidget(box);
  connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(file, &QPushButton::clicked, this, [this] {
    const QString p = QFileDialog::getOpenFileName(this, tr("Choose the model file"), path_->text(),
                                                   tr("GGUF models (*.gguf);;All files (*)"));
    if (!p.isEmpty()) setModelPath(p);
  });
  connect(folder, &QPushButton::clicked, this, [this] {
    const QString p = QFileDialog::getExistingDirectory(this, tr("Choose the model folder"), path_->text());
    if (!p.isEmpty()) setModelPath(p);
  });
  connect(path_, &QLineEdit::editingFinished, this, &ModelSetupDialog::updateEstimate);
  connect(context_, &QSpinBox::valueChanged, this, &ModelSetupDialog::updateEstimate);
  updateEstimate();
  resize(620, sizeHint().height());
}

QString ModelSetupDialog::modelPath() const { return path_->text().trimmed(); }
qint64 ModelSetupDialog::context() const { return context_->value(); }
QString ModelSetupDialog::estimateText() const { return estimate_->text(); }

void ModelSetupDialog::setModelPath(const QString& path) {
  path_->setText(path);
  updateEstimate();
}

void ModelSetupDialog::updateEstimate() {
  const QString path = modelPath();
  if (path.isEmpty()) {
    estimate_->setText(tr("Pick a model to see how much memory it needs."));
    return;
  }
  auto e = tally::Model::estimate(QFile::encodeName(path).toStdString(), context());
  if (!e) {
    estimate_->setText(tr("Cannot read the model: %1").arg(QString::fromStdString(e.error().message)));
    return;
  }
  QString text = tr("about %1 GiB (weights %2, cache %3, working memory %4)")
                     .arg(gib(e->total()), gib(e->weights), gib(e->kv_cache), gib(e->scratch));
  if (const quint64 mem = systemMemoryBytes()) {
    text += QLatin1Char('\n') + (e->total() < mem * 9 / 10 ? tr("Fits in this computer's memory.")
                                                           : tr("May not fit: this computer has %1 GiB.").arg(gib(mem)));
  }
  estimate_->setText(text);
}

}  // namespace tally::ui
