"""Emails that leave the app: reminders, managers' weekly digests, nudges and password resets,
and the background tasks that send them (Django's tasks framework, queued in the database).

May import the organisation (allyship.models, allyship.services) and learning's models and
services; nothing in learning or quizzes imports this package.
"""
