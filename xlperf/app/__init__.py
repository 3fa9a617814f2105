"""The local page (``xlperf app``): everything the Excel buttons do, in a browser on 127.0.0.1.

For staff on WPS and 信创 PCs, where xlwings cannot run. A thin adapter: every
number comes from the library (``xlperf.sources``, ``carryover``, the workbook
builder, ``report``, ``batch``); this package only moves files in and out.

- ``server.create_app`` builds the Flask application (pages, downloads, Chinese errors);
- ``serve.run`` serves it with waitress on 127.0.0.1 and opens the browser;
- ``uploads`` saves uploads under sanitised names and unpacks .zip files safely;
- ``workspace`` keeps each upload's files in a private temporary folder, removed afterwards;
- ``scorepage``/``batchjob`` turn library results into what the pages show.

Neither the command line nor the Excel button imports this package.
"""

from __future__ import annotations
