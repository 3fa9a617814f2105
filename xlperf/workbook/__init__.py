"""The xlperf workbooks: build templates, read an Evaluation from one, write results back.

``builder`` (XlsxWriter), ``reader`` (python-calamine over the safe package
opener) and ``writer`` (the in-place cell patcher) all follow ``xlperf.layout``.
"""
