#pragma once
// A dataset's rows as a Qt table model that reads SQLite lazily: rows are fetched in pages of kPageRows by rowid
// (never LIMIT/OFFSET, which re-reads every skipped row) into a small LRU cache as the view asks for them, so a
// million-row table scrolls and jumps to its end at the cost of one page. The importer writes rowids 1..N, so the
// plain view maps row i to a rowid range; a sort or filter resolves the visible order to a list of rowids once
// (8 bytes a row) and pages look those up by primary key.
#include <QAbstractTableModel>
#include <QThread>
#include <QString>
#include <QVariant>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "tally/data/database.h"

namespace tally::ui {

struct DatasetColumnInfo {
  QString name;         // as in the file's header
  std::string sqlName;  // the column of the dataset's table
  QString type;         // integer, decimal, percent, currency, boolean, date, month, datetime, text
  QString unit;         // KRW, USD, %, ... or empty
  bool numeric() const;
};

// Which rows are visible: a WHERE fragment over the dataset's table with its values bound to ?1, ?2, ...
struct RowFilter {
  std::string where;  // empty: every row
  std::vector<QVariant> binds;
};

// The visible order of a dataset's rows, worked out from a filter and a sort (off the UI thread for big tables).
struct RowOrderQuery {
  std::string table;
  QString datasetName;
  std::vector<DatasetColumnInfo> columns;
  RowFilter filter;
  int sortColumn = -1;
  Qt::SortOrder order = Qt::AscendingOrder;
};

struct RowOrder {
  bool ok = false;
  QString error;
  bool contiguous = true;        // row i is rowid firstRowid + i
  std::int64_t firstRowid = 1;
  std::vector<std::int64_t> rowids;  // else the rowids in order
  qint64 rows = 0;
  qint64 total = -1;             // rows of the unfiltered table, when this query counted them
};

RowOrder resolve_row_order(const tally::data::Database& db, const RowOrderQuery& query);

class DatasetTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  static constexpr int kPageRows = 500;
  static constexpr std::size_t kCachedPages = 24;
  static constexpr int kRawValueRole = Qt::UserRole + 1;  // the stored value, unformatted
  // Header-click sorts of at least this many visible rows run on a background thread (see orderChanged).
  static constexpr int kBackgroundSortRows = 100'000;

  explicit DatasetTableModel(QObject* parent = nullptr);
  ~DatasetTableModel() override;

  // Opens `path` read-only (its own connection, for the UI thread).
  bool openStore(const QString& path, QString* error);
  bool setDataset(qint64 datasetId, QString* error);
  bool setFilter(RowFilter filter, QString* error);
  // Both return false (and keep the previous rows) when the SQL fails.
  bool setSort(int column, Qt::SortOrder order, QString* error);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  // The view's header click: synchronous for small tables, else on a thread, announced by orderChanged().
  void sort(int column, Qt::SortOrder order) override;
  bool orderPending() const { return orderPending_; }

  const std::vector<DatasetColumnInfo>& columns() const { return columns_; }
  QString datasetName() const { return datasetName_; }
  const std::string& tableName() const { return table_; }
  qint64 datasetId() const { return datasetId_; }
  qint64 totalRows() const { return totalRows_; }
  const RowFilter& filter() const { return filter_; }
  int sortColumn() const { return sortColumn_; }
  Qt::SortOrder sortOrder() const { return sortOrder_; }
  const tally::data::Database& database() const { return db_; }
  QString storePath() const { return storePath_; }
  QString lastError() const { return lastError_; }

  // Page-fetch timing, for the tests and the benchmark note in the report.
  double lastPageFetchMs() const { return lastFetchMs_; }
  int pageFetches() const { return fetches_; }
  void clearCache() const;

 signals:
  void errorOccurred(const QString& message);
  void orderChanged();  // a sort requested through sort() is in place (or failed, with errorOccurred)

 private:
  struct Page {
    std::vector<QVariant> cells;  // row-major, rows x columns
    int rows = 0;
  };
  const Page* page(int index) const;
  bool loadPage(int index, Page& out) const;
  bool resolveOrder(const RowFilter& filter, int sortColumn, Qt::SortOrder order, QString* error);
  RowOrderQuery orderQuery(const RowFilter& filter, int sortColumn, Qt::SortOrder order) const;
  void applyOrder(RowOrder&& order);
  void finishSort(int generation, const RowOrderQuery& query, RowOrder order);
  std::string selectList() const;

  tally::data::Database db_;
  QString storePath_;
  qint64 datasetId_ = 0;
  QString datasetName_;
  std::string table_;
  std::vector<DatasetColumnInfo> columns_;
  qint64 totalRows_ = 0;

  RowFilter filter_;
  int sortColumn_ = -1;
  Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
  // Visible order: when contiguous_, row i is rowid firstRowid_ + i; else rowids_[i].
  bool contiguous_ = true;
  std::int64_t firstRowid_ = 1;
  std::vector<std::int64_t> rowids_;
  int rows_ = 0;
  int orderGeneration_ = 0;  // bumps on every new order request; stale background results are dropped
  bool orderPending_ = false;
  int pendingColumn_ = -1;
  Qt::SortOrder pendingOrder_ = Qt::AscendingOrder;
  std::vector<QThread*> orderThreads_;  // waited for on destruction: they post back to this model

  mutable std::list<int> lru_;  // most recently used page first
  mutable std::unordered_map<int, std::pair<Page, std::list<int>::iterator>> cache_;
  mutable double lastFetchMs_ = 0;
  mutable int fetches_ = 0;
  mutable QString lastError_;
};

// Binds a QVariant (null, integer, double or text) as SQLite parameter `index`.
void bind_variant(tally::data::Statement& st, int index, const QVariant& value);

}  // namespace tally::ui
