"""Sending a case, an attachment or a guest card to colleagues, departments or oneself; the inbox of each user."""
