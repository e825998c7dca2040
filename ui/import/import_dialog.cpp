#include "ui/import/import_dialog.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include "tally/data/csv_dialect.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"
#include "tally/data/workbook.h"
#include "ui/import/import_run.h"
#include "ui/import/workbook_sheet_picker.h"

namespace tally::ui {

namespace {

constexpr qint64 kMaxHashedBeforeImport = qint64{512} << 20;  // larger files: the importer's own check reports it
constexpr std::size_t kReportLines = 50;

QString delimiter_label(char d) {
  switch (d) {
    case ',': return ImportDialog::tr("comma (,)");
    case ';': return ImportDialog::tr("semicolon (;)");
    case '\t': return ImportDialog::tr("tab");
    case '|': return ImportDialog::tr("pipe (|)");
    default: return QString(QLatin1Char(d));
  }
}

}  // namespace

// The import report in words, with line numbers, so the user can find each problem in the file.
QString import_report_text(const tally::data::ImportOutcome& o) {
  const auto& r = o.report;
  QStringList lines;
  lines << ImportDialog::tr("Imported %n row(s) into dataset \"%1\".", nullptr, static_cast<int>(r.rows)).arg(qs(o.dataset_name));
  if (r.ragged_total > 0) {
    lines << ImportDialog::tr("%n row(s) had the wrong number of fields (missing fields were left empty, extra fields dropped):",
                              nullptr, static_cast<int>(r.ragged_total));
    for (std::size_t i = 0; i < r.ragged_rows.size() && i < kReportLines; ++i) {
      const auto& g = r.ragged_rows[i];
      lines << ImportDialog::tr("  line %1: %2 fields, expected %3").arg(g.line).arg(g.fields).arg(g.expected);
    }
    if (r.ragged_total > static_cast<std::int64_t>(std::min(r.ragged_rows.size(), kReportLines)))
      lines << ImportDialog::tr("  … and %1 more").arg(r.ragged_total - static_cast<std::int64_t>(std::min(r.ragged_rows.size(), kReportLines)));
  }
  if (r.unparsed_total > 0) {
    lines << ImportDialog::tr("%n cell(s) did not read as their column's type and were stored empty:", nullptr,
                              static_cast<int>(r.unparsed_total));
    for (std::size_t i = 0; i < r.unparsed_cells.size() && i < kReportLines; ++i) {
      const auto& c = r.unparsed_cells[i];
      lines << ImportDialog::tr("  line %1, column %2: \"%3\"").arg(c.line).arg(qs(c.column), qs(c.raw));
    }
    if (r.unparsed_total > static_cast<std::int64_t>(std::min(r.unparsed_cells.size(), kReportLines)))
      lines << ImportDialog::tr("  … and %1 more").arg(r.unparsed_total - static_cast<std::int64_t>(std::min(r.unparsed_cells.size(), kReportLines)));
  }
  return lines.join(QLatin1Char('\n'));
}

namespace {

}  // namespace

ImportDialog::ImportDialog(const QString& storePath, const QString& filePath, QWidget* parent)
    : QDialog(parent), storePath_(storePath), filePath_(filePath) {
  setObjectName(QStringLiteral("importDialog"));
  const QString suffix = QFileInfo(filePath).suffix().toLower();
  workbook_ = suffix == QLatin1String("xlsx") || suffix == QLatin1String("xlsm") || suffix == QLatin1String("xls") ||
              (suffix != QLatin1String("csv") && suffix != QLatin1String("tsv") && suffix != QLatin1String("txt") &&
               tally::data::looks_like_workbook(filePath.toStdString()));
  setWindowTitle(tr("Import %1").arg(QFileInfo(filePath).fileName()));
  buildUi();
  name_->setText(QFileInfo(filePath).completeBaseName());
  refreshPreview();
  if (!workbook_) checkAlreadyImported();  // a workbook's sheets share its bytes: the importer tells them apart
}

ImportDialog::~ImportDialog() {
  cancel_ = true;
  joinWorker();
}

void ImportDialog::buildUi() {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  form_ = form;
  auto* file = new QLabel(QDir::toNativeSeparators(filePath_), this);
  file->setTextInteractionFlags(Qt::TextSelectableByMouse);
  form->addRow(tr("File:"), file);

  encoding_ = new QComboBox(this);
  encoding_->addItem(tr("Detect automatically"), QString());
  for (const char* e : {"UTF-8", "CP949", "EUC-KR", "UTF-16LE", "UTF-16BE"}) encoding_->addItem(QString::fromLatin1(e), QString::fromLatin1(e));
  encoding_->setAccessibleName(tr("Encoding"));
  form->addRow(tr("&Encoding:"), encoding_);

  delimiter_ = new QComboBox(this);
  delimiter_->addItem(tr("Detect automatically"), 0);
  for (char d : {',', ';', '\t', '|'}) delimiter_->addItem(delimiter_label(d), static_cast<int>(d));
  delimiter_->setAccessibleName(tr("Delimiter"));
  form->addRow(tr("&Delimiter:"), delimiter_);

  header_ = new QComboBox(this);
  header_->addItem(tr("Detect automatically"), static_cast<int>(tally::data::HeaderMode::Auto));
  header_->addItem(tr("First row is the header"), static_cast<int>(tally::data::HeaderMode::Present));
  header_->addItem(tr("No header row"), static_cast<int>(tally::data::HeaderMode::Absent));
  header_->setAccessibleName(tr("Header row"));
  form->addRow(tr("&Header:"), header_);

  name_ = new QLineEdit(this);
  name_->setAccessibleName(tr("Dataset name"));
  form->addRow(tr("Dataset &name:"), name_);

  detected_ = new QLabel(this);
  detected_->setObjectName(QStringLiteral("importDetected"));
  form->addRow(tr("Detected:"), detected_);
  layout->addLayout(form);
  if (workbook_) {
    for (QWidget* w : std::initializer_list<QWidget*>{encoding_, delimiter_, header_}) form->setRowVisible(w, false);
    picker_ = new WorkbookSheetPicker(this);
    form->insertRow(1, picker_);
    connect(picker_, &WorkbookSheetPicker::previewNeeded, this, &ImportDialog::refreshPreview);
  }

  preview_ = new QTableWidget(this);
  preview_->setObjectName(QStringLiteral("importPreview"));
  preview_->setAccessibleName(tr("Preview of the first rows"));
  preview_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  preview_->setMinimumSize(560, 220);
  // Beside the preview: each column's type, inferred and changeable (a code column kept as text, say).
  types_ = new QTableWidget(this);
  types_->setObjectName(QStringLiteral("importColumnTypes"));
  types_->setAccessibleName(tr("Column types"));
  types_->setColumnCount(2);
  types_->setHorizontalHeaderLabels({tr("Column"), tr("Type")});
  types_->verticalHeader()->hide();
  types_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  types_->horizontalHeader()->setStretchLastSection(true);
  types_->setMinimumWidth(260);
  auto* tables = new QHBoxLayout;
  tables->addWidget(preview_, 3);
  tables->addWidget(types_, 1);
  layout->addLayout(tables, 1);

  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("importStatus"));
  status_->setWordWrap(true);
  status_->setTextFormat(Qt::PlainText);
  layout->addWidget(status_);

