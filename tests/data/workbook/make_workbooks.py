#!/usr/bin/env python3
"""Writes the workbooks test_data_workbook reads, with python3-openpyxl: every cell type, title rows above a merged
two-row header, Korean names, several sheets (one hidden, one empty), 1904 dates and the 1900 leap-year quirk.
Usage: make_workbooks.py OUTDIR. Exits 3 when openpyxl is missing (the tests then skip)."""
import datetime as dt
import os
import sys

try:
    import openpyxl
    from openpyxl.styles import Alignment
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
except ImportError:
    sys.exit(3)


def types_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Types"
    ws.append(["정수", "실수", "퍼센트", "원화", "불리언", "날짜", "일시", "시각", "텍스트", "코드", "오류", "수식", "한국날짜"])
    rows = [
        (1, 1.5, 0.125, 1200, True, dt.date(2026, 7, 1), dt.datetime(2026, 7, 1, 9, 30, 15), dt.time(9, 30),
         "사과", "00123", "#N/A", "=A2*2", dt.date(2025, 1, 31)),
        (-20, 2.25, 0.5, 35000, False, dt.date(2024, 2, 29), dt.datetime(2024, 2, 29, 23, 59, 59), dt.time(18, 5, 7),
         " 배 ", "00456", 7, "=A3*2", dt.date(2025, 12, 1)),
        (300, -0.75, 1, 0, True, dt.date(1999, 12, 31), dt.datetime(1999, 12, 31, 0, 0, 0), dt.time(0, 0, 1),
         "None", "00789", "#DIV/0!", "=A4*2", dt.date(2000, 2, 29)),
    ]
    for r in rows:
        ws.append(list(r))
    for row in range(2, 5):
        ws.cell(row, 3).number_format = "0.0%"
        ws.cell(row, 4).number_format = '[$₩-412]#,##0'
        ws.cell(row, 6).number_format = "yyyy-mm-dd"
        ws.cell(row, 7).number_format = "yyyy-mm-dd hh:mm:ss"
        ws.cell(row, 8).number_format = "h:mm:ss"
        ws.cell(row, 13).number_format = 'yyyy"년" m"월" d"일"'
    wb.save(path)


def report_workbook(path):
    """A Korean sales report: title, blank row, merged two-row header, then a summary sheet, a hidden and an
    empty sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "매출 보고서"
    ws["A1"] = "2025년 지역별 매출"
    ws.merge_cells("A1:E1")
    ws["A1"].alignment = Alignment(horizontal="center")
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
    data = [("서울", "사과", 10, 15000, "신규"), ("부산", "배", 4, 8800, None), ("대구", "감", 7, 10500, "N/A")]
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            if v is not None:
                ws.cell(5 + i, 1 + j, v)
    s2 = wb.create_sheet("요약")
    s2.append(["월", "합계"])
    s2.append([dt.date(2025, 1, 1), 100])
    s2.append([dt.date(2025, 2, 1), 250])
    for r in (2, 3):
        s2.cell(r, 1).number_format = 'yyyy"년" m"월"'
    hidden = wb.create_sheet("숨김")
    hidden.append(["비밀"])
    hidden.append([1])
    hidden.sheet_state = "hidden"
    wb.create_sheet("빈 시트")
    wb.save(path)


def dates1904_workbook(path):
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Mac"
    ws.append(["when", "at"])
    ws.append([dt.date(2024, 2, 29), dt.datetime(2001, 9, 9, 1, 46, 40)])
    ws.append([dt.date(1904, 1, 2), dt.datetime(1904, 1, 1, 12, 0, 0)])
    for r in (2, 3):
        ws.cell(r, 1).number_format = "yyyy-mm-dd"
        ws.cell(r, 2).number_format = "yyyy-mm-dd hh:mm:ss"
    wb.save(path)


def quirk1900_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Quirk"
    ws.append(["serial", "date"])
    for serial in (1, 59, 60, 61, 45658):
        ws.append([serial, serial])
    for r in range(2, 7):
        ws.cell(r, 2).number_format = "yyyy-mm-dd"
    wb.save(path)


def sparse_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sparse"
    ws["B2"] = "name"
    ws["D2"] = "score"
    ws["B3"] = "kim"
    ws["D3"] = 90
    ws["B6"] = "lee"       # blank rows 4-5 inside the data are skipped
    ws["D6"] = 85
    ws["C7"] = "note only"  # a cell in the unnamed column between
    ws["B7"] = "park"
    ws["D7"] = 70
    wb.save(path)


def bench_workbook(path, rows):
    """The benchmark's 100,000 x 12 sheet: numbers, dates and short strings (write-only mode: streamed)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["id", "region", "product", "qty", "price", "amount", "date", "rate", "flag", "code", "score", "note"])
    regions = ["서울", "부산", "대구", "인천", "광주"]
    products = ["apple", "pear", "grape", "melon", "peach", "plum"]
    base = dt.date(2024, 1, 1)
    from openpyxl.cell import WriteOnlyCell
    date_cell_style = None
    for i in range(rows):
        d = WriteOnlyCell(ws, value=base + dt.timedelta(days=i % 700))
        d.number_format = "yyyy-mm-dd"
        ws.append([i + 1, regions[i % 5], products[i % 6], i % 97, round(1.25 + (i % 40) * 0.5, 2),
                   round((i % 97) * (1.25 + (i % 40) * 0.5), 2), d, (i % 1000) / 1000.0, i % 3 == 0,
                   "C%05d" % (i % 50000), (i * 7) % 101, "n%d" % (i % 13)])
    del date_cell_style
    wb.save(path)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    if len(sys.argv) >= 4 and sys.argv[2] == "--bench":
        bench_workbook(os.path.join(out, "bench.xlsx"), int(sys.argv[3]))
        return
    types_workbook(os.path.join(out, "types.xlsx"))
    report_workbook(os.path.join(out, "report.xlsx"))
    dates1904_workbook(os.path.join(out, "dates1904.xlsx"))
    quirk1900_workbook(os.path.join(out, "quirk1900.xlsx"))
    sparse_workbook(os.path.join(out, "sparse.xlsx"))


if __name__ == "__main__":
    main()
