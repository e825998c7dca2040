#include "ui/import/workbook_sheet_picker.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>

namespace tally::ui {

WorkbookSheetPicker::WorkbookSheetPicker(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("workbookSheetPicker"));
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  sheets_ = new QListWidget(this);
  sheets_->setObjectName(QStringLiteral("importSheets"));
  sheets_->setAccessibleName(tr("Sheets"));
  sheets_->setToolTip(tr("Each checked sheet becomes a dataset; the selected sheet is shown below"));
  sheets_->setMaximumHeight(110);
  form->addRow(tr("&Sheets:"), sheets_);

  header_ = new QSpinBox(this);
  header_->setObjectName(QStringLiteral("importHeaderRow"));
  header_->setAccessibleName(tr("Header row"));
  header_->setRange(0, 1048576);
  header_->setSpecialValueText(tr("Detect"));
  header_->setToolTip(tr("The sheet row that holds the column names (rows above it are skipped)"));
  form->addRow(tr("Header &row:"), header_);

  range_ = new QLineEdit(this);
  range_->setObjectName(QStringLiteral("importRange"));
  range_->setAccessibleName(tr("Cell range"));
  range_->setPlaceholderText(tr("e.g. A3:H200 (empty: the whole sheet)"));
  range_->setClearButtonEnabled(true);
  form->addRow(tr("Cell r&ange:"), range_);

  connect(sheets_, &QListWidget::currentRowChanged, this, [this] { emit previewNeeded(); });
  connect(header_, &QSpinBox::editingFinished, this, &WorkbookSheetPicker::previewNeeded);
  connect(header_, &QSpinBox::valueChanged, this, [this] {
    if (!header_->hasFocus()) emit previewNeeded();  // arrows and wheel; typing waits for editingFinished
  });
  connect(range_, &QLineEdit::editingFinished, this, &WorkbookSheetPicker::previewNeeded);
}

void WorkbookSheetPicker::setSheets(const std::vector<tally::data::SheetInfo>& sheets) {
  info_ = sheets;
  const QSignalBlocker block(sheets_);
  sheets_->clear();
  int first = -1;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const auto& s = sheets[i];
    QString label = QString::fromStdString(s.name);
    if (s.chart) label = tr("%1 (chart)").arg(label);
    else if (s.hidden) label = tr("%1 (hidden)").arg(label);
    if (!s.chart) label += QStringLiteral(" — ") + tr("%1 × %2").arg(s.rows).arg(s.cols);
    auto* item = new QListWidgetItem(label, sheets_);
    item->setData(Qt::UserRole, static_cast<int>(i));
    item->setFlags(s.chart ? Qt::NoItemFlags : (Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable));
    item->setCheckState(Qt::Unchecked);
    if (first < 0 && !s.chart && !s.hidden && s.rows > 0) first = static_cast<int>(i);
  }
  if (first < 0) first = sheets.empty() ? -1 : 0;
  if (first >= 0) {
    sheets_->item(first)->setCheckState(Qt::Checked);
    sheets_->setCurrentRow(first);
  }
}

bool WorkbookSheetPicker::hasSheets() const { return sheets_->count() > 0; }

int WorkbookSheetPicker::currentSheet() const { return sheets_->currentRow(); }

std::vector<int> WorkbookSheetPicker::checkedSheets() const {
  std::vector<int> out;
  for (int i = 0; i < sheets_->count(); ++i)
    if (sheets_->item(i)->checkState() == Qt::Checked) out.push_back(i);
  return out;
}

QString WorkbookSheetPicker::sheetName(int index) const {
  if (index < 0 || index >= static_cast<int>(info_.size())) return {};
  return QString::fromStdString(info_[static_cast<std::size_t>(index)].name);
}

void WorkbookSheetPicker::setCurrentSheet(int index) {
  if (index < 0 || index >= sheets_->count()) return;
  for (int i = 0; i < sheets_->count(); ++i) sheets_->item(i)->setCheckState(i == index ? Qt::Checked : Qt::Unchecked);
  sheets_->setCurrentRow(index);
}

std::optional<std::int64_t> WorkbookSheetPicker::headerRow() const {
  if (header_->value() == 0) return std::nullopt;
  return header_->value();
}

void WorkbookSheetPicker::setDetectedHeaderRow(std::int64_t row) {
  header_->setSpecialValueText(row > 0 ? tr("Detect (row %1)").arg(row) : tr("Detect"));
}

std::optional<tally::data::CellRange> WorkbookSheetPicker::range(bool* valid) const {
  const QString text = range_->text().trimmed();
  if (valid) *valid = true;
  if (text.isEmpty()) return std::nullopt;
  auto r = tally::data::CellRange::parse(text.toStdString());
  if (!r && valid) *valid = false;
  return r;
}

}  // namespace tally::ui
