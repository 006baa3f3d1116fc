"""Reports for organizers: registration statistics (`stats`, the stats API and dashboard).

Who is checked in is defined once, in `checkin.attendance`; reports count from it.
"""
