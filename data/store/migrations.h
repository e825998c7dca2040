#pragma once
// Versioned schema migrations: PRAGMA user_version holds the schema version; each step after it runs in a
// transaction of its own, so a crash mid-upgrade leaves the file at the previous version, never in between.
#include "tally/data/database.h"

namespace tally::data {

inline constexpr int kSchemaVersion = 3;

// Brings `db` to kSchemaVersion. Refuses files written by a newer Tally (a higher user_version).
Status migrate(const Database& db);

}  // namespace tally::data
