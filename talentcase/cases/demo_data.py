"""What the demo cases are made of: names, employers' offers, notes, and the mix of states and ages.

Plain data for `talentcase.cases.demo`, which plans and replays the cases.
"""

from __future__ import annotations

from talentcase.cases import workflow

DEMO_EMAIL_DOMAIN = "demo-expert.example"
SEED = 20180625
# Events stay within the last ten weeks.
WINDOW_DAYS = 68
CLOSURES = ((38, "Typhoon signal No. 8 (demo)"), (17, "Typhoon signal No. 8 (demo)"))

# nationality: [(given name, family name, Chinese name)], [universities]
PEOPLE: dict[str, tuple[list[tuple[str, str, str]], list[str]]] = {
    "IN": (
        [("Priya", "Raghunathan", ""), ("Arjun", "Mehta", ""), ("Ananya", "Iyer", ""), ("Rohan", "Kulkarni", "")],
        [
            "Indian Institute of Technology Bombay",
            "Indian Institute of Technology Delhi",
            "Indian Institute of Science",
        ],
    ),
    "GB": (
        [("Oliver", "Bennett", ""), ("Charlotte", "Hughes", ""), ("James", "Whitaker", ""), ("Emily", "Carter", "")],
        ["University of Oxford", "University of Cambridge", "Imperial College London", "University College London"],
    ),
    "US": (
        [("Michael", "Torres", ""), ("Rachel", "Goldberg", ""), ("Daniel", "Brooks", ""), ("Hannah", "Park", "")],
        ["Massachusetts Institute of Technology", "Stanford University", "Carnegie Mellon University", "UC Berkeley"],
    ),
    "FR": (
        [("Camille", "Laurent", ""), ("Julien", "Moreau", ""), ("Léa", "Dubois", ""), ("Antoine", "Bernard", "")],
        ["École Polytechnique", "Sorbonne Université", "Université PSL"],
    ),
    "DE": (
        [("Lukas", "Schneider", ""), ("Anna", "Fischer", ""), ("Felix", "Wagner", ""), ("Katharina", "Becker", "")],
        ["Technical University of Munich", "RWTH Aachen University", "Karlsruhe Institute of Technology"],
    ),
    "CN": (
        [
            ("Lei", "Wang", "王磊"),
            ("Na", "Li", "李娜"),
            ("Wei", "Zhang", "张伟"),
            ("Yang", "Liu", "刘洋"),
            ("Jing", "Chen", "陈静"),
            ("Fan", "Yang", "杨帆"),
            ("Min", "Zhao", "赵敏"),
            ("Zhiqiang", "Huang", "黄志强"),
        ],
        ["Tsinghua University", "Peking University", "Zhejiang University", "Shanghai Jiao Tong University"],
    ),
    "SG": (
        [("Wei Ming", "Tan", "陈伟明"), ("Jia Hui", "Lim", "林佳慧"), ("Aisyah", "Rahman", "")],
        ["National University of Singapore", "Nanyang Technological University"],
    ),
    "AU": (
        [("Jack", "Thompson", ""), ("Chloe", "Nguyen", ""), ("Liam", "O'Brien", "")],
        ["University of Melbourne", "UNSW Sydney", "Australian National University"],
    ),
    "CA": (
        [("Ethan", "Tremblay", ""), ("Sophie", "Gagnon", ""), ("Noah", "Campbell", "")],
        ["University of Toronto", "University of British Columbia", "University of Waterloo"],
    ),
    "KR": (
        [("Min-jun", "Kim", ""), ("Seo-yeon", "Lee", ""), ("Ji-hoon", "Park", "")],
        ["KAIST", "Seoul National University", "POSTECH"],
    ),
    "JP": (
        [("Haruto", "Sato", ""), ("Yui", "Suzuki", ""), ("Ren", "Takahashi", "")],
        ["University of Tokyo", "Kyoto University", "Tokyo Institute of Technology"],
    ),
}
# Mainland China residents are the largest group of TechTAS experts; every other nationality shows up too.
NATIONALITY_CYCLE = ("CN", "IN", "GB", "US", "CN", "FR", "DE", "SG", "CN", "AU", "CA", "KR", "CN", "JP", "IN", "US")

