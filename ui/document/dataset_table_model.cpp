#include "ui/document/dataset_table_model.h"

#include <sqlite3.h>

#include <QCoreApplication>
#include <QThread>
#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "ui/document/cell_format.h"
#include "ui/document/sqlite_cell.h"

namespace tally::ui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

bool DatasetColumnInfo::numeric() const {
  return type == QLatin1String("integer") || type == QLatin1String("decimal") || type == QLatin1String("percent") ||
         type == QLatin1String("currency");
}

void bind_variant(tally::data::Statement& st, int index, const QVariant& value) {
  if (!value.isValid() || value.isNull()) {
    st.bind(index, nullptr);
    return;
  }
  switch (value.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::Bool: st.bind(index, static_cast<std::int64_t>(value.toLongLong())); return;
    case QMetaType::Double: st.bind(index, value.toDouble()); return;
    default: st.bind(index, value.toString().toStdString()); return;
  }
}

DatasetTableModel::DatasetTableModel(QObject* parent) : QAbstractTableModel(parent) {}
DatasetTableModel::~DatasetTableModel() {
  for (QThread* t : orderThreads_) {
    t->wait();
    delete t;
  }
}

bool DatasetTableModel::openStore(const QString& path, QString* error) {
  tally::data::OpenOptions options;
  options.read_only = true;
  auto db = tally::data::Database::open(path.toStdString(), options);
  if (!db) {
    if (error) *error = tr("Cannot open the store %1: %2").arg(path, qs(db.error().message));
    return false;
  }
  db_ = std::move(*db);
  storePath_ = path;
  // Sorting a million rows by a column: with SQLite's default cache the sorter spills to temporary files; in
  // memory, with a helper thread, it takes a fraction of the time. Failures only cost speed.
  (void)db_.exec("PRAGMA temp_store = MEMORY");
  (void)db_.exec("PRAGMA cache_size = -32768");
  (void)db_.exec("PRAGMA threads = 2");
  return true;
}

bool DatasetTableModel::setDataset(qint64 datasetId, QString* error) {
  if (!db_.is_open()) {
    if (error) *error = tr("No store is open");
    return false;
  }
  auto st = db_.prepare("SELECT name, table_name FROM datasets WHERE id = ?1");
  if (!st) {
    if (error) *error = qs(st.error().message);
    return false;
  }
  st->bind(1, static_cast<std::int64_t>(datasetId));
  auto row = st->step();
  if (!row || !*row) {
    if (error) *error = tr("Dataset %1 does not exist in %2").arg(datasetId).arg(storePath_);
    return false;
  }
  const QString name = qs(st->column_text(0));
  const std::string table = st->column_text(1);

  std::vector<DatasetColumnInfo> cols;
  auto cs = db_.prepare("SELECT name, sql_name, type, unit FROM dataset_columns WHERE dataset_id = ?1 ORDER BY ordinal");
  if (!cs) {
    if (error) *error = qs(cs.error().message);
    return false;
  }
  cs->bind(1, static_cast<std::int64_t>(datasetId));
  for (;;) {
    auto r = cs->step();
    if (!r) {
      if (error) *error = qs(r.error().message);
      return false;
    }
    if (!*r) break;
    cols.push_back({qs(cs->column_text(0)), cs->column_text(1), qs(cs->column_text(2)), qs(cs->column_text(3))});
  }

  ++orderGeneration_;
  orderPending_ = false;
  beginResetModel();
  datasetId_ = datasetId;
  datasetName_ = name;
  table_ = table;
  columns_ = std::move(cols);
  filter_ = {};
  sortColumn_ = -1;
  sortOrder_ = Qt::AscendingOrder;
  clearCache();
  QString err;
  const bool ok = resolveOrder({}, -1, Qt::AscendingOrder, &err);
  if (!ok) {
    rows_ = 0;
    rowids_.clear();
  }
  endResetModel();
  if (!ok && error) *error = err;
  return ok;
}

bool DatasetTableModel::setFilter(RowFilter filter, QString* error) {
  ++orderGeneration_;
  orderPending_ = false;
  QString err;
  beginResetModel();
  const bool ok = resolveOrder(filter, sortColumn_, sortOrder_, &err);
  if (ok) filter_ = std::move(filter);
  clearCache();
  endResetModel();
  if (!ok) {
    if (error) *error = err;
    lastError_ = err;
  }
  return ok;
}

bool DatasetTableModel::setSort(int column, Qt::SortOrder order, QString* error) {
  if (column >= static_cast<int>(columns_.size())) column = -1;
  QString err;
  emit layoutAboutToBeChanged();
  const bool ok = resolveOrder(filter_, column, order, &err);
  if (ok) {
    sortColumn_ = column;
    sortOrder_ = order;
  }
  clearCache();
  emit layoutChanged();
  if (!ok) {
    if (error) *error = err;
    lastError_ = err;
  }
  return ok;
}

