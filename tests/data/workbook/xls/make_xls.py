#!/usr/bin/python3
"""Regenerates the committed .xls test files (CI has no LibreOffice): writes .xlsx sources with openpyxl, then
converts them with LibreOffice headless. Run from this folder: /usr/bin/python3 make_xls.py"""
import datetime
import os
import subprocess
import tempfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

tmp = tempfile.mkdtemp()


def save(wb, name):
    src = os.path.join(tmp, name + ".xlsx")
    wb.save(src)
    subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", ".", src], check=True,
                   stdout=subprocess.DEVNULL)


# types.xls: every cell type on a sheet "Data", with a title row and a blank row above the header; a hidden
# second sheet "숨김" and a third, empty sheet.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Data"
ws.append(["월간 매출 보고서"])
ws.append([])
ws.append(["id", "amount", "name", "ok", "day", "at", "time", "rate", "err", "code"])
ws.append([1, 10.5, "서울", True, datetime.date(2026, 7, 1), datetime.datetime(2026, 7, 1, 9, 30, 15),
           datetime.time(13, 45, 0), 0.125, "=1/0", "00123"])
ws.append([2, -2.25, "Busan", False, datetime.date(1900, 3, 1), datetime.datetime(2000, 2, 29, 23, 59, 59),
           datetime.time(0, 0, 1), 1.5, "=NA()", "A-7"])
ws.append([3, None, "", None, datetime.date(2024, 12, 31), None, None, None, "=2+3", None])
for row in ws.iter_rows(min_row=4, max_row=6):
    row[4].number_format = "yyyy-mm-dd"
    row[5].number_format = "yyyy-mm-dd hh:mm:ss"
    row[6].number_format = "hh:mm:ss"
    row[7].number_format = "0.0%"
hidden = wb.create_sheet("숨김")
hidden.sheet_state = "hidden"
hidden.append(["k", "v"])
hidden.append(["a", 1])
wb.create_sheet("Empty")
save(wb, "types")

# date1904.xls: the 1904 date system.
wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.title = "Mac"
ws.append(["day", "n"])
ws.append([datetime.date(2026, 7, 1), 1])
ws.append([datetime.date(1904, 1, 2), 2])
for row in ws.iter_rows(min_row=2, max_row=3):
    row[0].number_format = "yyyy-mm-dd"
save(wb, "date1904")

# two_sheets.xls: two data sheets for the dialog's sheet selector.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "First"
ws.append(["a", "b"])
ws.append([1, "x"])
ws2 = wb.create_sheet("두번째")
ws2.append(["지역", "매출"])
ws2.append(["서울", 100])
ws2.append(["부산", 200])
save(wb, "two_sheets")

# report.xls: a Korean report with a title row and a merged two-row header (as report.xlsx in make_workbooks.py).
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "매출 보고서"
ws["A1"] = "2025년 지역별 매출"
ws.merge_cells("A1:E1")
ws["A3"] = "지역"
ws.merge_cells("A3:A4")
ws["B3"] = "품목"
ws.merge_cells("B3:B4")
ws["C3"] = "2025 매출"
ws.merge_cells("C3:D3")
ws["C4"] = "수량"
ws["D4"] = "금액"
ws["E3"] = "비고"
ws.merge_cells("E3:E4")
for i, row in enumerate([("서울", "사과", 10, 15000, "신규"), ("부산", "배", 4, 8800, None), ("대구", "감", 7, 10500, "N/A")]):
    for j, v in enumerate(row):
        if v is not None:
            ws.cell(5 + i, 1 + j, v)
save(wb, "report")

# password.xls: LibreOffice headless cannot set a password from the command line, so the workbook globals of
# two_sheets.xls get a FILEPASS record (0x002F) in place of its WRITEACCESS record (0x005C, same length): readers
# then see a password-protected (encrypted) workbook.
data = open("two_sheets.xls", "rb").read()
at = data.find(b"\x5c\x00\x70\x00")
assert at > 0 and data.count(b"\x5c\x00\x70\x00") == 1
open("password.xls", "wb").write(data[:at] + b"\x2f\x00" + data[at + 2:])
