#!/usr/bin/env python3
"""Sweeps the score threshold over one low-threshold run of the corpus scorer.

Usage: THINKTWICE_FACE_THR=0.2 THINKTWICE_FACE_DUMP=1 cargo test --test pixels -- --ignored \
         --nocapture faces_corpus::faces_corpus_full > dump.txt; bench/faces/sweep.py dump.txt ANNOTATIONS.json
Filtering a low-threshold run is exact: greedy NMS keeps a box based only on better-scoring boxes.
Scoring is the same as tests/pixels/faces_corpus.rs.
"""
import json
import re
import sys


def iou(a, b):
    ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return 0.0
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def score(dumps, labels, thr):
    counted = found = tp = fp = 0
    fa = []
    for name, dets in dumps.items():
        dets = sorted([d for d in dets if d[4] >= thr], key=lambda d: -d[4])
        gt = labels[name]
        used = [False] * len(gt)
        for d in dets:
            cands = [(iou(d, g), i) for i, g in enumerate(gt) if not used[i]]
            cands = [c for c in cands if c[0] >= 0.4]
            if cands:
                used[max(cands)[1]] = True
                tp += 1
            elif d[2] >= 10:
                fp += 1
        for g, u in zip(gt, used):
            if g[2] >= 12:
                counted += 1
                found += u
        if name.startswith("neg_") and dets:
            fa.append(name)
    return found / max(counted, 1), tp / max(tp + fp, 1), fa


def main():
    dumps = {}
    for line in open(sys.argv[1]):
        m = re.match(r"DUMP (\S+) labels=\d+ dets=(.*)", line)
        if m:
            dumps[m.group(1)] = json.loads("[" + m.group(2) + "]")
    labels = json.load(open(sys.argv[2]))
    for thr in [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7]:
        r, p, fa = score(dumps, labels, thr)
        print("thr %.2f  recall %.3f  precision %.3f  FA %d %s" % (thr, r, p, len(fa), fa[:4]))


if __name__ == "__main__":
    main()
