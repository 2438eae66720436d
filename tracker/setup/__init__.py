"""Setting up a programme: programmes, municipalities and subprojects, by the programme manager."""
