"""Administration tests."""

from tests.factories import ANSWERED

# The particulars of the cases the administration tests open.
VALUES = {
    "full_name": "Alice Chan",
    "nationality": "GB",
    "email": "alice@example.com",
    "degree_level": "master",
    "university": "Imperial College London",
    "years_experience": "2",
    "position_title": "ML Engineer",
    "tech_area": "artificial_intelligence",
    "monthly_salary_hkd": "60000",
    **ANSWERED,
}
