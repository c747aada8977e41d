"""Care of guests: tasks with an owner, a due date and an outcome."""
