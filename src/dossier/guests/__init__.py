"""Guest profiles: individual guests, corporate clients, preferences, dates, observations."""
