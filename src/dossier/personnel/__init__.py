"""Personnel files kept by the archive and their sign-out (提档) as a guided case with its register."""