  report_ = new QPlainTextEdit(this);
  report_->setObjectName(QStringLiteral("importReport"));
  report_->setReadOnly(true);
  report_->setMaximumHeight(140);
  report_->hide();
  layout->addWidget(report_);

  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  progress_->setTextVisible(true);
  progress_->setFormat(QStringLiteral("%p%"));
  progress_->hide();
  layout->addWidget(progress_);

  auto* buttons = new QDialogButtonBox(this);
  openExisting_ = buttons->addButton(tr("&Open existing dataset"), QDialogButtonBox::ActionRole);
  openExisting_->hide();
  importButton_ = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
  importButton_->setDefault(true);
  cancelButton_ = buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
  layout->addWidget(buttons);

  // The button box would accept/reject the dialog itself; the buttons act through these slots instead.
  connect(importButton_, &QPushButton::clicked, this, &ImportDialog::startImport);
  connect(cancelButton_, &QPushButton::clicked, this, &ImportDialog::cancelOrClose);
  connect(openExisting_, &QPushButton::clicked, this, [this] {
    if (existingId_ == 0) return;
    datasetId_ = existingId_;
    emit datasetImported(datasetId_);
    accept();
  });
  for (QComboBox* box : {encoding_, delimiter_, header_})
    connect(box, &QComboBox::currentIndexChanged, this, &ImportDialog::refreshPreview);
}

