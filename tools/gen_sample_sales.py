#!/usr/bin/env python3
"""Generates Tally's sample dataset: monthly sales 2023-01..2026-12 by region, product line and channel.

Deterministic (fixed seed, standard library only): running it again rewrites byte-identical files.
Writes resources/samples/sales_monthly.csv (UTF-8, LF) and sales_monthly_cp949.csv (CP949, CRLF, as Korean
Excel saves it). The planted anomalies are listed in resources/samples/README.md and in ANOMALIES below.

usage: python3 tools/gen_sample_sales.py [OUTPUT_DIR]
"""
import csv
import io
import os
import random
import sys

SEED = 20260101
MONTHS = [(y, m) for y in range(2023, 2027) for m in range(1, 13)]

# Region weights roughly follow population and spending (Seoul and Gyeonggi lead).
REGIONS = [("서울", 1.00), ("경기", 0.92), ("부산", 0.45), ("인천", 0.38), ("대구", 0.34),
           ("대전", 0.22), ("광주", 0.21), ("울산", 0.17)]
# Product line: (monthly units at weight 1.0, unit price KRW, cost ratio).
PRODUCTS = [("가전", 180, 420_000, 0.72), ("생활용품", 2_400, 18_000, 0.58), ("식품", 5_200, 9_500, 0.66)]
# Channel share at the start and its change per year (online grows, offline shrinks).
CHANNELS = [("온라인", 0.38, +0.040), ("오프라인", 0.50, -0.045), ("홈쇼핑", 0.12, +0.005)]

# Month factors: December peak (year-end and gifts), November sales events, Lunar New Year (Jan/Feb) and Chuseok
# (Sep) for food, summer (Jul/Aug) air conditioners for appliances.
SEASON_ALL = {1: 0.92, 2: 0.88, 3: 0.97, 4: 0.98, 5: 1.02, 6: 0.99, 7: 1.01, 8: 1.00, 9: 1.02, 10: 1.03,
              11: 1.15, 12: 1.35}
SEASON_PRODUCT = {"식품": {1: 1.18, 2: 1.10, 9: 1.22}, "가전": {7: 1.25, 8: 1.15}}
TREND_PER_YEAR = 0.06

# (month, region, product, channel or None for all channels, what happens) — documented in the README.
ANOMALIES = [
    ("2023-11", "인천", "생활용품", "온라인", "revenue x10 (an extra zero typed; units normal)"),
    ("2024-03", "부산", "가전", "온라인", "units and revenue x4 (one bulk corporate order)"),
    ("2025-08", "대구", None, "오프라인", "units and revenue x0.2 (stores closed by flooding)"),
    ("2026-05", "서울", "식품", "홈쇼핑", "units 0 and revenue 0 (the broadcaster's report is missing)"),
]
MISSING_COST = ("2025-02", "광주", "식품", "오프라인")  # the cost cell is empty


def rows():
    rng = random.Random(SEED)
    out = []
    for i, (y, m) in enumerate(MONTHS):
        month = f"{y}-{m:02d}"
        years = i / 12.0
        for region, weight in REGIONS:
            for product, units0, price, cost_ratio in PRODUCTS:
                for channel, share0, drift in CHANNELS:
                    share = share0 + drift * years
                    season = SEASON_ALL[m] * SEASON_PRODUCT.get(product, {}).get(m, 1.0)
                    noise = 1.0 + rng.uniform(-0.06, 0.06)
                    units = units0 * weight * share * season * (1 + TREND_PER_YEAR) ** years * noise
                    unit_price = price * (1 + 0.02 * years) * (1 + rng.uniform(-0.02, 0.02))
                    units = max(0, round(units))
                    revenue = round(units * unit_price, -3)
                    cost = round(revenue * cost_ratio * (1 + rng.uniform(-0.03, 0.03)), -3)
                    for a_month, a_region, a_product, a_channel, _ in ANOMALIES:
                        if (month, region, channel) == (a_month, a_region, a_channel) and a_product in (None, product):
                            if a_region == "인천":  # a typo in one cell: cost stays as it was
                                revenue *= 10
                            elif a_region == "부산":
                                units, revenue, cost = units * 4, revenue * 4, cost * 4
                            elif a_region == "대구":
                                units, revenue, cost = round(units * 0.2), round(revenue * 0.2, -3), round(cost * 0.2, -3)
                            else:
                                units, revenue, cost = 0, 0, 0
                    cost_cell = "" if (month, region, product, channel) == MISSING_COST else int(cost)
                    out.append([month, region, product, channel, units, int(revenue), cost_cell])
    return out


def write(path, encoding, newline):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(["month", "region", "product_line", "channel", "units", "revenue_krw", "cost_krw"])
    w.writerows(rows())
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode(encoding))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources", "samples")
    os.makedirs(out_dir, exist_ok=True)
    write(os.path.join(out_dir, "sales_monthly.csv"), "utf-8", "\n")
    write(os.path.join(out_dir, "sales_monthly_cp949.csv"), "cp949", "\r\n")


if __name__ == "__main__":
    main()
