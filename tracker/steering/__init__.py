"""The steering group's cycle: exception reports, tolerances, meetings and the decision log."""
