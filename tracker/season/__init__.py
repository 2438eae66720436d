"""The reporting season: a lead submits the quarterly update of a subproject, the programme
manager approves it or returns it with a comment, by a due date per programme; reminders and
notices go out by mail (tracker/mail), and the lead's landing page says what is due."""