void DatasetTableModel::sort(int column, Qt::SortOrder order) {
  if (column >= static_cast<int>(columns_.size())) column = -1;
  // The view may ask twice for one header click (indicator change and explicit sort): a 1M-row sort is not free.
  if (!orderPending_ && column == sortColumn_ && (column < 0 || order == sortOrder_)) return;
  if (orderPending_ && column == pendingColumn_ && order == pendingOrder_) return;
  if (rows_ < kBackgroundSortRows || storePath_.isEmpty()) {
    QString err;
    if (!setSort(column, order, &err)) emit errorOccurred(err);
    emit orderChanged();
    return;
  }
  // Large tables sort on a thread with a connection of its own; the rows shown stay usable meanwhile.
  const int generation = ++orderGeneration_;
  orderPending_ = true;
  pendingColumn_ = column;
  pendingOrder_ = order;
  const QString path = storePath_;
  const RowOrderQuery query = orderQuery(filter_, column, order);
  QThread* thread = QThread::create([this, path, query, generation] {
    tally::data::OpenOptions options;
    options.read_only = true;
    RowOrder o;
    auto db = tally::data::Database::open(path.toStdString(), options);
    if (!db) {
      o.error = qs(db.error().message);
    } else {
      (void)db->exec("PRAGMA temp_store = MEMORY");
      o = resolve_row_order(*db, query);
    }
    QMetaObject::invokeMethod(
        this, [this, generation, query, o = std::move(o)]() mutable { finishSort(generation, query, std::move(o)); },
        Qt::QueuedConnection);
  });
  orderThreads_.push_back(thread);
  connect(thread, &QThread::finished, this, [this, thread] {
    orderThreads_.erase(std::remove(orderThreads_.begin(), orderThreads_.end(), thread), orderThreads_.end());
    thread->deleteLater();
  });
  thread->start();
}

void DatasetTableModel::finishSort(int generation, const RowOrderQuery& query, RowOrder order) {
  if (generation != orderGeneration_) return;  // a newer sort, filter or dataset replaced this one
  orderPending_ = false;
  if (!order.ok) {
    lastError_ = order.error;
    emit errorOccurred(order.error);
    emit orderChanged();
    return;
  }
  emit layoutAboutToBeChanged();
  applyOrder(std::move(order));
  sortColumn_ = query.sortColumn;
  sortOrder_ = query.order;
  clearCache();
  emit layoutChanged();
  emit orderChanged();
}

RowOrder resolve_row_order(const tally::data::Database& db, const RowOrderQuery& q) {
  RowOrder out;
  const std::string table = tally::data::quote_identifier(q.table);
  auto fail = [&](const std::string& message) {
    out.error = DatasetTableModel::tr("Dataset \"%1\": %2").arg(q.datasetName, qs(message));
    return out;
  };
  if (q.filter.where.empty() && q.sortColumn < 0) {
    auto st = db.prepare("SELECT count(*), min(rowid), max(rowid) FROM " + table);
    if (!st) return fail(st.error().message);
    auto r = st->step();
    if (!r) return fail(r.error().message);
    const std::int64_t count = st->column_int64(0);
    out.total = count;
    if (count == 0 || st->column_int64(2) - st->column_int64(1) + 1 == count) {
      out.ok = true;
      out.contiguous = true;
      out.firstRowid = count == 0 ? 1 : st->column_int64(1);
      out.rows = count;
      return out;
    }
  }
  std::string sql = "SELECT rowid FROM " + table;
  if (!q.filter.where.empty()) sql += " WHERE (" + q.filter.where + ")";
  if (q.sortColumn >= 0 && static_cast<std::size_t>(q.sortColumn) < q.columns.size()) {
    const std::string col = tally::data::quote_identifier(q.columns[static_cast<std::size_t>(q.sortColumn)].sqlName);
    // NULLs last in both directions: an empty cell is never the answer to "largest" or "smallest".
    sql += " ORDER BY " + col + " IS NULL, " + col + (q.order == Qt::AscendingOrder ? " ASC" : " DESC") + ", rowid";
  } else {
    sql += " ORDER BY rowid";
  }
  auto st = db.prepare(sql);
  if (!st) return fail(st.error().message);
  for (std::size_t i = 0; i < q.filter.binds.size(); ++i) bind_variant(*st, static_cast<int>(i + 1), q.filter.binds[i]);
  for (;;) {
    auto r = st->step();
    if (!r) return fail(r.error().message);
    if (!*r) break;
    out.rowids.push_back(st->column_int64(0));
  }
  if (q.filter.where.empty()) out.total = static_cast<qint64>(out.rowids.size());
  out.contiguous = false;
  out.rows = static_cast<qint64>(out.rowids.size());
  out.ok = true;
  return out;
}

RowOrderQuery DatasetTableModel::orderQuery(const RowFilter& filter, int sortColumn, Qt::SortOrder order) const {
  return RowOrderQuery{table_, datasetName_, columns_, filter, sortColumn, order};
}

