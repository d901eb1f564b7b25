#!/usr/bin/python3
"""Build the NAFLD benchmark table: one row per patient, 64 numeric features, id and status.

Usage: /usr/bin/python3 bench/prepare_nafld.py OUT.csv [--data DIR]

Reads survival_nafld1.csv (baseline), survival_nafld2.csv (lab and vital measurements) and
survival_nafld3.csv (outcome events) from the survival R package's nafld data (Allen, Therneau et
al. 2018, Hepatology 67:1726-1736). In nafld2 every chol row repeats an hdl row and every dbp row
repeats an sbp row, so only hdl, sbp, fib4 and smoke are used. futime is left out because it
encodes the follow-up that ends at death, the label.

Columns: id, status (1 = dead), then
  baseline (6): age, male, weight, height, bmi, nafld_case (case.id == id)
  per test in hdl, sbp, fib4, smoke (8 each): count, mean, sd (population), min, max, first, last
    (by day), slope (value per year, least squares over days)
  per event in nafld3 (2 each): indicator, days to first event
  extra (6): measurements, first_day, last_day, hdl_median, sbp_median, events (distinct types)
A missing value is an empty field. Statistics are empty for a patient without values of that
test, sd and slope with fewer than two values, slope also when all days are equal, and days when
the event did not occur.
The output is deterministic: rows in nafld1 order, values written with 10 significant digits.
"""

import argparse
import csv
import math
import os
import statistics
import sys
from collections import defaultdict

TESTS = ("hdl", "sbp", "fib4", "smoke")
EVENTS = ("afib", "ang/isc", "cardiac arrest", "diabetes", "heart failure", "htn",
          "dyslipidemia", "MI", "nafld", "stroke")
TEST_STATS = ("count", "mean", "sd", "min", "max", "first", "last", "slope")
DAYS_PER_YEAR = 365.25


def event_name(event):
    return event.replace("/", "_").replace(" ", "_")


def header():
    names = ["id", "status", "age", "male", "weight", "height", "bmi", "nafld_case"]
    names += [f"{test}_{stat}" for test in TESTS for stat in TEST_STATS]
    for event in EVENTS:
        names += [f"{event_name(event)}_event", f"{event_name(event)}_days"]
    names += ["measurements", "first_day", "last_day", "hdl_median", "sbp_median", "events"]
    return names


def number(text):
    return float(text) if text != "" else None


def test_stats(points):
    """count, mean, sd, min, max, first, last, slope of (day, value) points sorted by day."""
    if not points:
        return [0] + [None] * 7
    days = [d for d, _ in points]
    values = [v for _, v in points]
    n = len(values)
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / n) if n >= 2 else None
    slope = None
    mean_day = math.fsum(days) / n
    sxx = math.fsum((d - mean_day) ** 2 for d in days)
    if n >= 2 and sxx > 0:
        sxy = math.fsum((d - mean_day) * (v - mean) for d, v in points)
        slope = sxy / sxx * DAYS_PER_YEAR
    return [n, mean, sd, min(values), max(values), values[0], values[-1], slope]


def format_value(value):
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.10g}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="output CSV path")
    parser.add_argument("--data", default="/work/shared/data",
                        help="folder with survival_nafld1.csv, survival_nafld2.csv, "
                             "survival_nafld3.csv")
    args = parser.parse_args(argv)

    # Measurements per (patient, test), in file order; a stable sort by day keeps ties ordered.
    measurements = defaultdict(list)
    with open(os.path.join(args.data, "survival_nafld2.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["test"] in TESTS:
                measurements[row["id"], row["test"]].append(
                    (float(row["days"]), float(row["value"])))
    for points in measurements.values():
        points.sort(key=lambda p: p[0])

    first_event = {}
    with open(os.path.join(args.data, "survival_nafld3.csv"), newline="") as f:
        for row in csv.DictReader(f):
            key = (row["id"], row["event"])
            day = float(row["days"])
            if key not in first_event or day < first_event[key]:
                first_event[key] = day

    names = header()
    rows = 0
    with open(os.path.join(args.data, "survival_nafld1.csv"), newline="") as f, \
            open(args.out, "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        for row in csv.DictReader(f):
            pid = row["id"]
            values = [int(pid), int(row["status"])]
            values += [number(row[c]) for c in ("age", "male", "weight", "height", "bmi")]
            values.append(None if row["case.id"] == "" else int(row["case.id"] == pid))
            all_days = []
            for test in TESTS:
                points = measurements.get((pid, test), [])
                values += test_stats(points)
                all_days += [d for d, _ in points]
            event_count = 0
            for event in EVENTS:
                day = first_event.get((pid, event))
                event_count += day is not None
                values += [int(day is not None), day]
            medians = [statistics.median([v for _, v in measurements[pid, t]])
                       if measurements.get((pid, t)) else None for t in ("hdl", "sbp")]
            values += [len(all_days), min(all_days, default=None), max(all_days, default=None)]
            values += medians + [event_count]
            writer.writerow([format_value(v) for v in values])
            rows += 1
    print(f"{rows} rows x {len(names)} columns ({len(names) - 2} features) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
