"""Evaluation of performance: rules, access, reads, bulk recomputation and the document."""
