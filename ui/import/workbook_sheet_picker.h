#pragma once
// The import dialog's workbook controls: the sheets (hidden ones marked; each checked sheet becomes a dataset, the
// current one is previewed), the header row (detected unless set) and an optional cell range such as A3:H200.
#include <QWidget>
#include <optional>
#include <vector>

#include "tally/data/workbook.h"

class QListWidget;
class QSpinBox;
class QLineEdit;

namespace tally::ui {

class WorkbookSheetPicker : public QWidget {
  Q_OBJECT
 public:
  explicit WorkbookSheetPicker(QWidget* parent = nullptr);

  // Fills the list once; the first visible sheet with cells is current and checked.
  void setSheets(const std::vector<tally::data::SheetInfo>& sheets);
  bool hasSheets() const;
  int currentSheet() const;                 // -1 when none
  std::vector<int> checkedSheets() const;   // in workbook order
  QString sheetName(int index) const;
  void setCurrentSheet(int index);          // also checks it, unchecking the others (as a click on one sheet)
  // The header row the user set (1-based sheet row), or nullopt to detect it.
  std::optional<std::int64_t> headerRow() const;
  void setDetectedHeaderRow(std::int64_t row);  // shown as the spin box's hint, not as a choice
  // The range typed, nullopt when empty. `valid` is false when text is there but is no A1 range.
  std::optional<tally::data::CellRange> range(bool* valid = nullptr) const;

  QListWidget* sheetList() const { return sheets_; }
  QSpinBox* headerRowBox() const { return header_; }
  QLineEdit* rangeEdit() const { return range_; }

 signals:
  void previewNeeded();  // the current sheet, header row or range changed

 private:
  QListWidget* sheets_ = nullptr;
  QSpinBox* header_ = nullptr;
  QLineEdit* range_ = nullptr;
  std::vector<tally::data::SheetInfo> info_;
};

}  // namespace tally::ui
