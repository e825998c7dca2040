#include "ui/document/document_pane.h"

#include <QComboBox>
#include <QMenu>
#include <QMessageBox>
#include <QToolButton>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

#include "tally/data/read_only_query.h"
#include "ui/document/cell_format.h"
#include "ui/document/column_statistics.h"
#include "ui/document/dataset_table_model.h"
#include "ui/document/result_table_model.h"
#include "ui/document/table_export.h"

namespace tally::ui {

namespace {

// LIKE's wildcards typed by the user are meant literally.
QString like_pattern(const QString& text) {
  QString s = text;
  s.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
  s.replace(QLatin1Char('%'), QStringLiteral("\\%"));
  s.replace(QLatin1Char('_'), QStringLiteral("\\_"));
  return QLatin1Char('%') + s + QLatin1Char('%');
}

// "1,234.5", "₩1,200", "12%" as typed into the filter box: the number without grouping, currency or percent signs.
std::optional<double> typed_number(const QString& text) {
  QString s = text.trimmed();
  s.remove(QLatin1Char(','));
  s.remove(QLatin1Char('%'));
  s.remove(QChar(0x20A9));  // ₩
  s.remove(QLatin1Char('$'));
  s = s.trimmed();
  bool ok = false;
  const double v = s.toDouble(&ok);
  if (!ok) return std::nullopt;
  return v;
}

// A WHERE fragment must stay inside the parentheses it is put in: a ")" that closes them early could append a
// UNION or another clause to the table view's query.
bool stays_in_parentheses(const std::string& sql) {
  // A comment could hide the closing parenthesis the view adds.
  if (sql.find("--") != std::string::npos || sql.find("/*") != std::string::npos) return false;
  int depth = 0;
  char quote = 0;
  for (char ch : sql) {
    if (quote) {
      if (ch == quote) quote = 0;
      continue;
    }
    if (ch == '\'' || ch == '"' || ch == '`') quote = ch;
    else if (ch == '[') quote = ']';
    else if (ch == '(') ++depth;
    else if (ch == ')' && --depth < 0) return false;
    else if (ch == ';') return false;
  }
  return depth == 0 && quote == 0;
}

}  // namespace

DocumentPane::DocumentPane(const QString& storePath, QWidget* parent)
    : QWidget(parent), storePath_(storePath), model_(std::make_unique<DatasetTableModel>()),
      resultModel_(std::make_unique<ResultTableModel>()) {
  setObjectName(QStringLiteral("documentPane"));
  buildUi();
  QString error;
  if (!model_->openStore(storePath_, &error)) statsText_ = error;
  connect(model_.get(), &DatasetTableModel::errorOccurred, this, &DocumentPane::statusMessage);
  connect(model_.get(), &DatasetTableModel::orderChanged, this, [this] {
    const int c = model_->sortColumn();
    if (c >= 0 && c < static_cast<int>(model_->columns().size()))
      emit statusMessage(tr("Sorted by %1").arg(model_->columns()[static_cast<std::size_t>(c)].name));
  });
}

DocumentPane::~DocumentPane() {
  for (QThread* t : statsThreads_) {
    t->wait();
    delete t;
  }
  table_->setModel(nullptr);
}

void DocumentPane::buildUi() {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  title_ = new QLabel(this);
  title_->setObjectName(QStringLiteral("documentTitle"));
  title_->setTextFormat(Qt::PlainText);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  auto* titleRow = new QHBoxLayout;
  titleRow->addWidget(title_, 1);
  exportButton_ = new QToolButton(this);
  exportButton_->setObjectName(QStringLiteral("documentExport"));
  exportButton_->setText(tr("Export"));
  exportButton_->setToolTip(tr("Save the rows shown (with the filter and sort applied) as an Excel workbook or a CSV file"));
  exportButton_->setPopupMode(QToolButton::InstantPopup);
  auto* exportMenu = new QMenu(exportButton_);
  exportExcel_ = exportMenu->addAction(tr("Export to Excel…"));
  exportCsv_ = exportMenu->addAction(tr("Export to CSV…"));
  exportButton_->setMenu(exportMenu);
  exportButton_->setEnabled(false);
  titleRow->addWidget(exportButton_);
  layout->addLayout(titleRow);
  export_ = new TableExport(this);
  connect(exportExcel_, &QAction::triggered, this, [this] { chooseExportFile(true); });
  connect(exportCsv_, &QAction::triggered, this, [this] { chooseExportFile(false); });
  connect(export_, &TableExport::progress, this, [this](qint64 done, qint64 total) {
    const QLocale l = display_locale();
    emit statusMessage(total > 0 ? tr("Exporting… %1 of %2 rows").arg(l.toString(done), l.toString(total))
                                 : tr("Exporting… %1 rows").arg(l.toString(done)));
  });
  connect(export_, &TableExport::finished, this, [this](bool ok, const QString& message) {
    exportButton_->setEnabled(true);
    emit statusMessage(message);
    if (!ok && exportInteractive_) QMessageBox::warning(this, tr("Export failed"), message);
    exportInteractive_ = false;
    emit exportFinished(ok, message);
  });

  provenance_ = new QLabel(this);
  provenance_->setObjectName(QStringLiteral("documentProvenance"));
  provenance_->setTextFormat(Qt::PlainText);
  provenance_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  provenance_->setWordWrap(true);
  provenance_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  provenance_->setToolTip(tr("The SQL that produced these rows"));
  provenance_->hide();
  layout->addWidget(provenance_);

  filterBar_ = new QWidget(this);
  auto* fl = new QHBoxLayout(filterBar_);
  fl->setContentsMargins(0, 0, 0, 0);
  filterColumn_ = new QComboBox(filterBar_);
  filterColumn_->setAccessibleName(tr("Filter column"));
  filterOp_ = new QComboBox(filterBar_);
  filterOp_->setAccessibleName(tr("Filter condition"));
  filterOp_->addItem(tr("contains"), QStringLiteral("contains"));
  for (const char* op : {"=", "!=", ">", ">=", "<", "<="}) filterOp_->addItem(QString::fromLatin1(op), QString::fromLatin1(op));
  filterOp_->addItem(tr("SQL WHERE"), QStringLiteral("where"));
  filterValue_ = new QLineEdit(filterBar_);
  filterValue_->setPlaceholderText(tr("Filter value"));
  filterValue_->setAccessibleName(tr("Filter value"));
  filterValue_->setClearButtonEnabled(true);
  filterApply_ = new QPushButton(tr("Filter"), filterBar_);
  filterClear_ = new QPushButton(tr("Clear"), filterBar_);
  fl->addWidget(filterColumn_);
  fl->addWidget(filterOp_);
  fl->addWidget(filterValue_, 1);
  fl->addWidget(filterApply_);
  fl->addWidget(filterClear_);
  layout->addWidget(filterBar_);
  filterBar_->setEnabled(false);
  connect(filterApply_, &QPushButton::clicked, this, &DocumentPane::onFilterRequested);
  connect(filterValue_, &QLineEdit::returnPressed, this, &DocumentPane::onFilterRequested);
  connect(filterClear_, &QPushButton::clicked, this, &DocumentPane::clearFilter);
  connect(filterOp_, &QComboBox::currentIndexChanged, this, [this] {
    const bool where = filterOp_->currentData().toString() == QLatin1String("where");
    filterColumn_->setEnabled(!where);
    filterValue_->setPlaceholderText(where ? tr("e.g. \"units\" > 100 AND \"region\" = '서울'") : tr("Filter value"));
  });

  auto* split = new QSplitter(Qt::Horizontal, this);
  table_ = new QTableView(split);
  table_->setObjectName(QStringLiteral("documentTable"));
  table_->setAccessibleName(tr("Dataset rows"));
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setWordWrap(false);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  table_->horizontalHeader()->setSectionsClickable(true);
  table_->horizontalHeader()->setSortIndicatorShown(true);
  table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);

