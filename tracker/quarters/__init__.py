"""Calendar quarters: the ``Quarter`` value type, closed quarters and the lock they put on data.

Import the value type from here (``from tracker.quarters import Quarter``); the models and the
lock live in their own modules, so importing a quarter loads no database code.
"""

from tracker.quarters.period import SUPPORTED_YEARS, InvalidQuarter, Quarter, quarter_range

__all__ = ["SUPPORTED_YEARS", "InvalidQuarter", "Quarter", "quarter_range"]
