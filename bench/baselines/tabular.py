"""Shared input code of the training baselines: CSV reading, privaudit's encoding, the run's plan.

The encoding follows privaudit::data::Encoder (src/data/encoder.h) for numeric columns and is
fitted on the audit pool. The value column is (x - mean) / sd with the pool mean and population SD,
and 0 when missing. It is dropped when the pool has fewer than min_level_count values or SD 0. A
0/1 "NAME:missing" column follows it when the pool has both missing and non-missing values. Every
feature of the benchmark table is numeric, so categorical columns are not handled here.
"""

import os

import numpy as np


def add_training_arguments(parser):
    """Add the arguments both training baselines share: the run, the recipe and the seed."""
    parser.add_argument("run_dir", help="run folder written by privaudit plan")
    parser.add_argument("csv", help="input CSV the run was planned on")
    parser.add_argument("--models", type=int, default=None,
                        help="train only the first K models (default: all)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--width", type=int, default=128, help="hidden units")
    parser.add_argument("--lr", type=float, default=0.001, help="Adam learning rate")
    parser.add_argument("--seed", type=int, default=1, help="model m is seeded with seed + m")
    parser.add_argument("--min-level-count", type=int, default=10,
                        help="as privaudit plan --min-level-count")


def read_table(csv_path, label="status", patient_id="id"):
    """(features [rows, columns] float64 with NaN for empty fields, labels [rows] float32, names)."""
    with open(csv_path) as f:
        names = [name.strip().strip('"') for name in f.readline().rstrip("\n").split(",")]
    table = np.genfromtxt(csv_path, delimiter=",", skip_header=1, dtype=np.float64,
                          missing_values="", filling_values=np.nan)
    if table.ndim != 2 or table.shape[1] != len(names):
        raise ValueError(f"{csv_path}: expected {len(names)} numeric columns per row, "
                         f"read shape {table.shape}")
    feature_index = [i for i, name in enumerate(names) if name not in (label, patient_id)]
    labels = table[:, names.index(label)]
    if np.isnan(labels).any() or not np.isin(labels, (0.0, 1.0)).all():
        raise ValueError(f"{csv_path}: label column {label!r} must be 0 or 1 in every row")
    return table[:, feature_index], labels.astype(np.float32), [names[i] for i in feature_index]


def encode(features, pool_rows, min_level_count=10):
    """Encoded matrix [rows, width] float32, fitted on pool_rows as privaudit's Encoder does."""
    blocks = []
    pool = features[pool_rows]
    for c in range(features.shape[1]):
        column = features[:, c]
        present = ~np.isnan(pool[:, c])
        values = pool[present, c]
        if values.size >= min_level_count and values.size and values.min() != values.max():
            mean = values.mean()
            sd = values.std()
            blocks.append(np.where(np.isnan(column), 0.0, (column - mean) / sd))
        if 0 < values.size < pool.shape[0]:
            blocks.append(np.isnan(column).astype(np.float64))
    return np.stack(blocks, axis=1).astype(np.float32)


def load_run(run_dir, csv_path, min_level_count=10):
    """(x_pool [pool, width] float32, y_pool [pool] float32, membership [models, pool] bool)."""
    membership = np.load(os.path.join(run_dir, "membership.npy")).astype(bool)
    pool_rows = np.load(os.path.join(run_dir, "plan", "pool_records.npy")).astype(np.int64)
    features, labels, _ = read_table(csv_path)
    if membership.shape[1] != pool_rows.size:
        raise ValueError(f"{run_dir}: membership.npy has {membership.shape[1]} columns but "
                         f"plan/pool_records.npy has {pool_rows.size} records; rerun "
                         "privaudit plan on this CSV")
    x = encode(features, pool_rows, min_level_count)
    return x[pool_rows], labels[pool_rows], membership