  auto* statsScroll = new QScrollArea(split);
  statsScroll->setWidgetResizable(true);
  stats_ = new QLabel(statsScroll);
  stats_->setObjectName(QStringLiteral("columnStatistics"));
  stats_->setTextFormat(Qt::RichText);
  stats_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  stats_->setWordWrap(true);
  stats_->setMargin(6);
  stats_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  stats_->setText(tr("Select a cell to see its column's statistics."));
  statsScroll->setWidget(stats_);
  split->addWidget(table_);
  split->addWidget(statsScroll);
  split->setStretchFactor(0, 4);
  split->setStretchFactor(1, 1);
  layout->addWidget(split, 1);
  useDatasetModel(true);
}

void DocumentPane::useDatasetModel(bool dataset) {
  QAbstractItemModel* wanted = dataset ? static_cast<QAbstractItemModel*>(model_.get()) : resultModel_.get();
  if (table_->model() == wanted) return;
  table_->setSortingEnabled(false);
  QItemSelectionModel* old = table_->selectionModel();
  table_->setModel(wanted);
  delete old;  // setModel leaves the previous selection model to its owner
  table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  if (dataset) {
    // Sorting goes to the model (SQL ORDER BY), never to a proxy that would read every row.
    table_->setSortingEnabled(true);
    connect(table_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
              if (current.isValid() && current.column() != statsColumn_) showColumnStatistics(current.column());
            });
  }
}

