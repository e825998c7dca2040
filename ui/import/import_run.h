#pragma once
// The background side of ImportDialog's imports, one for CSV files and workbook sheets: how a run ended, as the
// dialog's finish handler reads it, and progress posted from the worker thread to the dialog's thread.
#include <QObject>
#include <QString>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "tally/data/csv_import.h"

namespace tally::ui {

// How a background import ended (ImportDialog::onFinished's `status`).
enum ImportFinish { kImported = 0, kAlreadyImported = 1, kCancelled = 2, kFailed = 3 };

struct ImportRunResult {
  int status = kFailed;
  qint64 datasetId = 0;         // the dataset to open: the last one made, or the earlier import of the same bytes
  std::vector<qint64> datasetIds;  // what the run made, and a workbook's sheets found imported before
  QString message;
  QString report;               // problems to read before closing; empty when there are none
};

// A progress callback for the worker thread. It posts the permille done to `onPermille` on `receiver`'s thread,
// counting this import as part `part` (from 0) of `parts` equal parts, and only when the permille changes: one
// queued event per visible step, not per chunk.
std::function<void(const tally::data::ImportProgress&)> post_import_progress(QObject* receiver,
                                                                             std::function<void(int)> onPermille,
                                                                             std::size_t part = 0,
                                                                             std::size_t parts = 1);

inline QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace tally::ui
