"""The people import: HR uploads a CSV of the organisation, checks a preview of every change,
and applies it; a background task does the applying, so no file size meets a web timeout.

- `csv_file`: reading an upload (encoding, header, each row on its own, no database).
- `importer`: planning the rows against the organisation, and the services
  `people_import_preview`, `people_import_queue` and `people_import_run`.
- `tasks`: the task that applies a queued import.
- `forms`, `views`, `urls`: the pages under /hr/import/ (included by allyship/reporting/urls/hr.py).

It may import the organisation (allyship.models, services, permissions, forms, types,
validators) and learning.assignments (late joiners receive their group's courses). Nothing
but the HR URLs imports it.
"""