void DocumentPane::showDataset(qint64 datasetId) {
  useDatasetModel(true);
  provenance_->hide();
  QString error;
  if (!model_->setDataset(datasetId, &error)) {
    title_->setText(error);
    filterBar_->setEnabled(false);
    emit statusMessage(error);
    return;
  }
  datasetId_ = datasetId;
  resultJson_.clear();
  exportButton_->setEnabled(!export_->running());
  table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  filterColumn_->clear();
  for (const auto& c : model_->columns()) filterColumn_->addItem(c.name);
  filterValue_->clear();
  filterBar_->setEnabled(true);
  filterBar_->show();
  statsColumn_ = -1;
  ++statsGeneration_;
  statsText_.clear();
  stats_->setText(tr("Select a cell to see its column's statistics."));
  table_->resizeColumnsToContents();
  announceRows();
}

void DocumentPane::announceRows() {
  const QLocale l = display_locale();
  QString text = tr("%1 — %2 rows").arg(model_->datasetName(), l.toString(model_->rowCount()));
  if (!model_->filter().where.empty())
    text = tr("%1 — %2 of %3 rows (filtered)")
               .arg(model_->datasetName(), l.toString(model_->rowCount()), l.toString(model_->totalRows()));
  title_->setText(text);
  emit statusMessage(text);
}

void DocumentPane::showToolResult(const QString& title, const QString& resultJson) {
  useDatasetModel(false);
  filterBar_->hide();
  ++statsGeneration_;
  statsColumn_ = -1;
  statsText_.clear();
  stats_->setText(QString());
  title_->setText(title);
  resultJson_ = resultJson;
  resultTitle_ = title;
  exportButton_->setEnabled(!export_->running());

  const auto envelope = nlohmann::json::parse(resultJson.toStdString(), nullptr, false);
  if (envelope.is_discarded() || !envelope.is_object()) {
    resultModel_->clear();
    provenance_->setText(tr("The tool result is not valid JSON."));
    provenance_->show();
    emit statusMessage(provenance_->text());
    return;
  }
  QStringList sql;
  if (auto p = envelope.find("provenance"); p != envelope.end() && p->is_object()) {
    if (auto q = p->find("queries"); q != p->end() && q->is_array()) {
      for (const auto& query : *q) {
        if (!query.is_object() || !query.contains("sql") || !query["sql"].is_string()) continue;
        QString line = QString::fromStdString(query["sql"].get<std::string>());
        if (query.contains("params") && query["params"].is_array() && !query["params"].empty())
          line += tr("   -- parameters: %1").arg(QString::fromStdString(query["params"].dump()));
        sql << line;
      }
    }
  }
  const bool ok = envelope.value("ok", true);
  if (!ok) {
    resultModel_->clear();
    QString err = envelope.contains("error") && envelope["error"].is_string()
                      ? QString::fromStdString(envelope["error"].get<std::string>())
                      : tr("the tool failed");
    sql.prepend(tr("Error: %1").arg(err));
  } else {
    const nlohmann::json result = envelope.contains("result") ? envelope["result"] : envelope;
    if (!resultModel_->setResult(result)) {
      // No table in it: show its fields as name/value rows.
      nlohmann::json table = {{"columns", {"field", "value"}}, {"rows", nlohmann::json::array()}};
      if (result.is_object())
        for (const auto& [k, v] : result.items()) table["rows"].push_back({k, v});
      else
        table["rows"].push_back({"result", result});
      resultModel_->setResult(table);
    }
  }
  provenance_->setText(sql.isEmpty() ? tr("(no SQL recorded)") : sql.join(QLatin1Char('\n')));
  provenance_->show();
  table_->resizeColumnsToContents();
  emit statusMessage(tr("%1 — %2 rows").arg(title, display_locale().toString(resultModel_->rowCount())));
}

