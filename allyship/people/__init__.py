"""The people import: HR uploads a CSV of the organisation, checks a preview of every change,
and applies it; a background task does the applying, so no file size meets a web timeout.

- `csv_file`: reading an upload (encoding, header, each row on its own, no database).
- `plan`: the rows compared with the organisation as it is now (changes and errors; reads only).
- `importer`: the services `people_import_preview` and `people_import_apply` (bulk writes in
  one transaction, one audit row).
- `queue`: `people_import_queue`, at most one waiting or running task per batch.
- `tasks`: the task that applies a queued import and records how it ended
  (`people_import_run`).
Imports run csv_file <- plan <- importer <- tasks <- queue <- views.
- `forms`, `views`, `urls`: the pages under /hr/import/ (included by allyship/reporting/urls/hr.py).

It may import the organisation (allyship.models, services, permissions, forms, types,
validators), learning.assignments (late joiners receive their group's courses) and
learning.summaries (the people tables follow). Nothing but the HR URLs imports it.
"""