void DatasetTableModel::applyOrder(RowOrder&& o) {
  contiguous_ = o.contiguous;
  firstRowid_ = o.firstRowid;
  rowids_ = std::move(o.rowids);
  if (contiguous_) rowids_.shrink_to_fit();
  rows_ = static_cast<int>(std::min<qint64>(o.rows, INT32_MAX));
  if (o.total >= 0) totalRows_ = o.total;
}

bool DatasetTableModel::resolveOrder(const RowFilter& filter, int sortColumn, Qt::SortOrder order, QString* error) {
  RowOrder o = resolve_row_order(db_, orderQuery(filter, sortColumn, order));
  if (!o.ok) {
    if (error) *error = o.error;
    return false;
  }
  applyOrder(std::move(o));
  return true;
}

std::string DatasetTableModel::selectList() const {
  std::string s = "rowid";
  for (const auto& c : columns_) s += ", " + tally::data::quote_identifier(c.sqlName);
  return s;
}

void DatasetTableModel::clearCache() const {
  cache_.clear();
  lru_.clear();
}

bool DatasetTableModel::loadPage(int index, Page& out) const {
  const auto start = std::chrono::steady_clock::now();
  const int first = index * kPageRows;
  const int n = std::min(kPageRows, rows_ - first);
  if (n <= 0) return false;
  const std::size_t ncols = columns_.size();
  out.rows = n;
  out.cells.assign(static_cast<std::size_t>(n) * ncols, QVariant());

  const std::string table = tally::data::quote_identifier(table_);
  std::string sql = "SELECT " + selectList() + " FROM " + table;
  std::unordered_map<std::int64_t, int> slot;  // rowid -> row within the page (sorted or filtered order)
  if (contiguous_) {
    sql += " WHERE rowid BETWEEN ?1 AND ?2";
  } else {
    sql += " WHERE rowid IN (";
    slot.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      const std::int64_t id = rowids_[static_cast<std::size_t>(first + i)];
      slot.emplace(id, i);
      if (i) sql += ',';
      sql += std::to_string(id);  // integers we hold, not user text
    }
    sql += ")";
  }
  auto st = db_.prepare(sql);
  if (!st) {
    lastError_ = qs(st.error().message);
    return false;
  }
  if (contiguous_) {
    st->bind(1, firstRowid_ + first);
    st->bind(2, firstRowid_ + first + n - 1);
  }
  for (;;) {
    auto r = st->step();
    if (!r) {
      lastError_ = qs(r.error().message);
      return false;
    }
    if (!*r) break;
    const std::int64_t id = st->column_int64(0);
    int row = -1;
    if (contiguous_) {
      row = static_cast<int>(id - firstRowid_ - first);
    } else if (auto it = slot.find(id); it != slot.end()) {
      row = it->second;
    }
    if (row < 0 || row >= n) continue;
    for (std::size_t c = 0; c < ncols; ++c)
      out.cells[static_cast<std::size_t>(row) * ncols + c] = sqliteCell(st->handle(), static_cast<int>(c + 1));
  }
  lastFetchMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ++fetches_;
  return true;
}

const DatasetTableModel::Page* DatasetTableModel::page(int index) const {
  if (auto it = cache_.find(index); it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.second);
    return &it->second.first;
  }
  Page p;
  if (!loadPage(index, p)) return nullptr;
  while (cache_.size() >= kCachedPages && !lru_.empty()) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(index);
  auto [it, inserted] = cache_.emplace(index, std::make_pair(std::move(p), lru_.begin()));
  return &it->second.first;
}

int DatasetTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_; }

int DatasetTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(columns_.size());
}

QVariant DatasetTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rows_ || index.column() >= static_cast<int>(columns_.size())) return {};
  const auto& col = columns_[static_cast<std::size_t>(index.column())];
  if (role == Qt::TextAlignmentRole)
    return QVariant::fromValue(col.numeric() ? (Qt::AlignRight | Qt::AlignVCenter) : (Qt::AlignLeft | Qt::AlignVCenter));
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != kRawValueRole) return {};
  const Page* p = page(index.row() / kPageRows);
  if (!p) return {};
  const int r = index.row() % kPageRows;
  if (r >= p->rows) return {};
  const QVariant& v = p->cells[static_cast<std::size_t>(r) * columns_.size() + static_cast<std::size_t>(index.column())];
  if (role == kRawValueRole) return v;
  if (role == Qt::ToolTipRole) {
    if (v.isNull()) return tr("(empty)");
    return v.typeId() == QMetaType::QString ? v : QVariant(format_cell(v, col.type));
  }
  return format_cell(v, col.type);
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Vertical) {
    if (role == Qt::DisplayRole) return display_locale().toString(section + 1);
    return {};
  }
  if (section < 0 || section >= static_cast<int>(columns_.size())) return {};
  const auto& c = columns_[static_cast<std::size_t>(section)];
  if (role == Qt::DisplayRole) return title_with_unit(c.name, c.unit);
  if (role == Qt::ToolTipRole) return tr("%1 — %2 (SQL column %3)").arg(c.name, c.type, qs(c.sqlName));
  return {};
}

}  // namespace tally::ui