void ImportDialog::refreshPreview() {
  if (workbook_) {
    refreshWorkbookPreview();
    return;
  }
  tally::data::CsvImportOptions options;
  options.encoding = encoding_->currentData().toString().toStdString();
  options.delimiter = static_cast<char>(delimiter_->currentData().toInt());
  options.header = static_cast<tally::data::HeaderMode>(header_->currentData().toInt());
  auto preview = tally::data::CsvImporter::preview(filePath_.toStdString(), options, 100);
  preview_->clear();
  if (!preview) {
    showPreviewFailure(tr("Cannot read this file: %1").arg(qs(preview.error().message)));
    return;
  }
  const auto& p = *preview;
  detected_->setText(tr("%1 · %2 · %3")
                         .arg(qs(p.encoding), delimiter_label(p.delimiter),
                              p.header ? tr("header row") : tr("no header row")));
  showPreviewRows(p.columns, p.rows);
  if (!running_) importButton_->setEnabled(true);
  if (existingId_ == 0)
    status_->setText(p.whole_file ? tr("Showing all %n row(s).", nullptr, static_cast<int>(p.rows.size()))
                                  : tr("Showing the first %n row(s).", nullptr, static_cast<int>(p.rows.size())));
}

void ImportDialog::showPreviewFailure(const QString& message) {
  preview_->setRowCount(0);
  preview_->setColumnCount(0);
  detected_->clear();
  status_->setText(message);
  importButton_->setEnabled(false);
}

void ImportDialog::showPreviewRows(const std::vector<tally::data::CsvColumn>& columns,
                                   const std::vector<std::vector<std::string>>& rows) {
  preview_->setColumnCount(static_cast<int>(columns.size()));
  preview_->setRowCount(static_cast<int>(rows.size()));
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const auto& col = columns[c];
    QString type = QString::fromLatin1(tally::data::column_type_name(col.type));
    if (!col.unit.empty()) type += QStringLiteral(", ") + qs(col.unit);
    auto* item = new QTableWidgetItem(QStringLiteral("%1\n(%2)").arg(qs(col.name), type));
    item->setToolTip(tr("Column %1: inferred type %2").arg(qs(col.name), type));
    preview_->setHorizontalHeaderItem(static_cast<int>(c), item);
  }
  fillColumnTypes(columns);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size() && c < columns.size(); ++c) {
      auto* item = new QTableWidgetItem(qs(rows[r][c]));
      item->setToolTip(item->text());
      const auto t = columns[c].type;
      if (t == tally::data::ColumnType::Integer || t == tally::data::ColumnType::Decimal ||
          t == tally::data::ColumnType::Percent || t == tally::data::ColumnType::Currency)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      preview_->setItem(static_cast<int>(r), static_cast<int>(c), item);
    }
  }
  preview_->resizeColumnsToContents();
}

void ImportDialog::checkAlreadyImported() {
  QFile file(filePath_);
  if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxHashedBeforeImport) return;
  QCryptographicHash hash(QCryptographicHash::Sha256);
  if (!hash.addData(&file)) return;
  const std::string hex = hash.result().toHex().toStdString();
  tally::data::OpenOptions options;
  options.read_only = true;
  auto db = tally::data::Database::open(storePath_.toStdString(), options);
  if (!db) return;  // no store yet: nothing imported before
  auto st = db->prepare("SELECT id, name FROM datasets WHERE file_hash = ?1 ORDER BY id LIMIT 1");
  if (!st) return;
  st->bind(1, hex);
  auto row = st->step();
  if (!row || !*row) return;
  existingId_ = st->column_int64(0);
  status_->setText(tr("This file was imported before as \"%1\". Open that dataset, or import it again as a copy.")
                       .arg(qs(st->column_text(1))));
  openExisting_->show();
  openExisting_->setDefault(true);
  importButton_->setText(tr("Import &again"));
  forceNext_ = true;
}

void ImportDialog::setControlsEnabled(bool enabled) {
  for (QWidget* w : std::initializer_list<QWidget*>{encoding_, delimiter_, header_, name_, types_, importButton_, openExisting_})
    w->setEnabled(enabled);
  if (picker_) picker_->setEnabled(enabled);
}

