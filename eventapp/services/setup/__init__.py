"""Setting up an event: the event itself, its rooms and tracks (`events`), venues, host
organizations (`hosts`), speakers and organizations (`speakers`), and the stable keys the
back office and seed files share (`keys`).
"""
