#include "ui/import/import_run.h"

#include <memory>

namespace tally::ui {

std::function<void(const tally::data::ImportProgress&)> post_import_progress(QObject* receiver,
                                                                             std::function<void(int)> onPermille,
                                                                             std::size_t part, std::size_t parts) {
  // Shared, not captured by value: the importer may copy the callback, and every copy must skip the same steps.
  auto last = std::make_shared<int>(-1);
  return [receiver, onPermille = std::move(onPermille), part, parts, last](const tally::data::ImportProgress& p) {
    if (p.bytes_total == 0) return;
    const double done = static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total);
    const int permille =
        static_cast<int>(1000.0 * (static_cast<double>(part) + done) / static_cast<double>(parts == 0 ? 1 : parts));
    if (permille == *last) return;
    *last = permille;
    QMetaObject::invokeMethod(receiver, [onPermille, permille] { onPermille(permille); }, Qt::QueuedConnection);
  };
}

}  // namespace tally::ui
