"""Imports as jobs: pages sent from the admin (files, a zip, pasted text) are imported in the
background by a django-tasks worker, one page per transaction, with a record of who sent them
and what became of each page.

- `uploads`: what was sent, checked and unpacked (zip members refused one by one, with reasons).
- `jobs`: the services that start, run, retry and record import jobs.
- `tasks`: the background task (django-tasks) that runs a job.
- `reports`: each page's import report, written for a person.
"""