# tech area: (job titles, degree fields)
POSTS: dict[str, tuple[list[str], list[str]]] = {
    "robotics": (["Robotics Perception Engineer", "Motion Planning Engineer"], ["Mechanical Engineering", "Robotics"]),
    "artificial_intelligence": (
        ["Machine Learning Scientist", "Senior AI Research Engineer"],
        ["Computer Science", "Artificial Intelligence"],
    ),
    "quantum": (["Quantum Algorithms Researcher", "Quantum Hardware Engineer"], ["Physics", "Quantum Information"]),
    "microelectronics": (["MEMS Process Engineer"], ["Microelectronics", "Electrical Engineering"]),
    "biotechnology": (
        ["Senior Scientist, Antibody Discovery", "Bioinformatics Scientist"],
        ["Biochemistry", "Molecular Biology", "Bioinformatics"],
    ),
    "financial_technologies": (
        ["Quantitative Developer", "Blockchain Protocol Engineer"],
        ["Financial Engineering", "Computer Science"],
    ),
    "data_analytics": (["Senior Data Scientist", "Data Platform Engineer"], ["Statistics", "Computer Science"]),
    "cybersecurity": (
        ["Threat Intelligence Researcher", "Security Research Engineer"],
        ["Information Security", "Computer Science"],
    ),
    "green_technology": (
        ["Battery Materials Scientist", "Carbon Capture Process Engineer"],
        ["Materials Science", "Chemical Engineering"],
    ),
    "ic_design": (["Analog IC Design Engineer", "Physical Design Engineer"], ["Electrical Engineering"]),
    "iot": (["Embedded Firmware Engineer (IoT)"], ["Computer Engineering", "Electronic Engineering"]),
}

NOTES = {
    "company": [
        "Please upload the signed employment contract showing the monthly salary and benefits.",
        "The job particulars do not match the quota letter: please confirm the post title and duties.",
        "The business registration certificate on file is out of date; please upload the current one.",
    ],
    "expert": [
        "Please provide a clearer scan of the passport bio-data page.",
        "Please provide the degree certificate with a certified English translation.",
        "Please provide proof of relevant experience (reference letters from previous employers).",
    ],
    "reject": [
        "The post is not principally engaged in R&D as described in the duties.",
        "The documents requested three times were not provided.",
        "The salary in the contract does not match the quota letter.",
    ],
    "withdraw": [
        "The candidate accepted another offer.",
        "The company has put the hire on hold.",
        "The candidate withdrew for family reasons.",
    ],
}

JUSTIFICATIONS = {
    "experience": "The final-year industrial placement and research assistant work count as relevant experience.",
    "company_eligible": "The renewed business registration certificate was seen; the company record is being updated.",
}

MAIN_LINE = ("submit", "accept", "lodge_quota", "grant_quota", "lodge_visa", "issue_visa", "record_arrival")
# How many main-line actions lead to each status (when no free quota place lets accept skip the quota step).
REACHED_AFTER = {status: index for index, status in enumerate(workflow.STATES[:8])}
QUOTA_STEPS = frozenset({"lodge_quota", "grant_quota"})
# Days since the previous event, drawn per action (the government pledges are 14 days, the park's 3 working days).
GAPS = {
    "submit": (1, 12),
    "accept": (1, 5),
    "lodge_quota": (2, 8),
    "grant_quota": (7, 18),
    "lodge_visa": (1, 7),
    "issue_visa": (6, 17),
    "record_arrival": (3, 15),
    "request_info": (0, 3),
    "provide_info": (2, 7),
    "reject": (1, 6),
    "withdraw": (1, 9),
}
# Days since the last event for cases that end in a stage, cycled so every clock state shows up.
AGES = {
    "draft": [0, 3, 9, 15, 1, 6, 20],
    "review": [0, 1, 2, 3, 5, 0, 3, 1],  # working days: the park's review clock is due on the third
    "quota_prep": [1, 4, 9, 2, 6, 12, 3],
    "quota": [2, 12, 5, 20, 13, 8, 26, 11],
    "visa_prep": [0, 3, 6, 1, 9, 2, 4],
    "visa": [1, 11, 4, 17, 12, 6, 24, 9],
    "approved": [0, 2, 5, 8, 1, 10, 3],
    "arrived": [3, 12, 25, 7, 18, 30, 5, 40, 15],
    "paused": [1, 3, 6, 2, 9, 4, 12],
    "closed": [0, 5, 12, 20, 30, 40],
}

# (ending, stage, party): 80 hires. Quota stages only in companies that never hold a free place (group A);
# closing a case after its quota was granted frees a place, so that only happens in group B.
SCENARIOS: list[tuple[str, str, str | None]] = (
    [("open", "draft", None)] * 7
    + [("open", "review", None)] * 8
    + [("open", "quota_prep", None)] * 7
    + [("open", "quota", None)] * 8
    + [("open", "visa_prep", None)] * 7
    + [("open", "visa", None)] * 8
    + [("open", "approved", None)] * 7
    + [("open", "arrived", None)] * 9
    + [("rejected", stage, None) for stage in ("review", "review", "review", "quota_prep", "quota", "visa")]
    + [("withdrawn", stage, None) for stage in ("draft", "review", "quota_prep", "quota", "visa_prep", "visa")]
    + [("paused", "review", "company"), ("paused", "review", "expert"), ("paused", "quota_prep", "company")]
    + [("paused", "quota", "expert"), ("paused", "visa_prep", "expert"), ("paused", "visa", "company")]
    + [("paused", "visa_prep", "company")]
)
