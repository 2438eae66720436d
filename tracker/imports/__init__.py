"""Applying a confirmed upload (a plan of action, a registration list) in the background.

A workbook of thousands of rows takes seconds to apply, and a web worker that applies it serves
no one else meanwhile. So the confirmation only records an :class:`~tracker.imports.models.
ImportRun` holding the preview it vouched for and queues its feature's job; the user follows it on a
progress page that, once the job is done, sends them on with its message, as the confirmation
used to. The feature's job checks the preview again, applies it in one transaction (audited
under the user who confirmed it) and records the outcome with :func:`services.finish`.
"""
