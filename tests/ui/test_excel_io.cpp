// Workbooks in the UI: the import dialog on a 2-sheet .xls (pick the second sheet, import it), and export to CSV
// from the document pane (a dataset with its filter, and a tool result) and from the chart pane, without dialogs.
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <fstream>
#include <gtest/gtest.h>

#include "fixtures.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"
#include "ui/chart/chart_pane.h"
#include "ui/document/document_pane.h"
#include "ui/import/import_dialog.h"
#include "ui/import/workbook_sheet_picker.h"

namespace {

using tally::ui::ImportDialog;

QString two_sheets() {
  return QString::fromStdString(tally::testing::test_data_dir() + "/workbook/xls/two_sheets.xls");
}

bool wait_until(const std::function<bool()>& done, int timeoutMs = 60000) {
  QElapsedTimer t;
  t.start();
  while (!done() && t.elapsed() < timeoutMs) QTest::qWait(20);
  return done();
}

TEST(WorkbookImportDialog, SecondSheetOfATwoSheetWorkbookIsImported) {
  const std::string dir = tally::testing::scratch_dir("ui_workbook_import");
  const QString store = QString::fromStdString(dir + "/tally.db");
  ImportDialog dlg(store, two_sheets());
  ASSERT_TRUE(dlg.isWorkbook());
  auto* picker = dlg.sheetPicker();
  ASSERT_NE(picker, nullptr);
  ASSERT_EQ(picker->sheetList()->count(), 2);
  EXPECT_TRUE(picker->sheetList()->item(1)->text().startsWith(QStringLiteral("두번째")));
  EXPECT_EQ(dlg.previewTable()->rowCount(), 1);  // First: one data row

  picker->setCurrentSheet(1);
  QTest::qWait(10);
  ASSERT_EQ(dlg.previewTable()->columnCount(), 2);
  EXPECT_EQ(dlg.previewTable()->rowCount(), 2);
  EXPECT_EQ(dlg.previewTable()->item(0, 0)->text(), QStringLiteral("서울"));
  EXPECT_EQ(picker->checkedSheets(), std::vector<int>{1});

  QSignalSpy imported(&dlg, &ImportDialog::datasetImported);
  QTest::mouseClick(dlg.importButton(), Qt::LeftButton);
  ASSERT_TRUE(wait_until([&] { return !dlg.importRunning() && imported.count() > 0; }));
  ASSERT_EQ(dlg.importedDatasetIds().size(), 1u);

  auto s = tally::data::Store::open(store.toStdString());
  ASSERT_TRUE(s.ok());
  auto ds = s->dataset(dlg.importedDatasetIds()[0]);
  ASSERT_TRUE(ds.ok()) << ds.error().message;
  EXPECT_EQ(ds->row_count, 2);
  auto cols = s->dataset_columns(ds->id);
  ASSERT_TRUE(cols.ok());
  ASSERT_EQ(cols->size(), 2u);
  EXPECT_EQ((*cols)[0].name, "지역");
  EXPECT_EQ((*cols)[1].type, "integer");
}

TEST(WorkbookImportDialog, BadRangeIsReportedAndImportDisabled) {
  ImportDialog dlg(QString::fromStdString(tally::testing::scratch_dir("ui_workbook_range") + "/tally.db"),
                   two_sheets());
  auto* picker = dlg.sheetPicker();
  picker->rangeEdit()->setText(QStringLiteral("not a range"));
  emit picker->previewNeeded();
  EXPECT_FALSE(dlg.importButton()->isEnabled());
  picker->rangeEdit()->setText(QStringLiteral("A1:B2"));
  emit picker->previewNeeded();
  EXPECT_TRUE(dlg.importButton()->isEnabled());
}

TEST(DocumentPaneExport, FilteredDatasetGoesToCsvWithoutADialog) {
  const std::string dir = tally::testing::scratch_dir("ui_export_csv");
  const std::string csv = dir + "/sales.csv";
  std::ofstream(csv) << "region,units\n서울,10\n부산,20\n대구,30\n";
  qint64 id = 0;
  {
    auto s = tally::data::Store::open(dir + "/tally.db");
    ASSERT_TRUE(s.ok());
    tally::data::CsvImporter importer(*s);
    auto out = importer.import_file(csv);
    ASSERT_TRUE(out.ok());
    id = out->dataset_id;
  }
  tally::ui::DocumentPane pane(QString::fromStdString(dir + "/tally.db"));
  pane.showDataset(id);
  ASSERT_TRUE(pane.applyFilter(1, QStringLiteral(">="), QStringLiteral("20")));
  QSignalSpy finished(&pane, &tally::ui::DocumentPane::exportFinished);
  const QString out = QString::fromStdString(dir + "/out.csv");
  ASSERT_TRUE(pane.exportShown(out));
  ASSERT_TRUE(wait_until([&] { return finished.count() > 0; }));
  EXPECT_TRUE(finished.at(0).at(0).toBool()) << finished.at(0).at(1).toString().toStdString();
  EXPECT_EQ(tally::testing::read_file(out.toStdString()), "\xEF\xBB\xBFregion,units\r\n부산,20\r\n대구,30\r\n");
  EXPECT_NE(pane.exportExcelAction(), nullptr);
  EXPECT_NE(pane.exportCsvAction(), nullptr);
}

TEST(DocumentPaneExport, ToolResultTableGoesToCsv) {
  const std::string dir = tally::testing::scratch_dir("ui_export_result");
  { ASSERT_TRUE(tally::data::Store::open(dir + "/tally.db").ok()); }
  tally::ui::DocumentPane pane(QString::fromStdString(dir + "/tally.db"));
  pane.showToolResult(QStringLiteral("Top regions"),
                      QStringLiteral(R"({"ok":true,"tool":"sql_query","result":{"columns":["region","n"],)"
                                     R"("rows":[["서울",3],["부산",1.5]]}})"));
  QSignalSpy finished(&pane, &tally::ui::DocumentPane::exportFinished);
  const QString out = QString::fromStdString(dir + "/result.csv");
  ASSERT_TRUE(pane.exportShown(out));
  ASSERT_TRUE(wait_until([&] { return finished.count() > 0; }));
  EXPECT_EQ(tally::testing::read_file(out.toStdString()), "\xEF\xBB\xBFregion,n\r\n서울,3\r\n부산,1.5\r\n");
}

TEST(ChartPaneExport, SeriesGoToCsvOnePerColumn) {
  tally::app::ChartSpec spec;
  spec.type = tally::app::ChartType::Bar;
  spec.title = "Units";
  spec.x_title = "month";
  spec.categories = {"2026-01", "2026-02"};
  spec.series = {{"서울", {}, {10, 20}}, {"부산", {}, {5, std::nan("")}}};
  tally::ui::ChartPane pane;
  pane.showChart(spec);
  EXPECT_TRUE(pane.exportDataButton()->isEnabled());
  QSignalSpy finished(&pane, &tally::ui::ChartPane::dataExportFinished);
  const QString out = QString::fromStdString(tally::testing::scratch_dir("ui_chart_data") + "/chart.csv");
  ASSERT_TRUE(pane.exportData(out));
  ASSERT_TRUE(wait_until([&] { return finished.count() > 0; }));
  EXPECT_EQ(tally::testing::read_file(out.toStdString()),
            "\xEF\xBB\xBFmonth,서울,부산\r\n2026-01,10,5\r\n2026-02,20,\r\n");
}

}  // namespace
