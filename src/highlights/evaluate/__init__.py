"""Evaluation: one ROUGE protocol (GUIDE §2) for every system."""
