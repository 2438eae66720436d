"""The security log: log-ins, second-factor steps, refusals, role changes and report downloads,
with time, user, address and outcome; kept for TRACKER_SECURITY_EVENT_DAYS and readable by the
application manager. Separate from the audit trail, which records changes to records."""
