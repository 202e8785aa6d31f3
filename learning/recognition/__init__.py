"""Recognition: XP and levels (rewards), badges and their icons, certificates (page, PDF,
public verification) and Open Badges 3.0 credentials, with the pages that show them.

May import learning's models and services and the organisation (allyship.models,
allyship.permissions); quizzes are read only through the facts learning.events passes in.
"""