namespace {

QString type_label(tally::data::ColumnType t) {
  using T = tally::data::ColumnType;
  switch (t) {
    case T::Integer: return ImportDialog::tr("Whole number");
    case T::Decimal: return ImportDialog::tr("Decimal number");
    case T::Percent: return ImportDialog::tr("Percentage");
    case T::Currency: return ImportDialog::tr("Currency");
    case T::Boolean: return ImportDialog::tr("Yes/no");
    case T::Date: return ImportDialog::tr("Date");
    case T::Month: return ImportDialog::tr("Month");
    case T::DateTime: return ImportDialog::tr("Date and time");
    case T::Text: return ImportDialog::tr("Text");
  }
  return {};
}

constexpr tally::data::ColumnType kTypes[] = {
    tally::data::ColumnType::Text,     tally::data::ColumnType::Integer, tally::data::ColumnType::Decimal,
    tally::data::ColumnType::Percent,  tally::data::ColumnType::Currency, tally::data::ColumnType::Boolean,
    tally::data::ColumnType::Date,     tally::data::ColumnType::Month,   tally::data::ColumnType::DateTime};

}  // namespace

void ImportDialog::fillColumnTypes(const std::vector<tally::data::CsvColumn>& columns) {
  // A re-preview (another encoding or delimiter) keeps the user's choices for columns that keep their names.
  std::vector<std::pair<QString, int>> kept;
  for (int r = 0; r < types_->rowCount(); ++r)
    if (auto* box = typeBox(r); box && r < static_cast<int>(inferred_.size()) &&
                                box->currentData().toInt() != static_cast<int>(inferred_[static_cast<std::size_t>(r)]))
      kept.emplace_back(types_->item(r, 0)->text(), box->currentData().toInt());
  inferred_.clear();
  types_->setRowCount(static_cast<int>(columns.size()));
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const int row = static_cast<int>(c);
    const QString name = qs(columns[c].name);
    inferred_.push_back(columns[c].type);
    types_->setItem(row, 0, new QTableWidgetItem(name));
    auto* box = new QComboBox(types_);
    box->setAccessibleName(tr("Type of column %1").arg(name));
    for (auto t : kTypes) {
      QString label = type_label(t);
      if (t == columns[c].type) label = tr("%1 (detected)").arg(label);
      box->addItem(label, static_cast<int>(t));
    }
    int chosen = static_cast<int>(columns[c].type);
    for (const auto& [kept_name, kept_type] : kept)
      if (kept_name == name) chosen = kept_type;
    box->setCurrentIndex(box->findData(chosen));
    types_->setCellWidget(row, 1, box);
  }
  types_->resizeColumnToContents(0);
}

QComboBox* ImportDialog::typeBox(int column) const {
  return qobject_cast<QComboBox*>(types_->cellWidget(column, 1));
}

std::vector<std::optional<tally::data::ColumnType>> ImportDialog::chosenColumnTypes() const {
  std::vector<std::optional<tally::data::ColumnType>> out(inferred_.size());
  for (std::size_t c = 0; c < inferred_.size(); ++c)
    if (auto* box = typeBox(static_cast<int>(c))) {
      const auto t = static_cast<tally::data::ColumnType>(box->currentData().toInt());
      if (t != inferred_[c]) out[c] = t;
    }
  return out;
}

