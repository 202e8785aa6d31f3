"""Spaced refreshers: after a learner finishes a module, its knowledge-check questions and a
few moments from its scenario come back as short refreshers at growing intervals.

The schedule of each (learner, item) is kept by the FSRS scheduler of the `fsrs` library
(scheduling.py); models.py holds the cards, their review history and the learner's pause;
services.py writes, selectors.py reads, views.py and urls.py serve /refreshers/.

May import: learning.models, quizzes.models, allyship.permissions and allyship.types.
Imported by learning.services (a finished module schedules its refreshers), the reporting
figures and the reminder email; never by the organisation package.
"""
