"""The demo programme "Toptechniek in bedrijf Flevoland": data to try the tracker with, never
needed to run it (a province sets up its own programme)."""