void ImportDialog::startImport() {
  if (finishedWithReport_) {
    accept();
    return;
  }
  if (running_) return;
  joinWorker();
  const QString name = name_->text().trimmed();
  if (workbook_) {
    startWorkbookImport(name);
    return;
  }
  tally::data::CsvImportOptions options;
  options.encoding = encoding_->currentData().toString().toStdString();
  options.delimiter = static_cast<char>(delimiter_->currentData().toInt());
  options.header = static_cast<tally::data::HeaderMode>(header_->currentData().toInt());
  options.dataset_name = name.toStdString();
  options.force = forceNext_;
  options.cancel = &cancel_;
  options.column_types = chosenColumnTypes();
  const std::string path = filePath_.toStdString();
  runImport([this, path, options](tally::data::Store& store) mutable {
    options.on_progress = post_import_progress(this, [this](int permille) { onProgress(permille); });
    ImportRunResult result;
    tally::data::CsvImporter importer(store);
    auto outcome = importer.import_file(path, options);
    if (!outcome) {
      result.message = qs(outcome.error().message);
      return result;
    }
    result.datasetId = outcome->dataset_id;
    switch (outcome->status) {
      case tally::data::ImportStatus::Imported:
        result.status = kImported;
        result.datasetIds = {outcome->dataset_id};
        result.report = import_report_text(*outcome);
        if (outcome->report.ragged_total == 0 && outcome->report.unparsed_total == 0) result.report.clear();
        result.message = tr("Imported %1 rows.").arg(outcome->report.rows);
        break;
      case tally::data::ImportStatus::AlreadyImported:
        result.status = kAlreadyImported;
        result.message = tr("This file was imported before as \"%1\".").arg(qs(outcome->dataset_name));
        break;
      case tally::data::ImportStatus::Cancelled:
        result.status = kCancelled;
        result.message = tr("Import cancelled; nothing was written.");
        break;
    }
    return result;
  });
}

void ImportDialog::runImport(std::function<ImportRunResult(tally::data::Store&)> job) {
  cancel_ = false;
  running_ = true;
  importedIds_.clear();
  setControlsEnabled(false);
  report_->hide();
  progress_->setValue(0);
  progress_->show();
  status_->setText(tr("Importing…"));
  cancelButton_->setText(tr("Cancel"));

  // The worker opens its own connection to the store: the dialog's thread never waits on the import's writes.
  const std::string store = storePath_.toStdString();
  worker_ = std::thread([this, store, job = std::move(job)] {
    ImportRunResult result;
    if (auto s = tally::data::Store::open(store); !s) {
      result.message = tr("Cannot open the store: %1").arg(qs(s.error().message));
    } else {
      result = job(*s);
    }
    QMetaObject::invokeMethod(
        this,
        [this, result] {
          importedIds_ = result.datasetIds;
          // Every dataset made is announced (onFinished announces the one to open of a complete import); those made
          // before a later sheet failed or was cancelled stay imported.
          for (qint64 id : result.datasetIds)
            if (result.status != kImported || id != result.datasetId) emit datasetImported(id);
          onFinished(result.status, result.datasetId, result.message, result.report);
        },
        Qt::QueuedConnection);
  });
}

void ImportDialog::onProgress(int permille) {
  if (running_) progress_->setValue(permille);
}

void ImportDialog::onFinished(int status, qint64 datasetId, const QString& message, const QString& report) {
  joinWorker();
  running_ = false;
  setControlsEnabled(true);
  cancelButton_->setEnabled(true);
  progress_->hide();
  status_->setText(message);
  switch (status) {
    case kImported:
      datasetId_ = datasetId;
      emit datasetImported(datasetId);
      if (report.isEmpty()) {
        accept();
        return;
      }
      // Imported with problems: say which lines, and let the user close when they have read it.
      report_->setPlainText(report);
      report_->show();
      finishedWithReport_ = true;
      importButton_->setText(tr("&Open dataset"));
      cancelButton_->setText(tr("Close"));
      for (QWidget* w : std::initializer_list<QWidget*>{encoding_, delimiter_, header_, name_}) w->setEnabled(false);
      return;
    case kAlreadyImported:
      existingId_ = datasetId;
      openExisting_->show();
      importButton_->setText(tr("Import &again"));
      forceNext_ = true;
      return;
    case kCancelled:
      progress_->setValue(0);
      return;
    default:
      report_->setPlainText(tr("The import failed:\n%1").arg(message));
      report_->show();
      status_->setText(tr("The import failed; nothing was written."));
      return;
  }
}

void ImportDialog::cancelOrClose() {
  if (running_) {
    cancel_ = true;
    cancelButton_->setEnabled(false);
    status_->setText(tr("Cancelling…"));
    return;
  }
  if (finishedWithReport_) {
    accept();
    return;
  }
  QDialog::reject();
}

void ImportDialog::reject() {
  if (running_) {
    cancelOrClose();
    return;
  }
  QDialog::reject();
}

QString ImportDialog::reportText() const { return report_->toPlainText(); }

void ImportDialog::joinWorker() {
  if (worker_.joinable()) worker_.join();
}

}  // namespace tally::ui
