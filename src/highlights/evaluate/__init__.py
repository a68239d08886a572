"""Evaluation: one ROUGE protocol (GUIDE §2) for every system, and `highlights eval`.

rouge.py      the one place ROUGE is computed (rouge-score, stemming, one bullet per line)
oracle.py     greedy extractive oracle (upper bound, training labels)
data.py       dataset rows → articles with references; limit/sample; the article every system reads
systems.py    lead-k, oracle, sumy peers, predictions files and project methods behind one interface
stats.py      bootstrap confidence intervals and the paired bootstrap test (seeded)
fragments.py  Grusky et al. (2018) coverage, density, compression; novel n-grams
grammar.py    the grammar judge (`--judge grammar`, extra `highlights[judge]`): which bullets are sentence
              fragments, by a spaCy dependency parse; shares nothing with compression's guard
harness.py    runs and scores every system on the same articles, with time and memory
report.py     rich table, Markdown, JSON, per-article JSONL, predictions, PNG plots
cli.py        `highlights eval`
"""
