"""Form widgets shared by every app."""

from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates only.

    The Chinese locale's first input format is 2026/05/18; a date field given that
    value shows empty and posts nothing, so the value is always written YYYY-MM-DD.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