bool DocumentPane::applyFilter(int column, const QString& op, const QString& value) {
  if (datasetId_ == 0) return false;
  RowFilter f;
  const auto& cols = model_->columns();
  if (op == QLatin1String("where")) {
    const std::string fragment = value.trimmed().toStdString();
    if (fragment.empty()) {
      clearFilter();
      return true;
    }
    if (!stays_in_parentheses(fragment)) {
      emit statusMessage(tr("Filter rejected: unbalanced parentheses or quotes, a comment, or a second statement"));
      return false;
    }
    // The fragment is the user's SQL: check it on the data layer's guarded read-only connection (authorizer,
    // read-only statements, one statement) before it goes near the table view's connection.
    try {
      tally::data::tools::QueryLimits limits;
      limits.time_limit_ms = 2000;
      tally::data::tools::ReadOnlyQuery check(storePath_.toStdString(), limits);
      (void)check.table("SELECT count(*) FROM " + tally::data::quote_identifier(model_->tableName()) + " WHERE (" +
                            fragment + ")",
                        nlohmann::json::array(), 1, 4096);
    } catch (const std::exception& e) {
      const QString msg = tr("Filter rejected: %1").arg(QString::fromUtf8(e.what()));
      emit statusMessage(msg);
      return false;
    }
    f.where = fragment;
  } else {
    if (column < 0 || column >= static_cast<int>(cols.size())) return false;
    const auto& c = cols[static_cast<std::size_t>(column)];
    const std::string col = tally::data::quote_identifier(c.sqlName);
    if (op == QLatin1String("contains")) {
      f.where = col + " LIKE ?1 ESCAPE '\\'";
      f.binds.push_back(like_pattern(value));
    } else {
      static const QStringList ops = {QStringLiteral("="), QStringLiteral("!="), QStringLiteral(">"),
                                      QStringLiteral(">="), QStringLiteral("<"), QStringLiteral("<=")};
      if (!ops.contains(op)) {
        emit statusMessage(tr("Unknown filter condition %1").arg(op));
        return false;
      }
      f.where = col + " " + (op == QLatin1String("!=") ? std::string("<>") : op.toStdString()) + " ?1";
      if (c.numeric()) {
        const auto n = typed_number(value);
        if (!n) {
          emit statusMessage(tr("Column %1 holds numbers: \"%2\" is not a number").arg(c.name, value));
          return false;
        }
        f.binds.push_back(*n);
      } else if (c.type == QLatin1String("boolean")) {
        const QString v = value.trimmed().toLower();
        f.binds.push_back(static_cast<qlonglong>(v == QLatin1String("true") || v == QLatin1String("1") ||
                                                 v == QLatin1String("yes") || v == QStringLiteral("예")));
      } else {
        f.binds.push_back(value);
      }
    }
  }
  QElapsedTimer timer;
  timer.start();
  QString error;
  if (!model_->setFilter(std::move(f), &error)) {
    emit statusMessage(tr("Filter failed: %1").arg(error));
    return false;
  }
  announceRows();
  if (statsColumn_ >= 0) {
    const int c = statsColumn_;
    statsColumn_ = -1;
    showColumnStatistics(c);
  }
  return true;
}

void DocumentPane::onFilterRequested() {
  applyFilter(filterColumn_->currentIndex(), filterOp_->currentData().toString(), filterValue_->text());
}

void DocumentPane::clearFilter() {
  if (datasetId_ == 0) return;
  filterValue_->clear();
  QString error;
  if (!model_->setFilter({}, &error)) emit statusMessage(error);
  announceRows();
}

void DocumentPane::sortByColumn(int column, Qt::SortOrder order) {
  table_->sortByColumn(column, order);
}

void DocumentPane::selectColumn(int column) {
  if (column < 0 || column >= model_->columnCount()) return;
  table_->setCurrentIndex(model_->index(0, column));
  if (statsColumn_ != column) showColumnStatistics(column);
}

QString DocumentPane::statisticsText() const { return statsText_; }

void DocumentPane::showColumnStatistics(int column) {
  const auto& cols = model_->columns();
  if (table_->model() != model_.get() || column < 0 || column >= static_cast<int>(cols.size())) return;
  statsColumn_ = column;
  const int generation = ++statsGeneration_;
  const DatasetColumnInfo info = cols[static_cast<std::size_t>(column)];
  stats_->setText(tr("<b>%1</b><br>Computing…").arg(title_with_unit(info.name, info.unit).toHtmlEscaped()));
  statsText_.clear();
  const QString path = storePath_;
  const std::string table = model_->tableName();
  const RowFilter filter = model_->filter();
  // A count(DISTINCT) over a million rows takes a while: it runs on a thread with its own connection.
  QThread* thread = QThread::create([this, path, table, info, filter, generation] {
    const ColumnStatistics s = compute_column_statistics(path, table, info, filter);
    const QString text = describe_statistics(s, info);
    QMetaObject::invokeMethod(
        this,
        [this, generation, text] {
          if (generation != statsGeneration_) return;  // the user moved on
          statsText_ = text;
          stats_->setText(text);
        },
        Qt::QueuedConnection);
  });
  statsThreads_.push_back(thread);
  connect(thread, &QThread::finished, this, [this, thread] {
    statsThreads_.erase(std::remove(statsThreads_.begin(), statsThreads_.end(), thread), statsThreads_.end());
    thread->deleteLater();
  });
  thread->start();
}

}  // namespace tally::ui
