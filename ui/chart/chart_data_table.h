#pragma once
// A chart's data as a table for export: with categories (months, regions) one row per category and one column per
// series; with numeric x (scatter, line over numbers, histogram values) one row per point: series, x, y.
#include "copilot/chart_spec.h"
#include "tally/data/export.h"

namespace tally::ui {

tally::data::ExportTable chart_data_table(const tally::app::ChartSpec& spec);

}  // namespace tally::ui
