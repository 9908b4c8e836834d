"""Speed mechanics, kept apart from the rules they serve.

The domain modules (:mod:`analysis.truces`, :mod:`analysis.schema`, :mod:`analysis.validate`,
:mod:`analysis.io` ...) say *what* is computed; the functions here compute it fast on large
tables. Each is a plain function of NumPy arrays, pandas Series or Arrow arrays with a stated
contract, tested on its own against a plain pandas/NumPy version (``tests/test_kernels.py``).
Why each is written the way it is, with the measurements, is in ``benchmarks/README.md``
("Why the kernels are written this way").

Rules: nothing here imports from the rest of :mod:`analysis` (only the standard library,
NumPy, pandas and pyarrow); an analysis constant a kernel needs is passed in as an argument.

=================  ===========================================================================
module             what it holds
=================  ===========================================================================
``intervals``      days as integers; every (event, truce) pair whose dates overlap in a place
``codes``          joint codes of two code columns (the places of (country, admin1) pairs)
``sorting``        packed-key sorts; numbering within groups with ties ordered by id
``arrow``          Arrow buffer scans, one-pass number parsing, Arrow tables to pandas
``arrow_csv``      pyarrow's CSV parse, kept only where it reads as the careful csv module does
``filescan``       byte scans of a file: lines, lone carriage returns, blank lines
``threads``        work done on a background thread; columns taken side by side
``memory``         giving Arrow's freed memory back to the system
=================  ===========================================================================
"""
