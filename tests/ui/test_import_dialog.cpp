// The import dialog end to end: preview, import by clicking Import, the dataset in the document pane, re-import
// detection, the import report, and Cancel.
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <fstream>
#include <gtest/gtest.h>

#include "fixtures.h"
#include "tally/data/store.h"
#include "ui/document/dataset_table_model.h"
#include "ui/document/document_pane.h"
#include "ui/import/import_dialog.h"

namespace {

using tally::ui::DocumentPane;
using tally::ui::ImportDialog;

QString sample_csv() {
  return QString::fromStdString(tally::testing::source_dir() + "/resources/samples/sales_monthly.csv");
}

QString fresh_store(const std::string& name) {
  return QString::fromStdString(tally::testing::scratch_dir(name) + "/tally.db");
}

// Waits (running the event loop) until the dialog's background import is over.
bool wait_for_import(ImportDialog& dlg, int timeoutMs = 60000) {
  QElapsedTimer t;
  t.start();
  QTest::qWait(10);
  while (dlg.importRunning() && t.elapsed() < timeoutMs) QTest::qWait(20);
  QTest::qWait(20);  // the queued finish
  return !dlg.importRunning();
}

QString cell(const QAbstractItemModel* m, int row, int col) { return m->index(row, col).data().toString(); }

TEST(ImportDialog, PreviewShowsDetectedDialectAndTypes) {
  ImportDialog dlg(fresh_store("ui_import_preview"), sample_csv());
  QTableWidget* p = dlg.previewTable();
  ASSERT_EQ(p->columnCount(), 7);
  EXPECT_GT(p->rowCount(), 10);
  EXPECT_TRUE(p->horizontalHeaderItem(0)->text().startsWith(QStringLiteral("month")));
  EXPECT_TRUE(p->horizontalHeaderItem(0)->text().contains(QStringLiteral("month")));  // the type
  EXPECT_TRUE(p->horizontalHeaderItem(4)->text().contains(QStringLiteral("integer")));
  EXPECT_EQ(p->item(0, 1)->text(), QStringLiteral("서울"));
  auto* detected = dlg.findChild<QLabel*>(QStringLiteral("importDetected"));
  ASSERT_NE(detected, nullptr);
  EXPECT_TRUE(detected->text().contains(QStringLiteral("UTF-8"))) << detected->text().toStdString();
  EXPECT_EQ(dlg.nameEdit()->text(), QStringLiteral("sales_monthly"));

  // Overriding the header re-previews: the header line becomes a data row.
  dlg.headerBox()->setCurrentIndex(2);  // no header row
  EXPECT_EQ(p->item(0, 0)->text(), QStringLiteral("month"));
  dlg.headerBox()->setCurrentIndex(0);
  EXPECT_EQ(p->item(0, 0)->text(), QStringLiteral("2023-01"));
  // A delimiter override that does not split the file gives one column.
  dlg.delimiterBox()->setCurrentIndex(2);  // semicolon
  EXPECT_EQ(p->columnCount(), 1);
}

TEST(ImportDialog, DetectsCp949) {
  const QString path = QString::fromStdString(tally::testing::source_dir() + "/resources/samples/sales_monthly_cp949.csv");
  ImportDialog dlg(fresh_store("ui_import_cp949"), path);
  auto* detected = dlg.findChild<QLabel*>(QStringLiteral("importDetected"));
  EXPECT_TRUE(detected->text().contains(QStringLiteral("CP949"))) << detected->text().toStdString();
  ASSERT_GT(dlg.previewTable()->rowCount(), 0);
  EXPECT_EQ(dlg.previewTable()->item(0, 1)->text(), QStringLiteral("서울"));
}

// The user can change a column's type before importing: the sample's units (whole numbers) kept as text, and the
// choice survives a re-preview with another delimiter setting.
TEST(ImportDialog, ChosenColumnTypeIsWhatGetsImported) {
  const QString store = fresh_store("ui_import_types");
  ImportDialog dlg(store, sample_csv());
  dlg.show();
  QComboBox* units = dlg.typeBox(4);
  ASSERT_NE(units, nullptr);
  EXPECT_EQ(static_cast<tally::data::ColumnType>(units->currentData().toInt()), tally::data::ColumnType::Integer);
  units->setCurrentIndex(units->findData(static_cast<int>(tally::data::ColumnType::Text)));
  dlg.delimiterBox()->setCurrentIndex(1);  // ',' chosen explicitly: the preview is rebuilt
  ASSERT_NE(dlg.typeBox(4), nullptr);
  EXPECT_EQ(static_cast<tally::data::ColumnType>(dlg.typeBox(4)->currentData().toInt()), tally::data::ColumnType::Text);
  QTest::mouseClick(dlg.importButton(), Qt::LeftButton);
  ASSERT_TRUE(wait_for_import(dlg));
  auto s = tally::data::Store::open(store.toStdString());
  ASSERT_TRUE(s.ok());
  auto cols = s->dataset_columns(dlg.importedDatasetId());
  ASSERT_TRUE(cols.ok());
  ASSERT_EQ(cols->size(), 7u);
  EXPECT_EQ((*cols)[4].name, "units");
  EXPECT_EQ((*cols)[4].type, "text");
  EXPECT_NE((*cols)[5].type, "text");  // revenue_krw: left as detected
}

TEST(ImportDialog, ImportSampleThenDocumentPaneShowsIt) {
  const QString store = fresh_store("ui_import_sample");
  ImportDialog dlg(store, sample_csv());
  dlg.show();
  QSignalSpy imported(&dlg, &ImportDialog::datasetImported);
  QTest::mouseClick(dlg.importButton(), Qt::LeftButton);
  ASSERT_TRUE(wait_for_import(dlg));
  ASSERT_EQ(imported.count(), 1);
  const qint64 id = dlg.importedDatasetId();
  ASSERT_GT(id, 0);
  EXPECT_EQ(dlg.result(), QDialog::Accepted);

  auto s = tally::data::Store::open(store.toStdString());
  ASSERT_TRUE(s.ok());
  auto ds = s->dataset(id);
  ASSERT_TRUE(ds.ok());
  EXPECT_EQ(ds->row_count, 3456);

  DocumentPane pane(store);
  pane.showDataset(id);
  const QAbstractItemModel* m = pane.tableView()->model();
  ASSERT_EQ(m->rowCount(), 3456);
  ASSERT_EQ(m->columnCount(), 7);
  EXPECT_EQ(cell(m, 0, 0), QStringLiteral("2023-01"));
  EXPECT_EQ(cell(m, 0, 1), QStringLiteral("서울"));
  EXPECT_EQ(cell(m, 0, 2), QStringLiteral("가전"));
  EXPECT_EQ(cell(m, 0, 3), QStringLiteral("온라인"));
  EXPECT_EQ(cell(m, 0, 4), QStringLiteral("59"));
  EXPECT_EQ(cell(m, 0, 5), QStringLiteral("24,580,000"));
  EXPECT_EQ(m->index(0, 5).data(Qt::TextAlignmentRole).toInt() & Qt::AlignRight, Qt::AlignRight);
  EXPECT_TRUE(m->headerData(5, Qt::Horizontal).toString().startsWith(QStringLiteral("revenue_krw")))
      << m->headerData(5, Qt::Horizontal).toString().toStdString();
}

TEST(ImportDialog, SameFileAgainOffersTheExistingDataset) {
  const QString store = fresh_store("ui_import_again");
  qint64 first = 0;
  {
    ImportDialog dlg(store, sample_csv());
    QTest::mouseClick(dlg.importButton(), Qt::LeftButton);
    ASSERT_TRUE(wait_for_import(dlg));
    first = dlg.importedDatasetId();
    ASSERT_GT(first, 0);
  }
  ImportDialog again(store, sample_csv());
  again.show();
  EXPECT_TRUE(again.openExistingButton()->isVisible());
  QTest::mouseClick(again.openExistingButton(), Qt::LeftButton);
  EXPECT_EQ(again.importedDatasetId(), first);
  EXPECT_EQ(again.result(), QDialog::Accepted);
  auto s = tally::data::Store::open(store.toStdString());
  EXPECT_EQ(s->list_datasets()->size(), 1u);
}

TEST(ImportDialog, ReportListsRaggedRowsAndUnreadCells) {
  const std::string dir = tally::testing::scratch_dir("ui_import_report");
  const std::string csv = dir + "/messy.csv";
  {
    std::ofstream f(csv, std::ios::binary);
    f << "city,amount,when\n";
    for (int i = 0; i < 60; ++i) f << "Seoul," << (100 + i) << ",2026-01-" << (i % 28 + 1 < 10 ? "0" : "") << (i % 28 + 1) << "\n";
    f << "Busan,N/A,2026-02-01\n";      // line 62: a missing-value marker in a number column
    f << "Incheon,5\n";                 // line 63: too few fields
    f << "Daegu,7,2026-02-03,extra\n";  // line 64: too many
  }
  ImportDialog dlg(QString::fromStdString(dir + "/tally.db"), QString::fromStdString(csv));
  dlg.show();
  QTest::mouseClick(dlg.importButton(), Qt::LeftButton);
  ASSERT_TRUE(wait_for_import(dlg));
  ASSERT_GT(dlg.importedDatasetId(), 0);
  const QString report = dlg.reportText();
  EXPECT_TRUE(report.contains(QStringLiteral("line 63"))) << report.toStdString();
  EXPECT_TRUE(report.contains(QStringLiteral("line 64"))) << report.toStdString();
  EXPECT_TRUE(report.contains(QStringLiteral("N/A"))) << report.toStdString();
  EXPECT_TRUE(dlg.isVisible());  // stays open until the user has read it
  QTest::mouseClick(dlg.importButton(), Qt::LeftButton);  // now "Open dataset"
  EXPECT_EQ(dlg.result(), QDialog::Accepted);
}

TEST(ImportDialog, CancelWritesNothing) {
  const std::string dir = tally::testing::scratch_dir("ui_import_cancel");
  const std::string csv = dir + "/big.csv";
  {
    std::ofstream f(csv, std::ios::binary);
    f << "id,name,amount\n";
    for (int i = 0; i < 400000; ++i) f << i << ",name " << i << "," << (i * 3 % 1000) << ".5\n";
  }
  const QString store = QString::fromStdString(dir + "/tally.db");
  ImportDialog dlg(store, QString::fromStdString(csv));
  dlg.show();
  QTest::mouseClick(dlg.importButton(), Qt::LeftButton);
  EXPECT_TRUE(dlg.importRunning());
  EXPECT_TRUE(dlg.progressBar()->isVisible());
  QTest::mouseClick(dlg.cancelButton(), Qt::LeftButton);
  ASSERT_TRUE(wait_for_import(dlg));
  EXPECT_EQ(dlg.importedDatasetId(), 0);
  EXPECT_TRUE(dlg.isVisible());  // cancelled, not closed: the user may change options and retry
  auto s = tally::data::Store::open(store.toStdString());
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->list_datasets()->empty());
}

TEST(ImportDialog, UnreadableFileIsReportedNotCrashed) {
  const std::string dir = tally::testing::scratch_dir("ui_import_missing");
  ImportDialog dlg(QString::fromStdString(dir + "/tally.db"), QString::fromStdString(dir + "/nope.csv"));
  EXPECT_FALSE(dlg.importButton()->isEnabled());
  auto* status = dlg.findChild<QLabel*>(QStringLiteral("importStatus"));
  EXPECT_TRUE(status->text().startsWith(QStringLiteral("Cannot read this file"))) << status->text().toStdString();
}

}  // namespace
