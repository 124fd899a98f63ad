"""The arithmetic of training: a sparse logistic regression, a threshold search and the
temperature of the domain scores.

Rows are drafts, columns cues that are on or off: a row is the list of its columns
(``indices[pointers[i]:pointers[i + 1]]``). Both functions are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def logistic(
    indices: IntArray, pointers: IntArray, labels: FloatArray, l2: float, steps: int
) -> tuple[FloatArray, float]:
    """Minimise sum_i c_i * logloss_i + l2 / 2 * |w|^2 over binary sparse rows
    (Adam steps)."""
    rows = len(labels)
    width = int(indices.max()) + 1 if len(indices) else 0
    row_of = np.repeat(np.arange(rows), np.diff(pointers))
    positives = labels.sum()
    # Each class weighs half of the total: a rare topic is not drowned by clean drafts.
    # (A class with no rows gets no weight; max() spares dividing by its zero count.)
    negatives = rows - positives
    cost = np.where(labels > 0, rows / (2 * max(positives, 1)), rows / (2 * max(negatives, 1)))
    w = np.zeros(width)
    b = 0.0
    m_w, v_w = np.zeros(width), np.zeros(width)
    m_b = v_b = 0.0
    rate, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        margin = np.bincount(row_of, weights=w[indices], minlength=rows) + b
        error = cost * (1.0 / (1.0 + np.exp(-margin)) - labels)
        grad_w = np.bincount(indices, weights=error[row_of], minlength=width) + l2 * w
        grad_b = float(error.sum())
        m_w = beta1 * m_w + (1 - beta1) * grad_w
        v_w = beta2 * v_w + (1 - beta2) * grad_w**2
        m_b = beta1 * m_b + (1 - beta1) * grad_b
        v_b = beta2 * v_b + (1 - beta2) * grad_b**2
        correction1, correction2 = 1 - beta1**step, 1 - beta2**step
        w -= rate * (m_w / correction1) / (np.sqrt(v_w / correction2) + eps)
        b -= rate * (m_b / correction1) / (math.sqrt(v_b / correction2) + eps)
    return w, b


def best_threshold(
    scores: FloatArray, labels: FloatArray, beta: float, min_precision: float
) -> float:
    """The score at which predicting 'positive' reaches the best F-beta (ties: higher) with
    at least ``min_precision``; ``math.inf`` where no threshold reaches that precision."""
    order = np.argsort(-scores, kind="stable")
    ranked, truth = scores[order], labels[order]
    hits = np.cumsum(truth)
    found = np.arange(1, len(ranked) + 1)
    total = truth.sum()
    b2 = beta * beta
    f = (1 + b2) * hits / (b2 * total + found)
    # Only cut between distinct scores: a threshold cannot split equal scores.
    last_of_run = np.append(ranked[1:] != ranked[:-1], True)
    f = np.where(last_of_run & (hits / found >= min_precision) & (hits > 0), f, -1.0)
    best = int(np.argmax(f))
    if f[best] < 0:
        return math.inf
    if best + 1 < len(ranked):
        return float((ranked[best] + ranked[best + 1]) / 2)
    return float(ranked[best] - 1e-6)


# Temperatures tried for the domain scores: from sharper to much softer than the raw sums.
TEMPERATURES = tuple(round(0.5 * 1.1**step, 2) for step in range(40))


def best_temperature(held_out: Sequence[tuple[Sequence[float], int]]) -> float:
    """The temperature at which the softmax of held-out sums gives their true domain the
    highest mean log-probability (1.0 when there is nothing to go by)."""
    if not held_out:
        return 1.0
    sums = np.array([row for row, _ in held_out], dtype=np.float64)
    truth = np.array([label for _, label in held_out])
    best, best_loss = 1.0, math.inf
    for temperature in TEMPERATURES:
        scaled = sums / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_probs = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        loss = -float(log_probs[np.arange(len(truth)), truth].mean())
        if loss < best_loss:
            best, best_loss = temperature, loss
    return best
