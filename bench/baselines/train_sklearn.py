#!/usr/bin/python3
"""Train the run's shadow models one after another with scikit-learn's MLPClassifier (baseline).

Usage: /usr/bin/python3 bench/baselines/train_sklearn.py RUN_DIR CSV [--models K] [--epochs 20]
       [--batch-size 256] [--width 128] [--lr 0.001]

Inputs and output are as for train_torch.py. Each model is MLPClassifier(hidden_layer_sizes=
(width,), solver="adam", batch_size, max_iter=epochs, learning_rate_init=lr, shuffle=True, tol=0,
n_iter_no_change=1000), so it runs every epoch; alpha keeps sklearn's default L2 penalty 1e-4.
Logits of every pool record come from the fitted weights (relu(x W0 + b0) W1 + b1), which is
the pre-sigmoid output that predict_proba squashes.
"""

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from tabular import add_training_arguments, load_run


def logits_of(classifier, x):
    hidden = np.maximum(x @ classifier.coefs_[0] + classifier.intercepts_[0], 0.0)
    return (hidden @ classifier.coefs_[1] + classifier.intercepts_[1])[:, 0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_training_arguments(parser)
    parser.add_argument("--save", help="write the logits [K, pool] float32 to this .npy file")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    x, y, membership = load_run(args.run_dir, args.csv, args.min_level_count)
    prepare_seconds = time.perf_counter() - start
    models = membership.shape[0] if args.models is None else args.models
    if not 1 <= models <= membership.shape[0]:
        parser.error(f"--models {models} must be in [1, {membership.shape[0]}]")

    logits = np.empty((models, x.shape[0]), dtype=np.float32)
    rows = []
    start = time.perf_counter()
    for m in range(models):
        train = np.flatnonzero(membership[m])
        classifier = MLPClassifier(hidden_layer_sizes=(args.width,), solver="adam",
                                   batch_size=args.batch_size, max_iter=args.epochs,
                                   learning_rate_init=args.lr, shuffle=True, tol=0,
                                   n_iter_no_change=1000, random_state=args.seed + m)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            classifier.fit(x[train], y[train])
        logits[m] = logits_of(classifier, x)
        rows.append(train.size)
    seconds = time.perf_counter() - start

    if args.save:
        np.save(args.save, logits)
    parameters = sum(w.size for w in classifier.coefs_ + classifier.intercepts_)
    # sklearn has no thread setting of its own: NumPy's BLAS chooses the thread count.
    print(json.dumps({
        "tool": "sklearn " + sklearn.__version__, "models": models, "seconds": seconds,
        "seconds_per_model": seconds / models, "threads": os.cpu_count(),
        "rows_per_model": float(np.mean(rows)), "parameters": int(parameters),
        "inputs": int(x.shape[1]), "pool": int(x.shape[0]), "epochs": args.epochs,
        "batch_size": args.batch_size, "prepare_seconds": prepare_seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
