"""Partnering: company profiles, the directory, meeting requests and the meeting scheduler.

Everything about meetings between the two delegations lives in this package: who takes
part and what they offer and seek (profiles), who asked whom (requests), where and when
they meet (meetings, slots) and the scheduler that places accepted meetings.
"""
