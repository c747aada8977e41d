"""A/B/C customer classes by annual spend: thresholds, recomputation, pins and the history of every change."""
