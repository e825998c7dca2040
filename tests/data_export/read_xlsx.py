#!/usr/bin/env python3
"""Reads an .xlsx with openpyxl (a reader Tally does not share code with) and prints what the export tests check
as JSON: per sheet its name, frozen pane, column widths and every cell's type, value, number format and boldness.
Exit code 3 when openpyxl is missing, so the test can skip."""
import datetime
import json
import sys

try:
    import openpyxl
except ImportError:
    sys.exit(3)


def cell_json(c):
    v = c.value
    if isinstance(v, datetime.datetime):
        t, v = "datetime", v.isoformat(sep=" ")
    elif isinstance(v, datetime.date):
        t, v = "date", v.isoformat()
    elif isinstance(v, bool):
        t = "bool"
    elif isinstance(v, (int, float)):
        t = "number"
    elif v is None:
        t = "empty"
    else:
        t = "text"
    return {"t": t, "v": v, "fmt": c.number_format, "bold": bool(c.font and c.font.b)}


wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
    out.append({
        "name": ws.title,
        "freeze": ws.freeze_panes,
        "widths": widths,
        "rows": [[cell_json(c) for c in row] for row in ws.iter_rows()],
    })
json.dump(out, sys.stdout, ensure_ascii=False)
