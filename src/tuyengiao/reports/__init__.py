"""The document toolkit: every file the system produces is made here.

- `docx`: Party documents as DOCX in the layout of Hướng dẫn 36-HD/VPTW (the layout's values);
- `party`: the Party's conventions for a unit (committee, issuing office, symbol, place,
  recipients);
- `xlsx`: the Excel house style, the safe cell writer and the sheet set-up of every workbook;
- `charts`: charts of neutral series, SVG for pages and PNG for documents.

It imports nothing from the features (directives, figures, concerns): they adapt their data to
it.
"""
