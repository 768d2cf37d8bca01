"""Plans services: drafting, reviews, reading, the timetable and the child's words."""
