"""Reporting: what HR and managers see about learning across people.

- `reports`: the filters a report takes (`Filters`), who a report covers, and the HR
  dashboard's and the assignment pages' figures.
- `tables`: the employee tables (HR's people, a manager's team), sorted and paged on the
  stored learning summaries.
- `figures` (and its background task): organisation, department and team aggregates computed in the
  background into one table every app server reads, with the time they were taken.
- `insights`: aggregate-only insights over a fixed partition of people (see README,
  "Security and privacy").
- `exports`: the streamed CSV export. `charts`: server-drawn SVG charts.
- `forms`, `views/` (`hr`, `manager`), `urls/` (`hr`, `manager`): the pages.

It may import the organisation (`allyship.models`, `allyship.permissions`,
`allyship.services`), `learning` and `quizzes`; none of those imports reporting.
"""
