"""The demo organisation that `make run` shows: named people and departments
(organisation), their learning history (learning, quizzes, recall: refreshers and
if-then plans), and the bulk-loading mechanics
behind `seed_demo --employees N` (bulk).

The top of the import graph: it may import everything (the organisation, learning,
quizzes, notifications); nothing imports it but the seed_demo command and the tests.
"""
