#!/usr/bin/env python3
"""The comparison for bench_data_workbook: python3-openpyxl's read-only mode iterating every cell value of the first
sheet of FILE. Prints "<seconds> <cells>". Exits 3 when openpyxl is missing."""
import sys
import time

try:
    import openpyxl
except ImportError:
    sys.exit(3)

start = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb.worksheets[0]
cells = 0
for row in ws.iter_rows(values_only=True):
    for value in row:
        if value is not None:
            cells += 1
wb.close()
print("%.3f %d" % (time.perf_counter() - start, cells))
