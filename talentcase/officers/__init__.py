"""The officer console: the home with its figures and charts, the all-cases list and export, the calendar feed."""
