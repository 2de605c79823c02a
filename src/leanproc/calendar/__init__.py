"""Working-time calendars: weekly hours with breaks, time zones, a country's production calendar.

>>> from leanproc.calendar import Calendar
>>> cal = Calendar.parse("ru-5x8@Europe/Moscow")
>>> str(cal.add_working("2024-05-08T17:30+03:00", 3600))  # 8 May ends at 17:00, 9-12 May off
'2024-05-13 10:00:00+03:00'
>>> cal.working_hours(2024)
1979.0

`Calendar` answers questions in timestamps (scalar and vectorised over pandas / numpy arrays);
`Calendar.timeline(epoch)` gives a `Timeline` in float seconds for the simulation engine.
"""

from leanproc.calendar._core import FIRST_YEAR, LAST_YEAR, Calendar
from leanproc.calendar._hours import merge_spans
from leanproc.calendar._spec import PRESETS
from leanproc.calendar._timeline import Timeline
from leanproc.errors import CalendarError

__all__ = ["FIRST_YEAR", "LAST_YEAR", "PRESETS", "Calendar", "CalendarError", "Timeline",
           "merge_spans"]
