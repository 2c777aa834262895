"""Synthetic populations for tests and benchmarks: skewed demand, managers, competitors."""

from __future__ import annotations

import numpy as np

from tandem.matching.types import CareerRole, Person

FUNCTIONS = (
    "engineering", "product", "design", "data", "marketing", "sales", "finance", "operations",
    "people", "legal", "research", "support",
)  # fmt: skip
INDUSTRIES = (
    "software", "banking", "retail", "health", "education", "energy", "media", "logistics",
    "government", "telecom",
)  # fmt: skip
VALUES = (
    "integrity", "curiosity", "family", "ambition", "balance", "service", "courage", "humility",
    "creativity", "learning", "fairness", "independence",
)  # fmt: skip
HUMOUR = ("dry", "playful", "dark", "wordplay", "self-deprecating", "absurd")
GUIDANCE = (
    "promotion", "leadership", "career-change", "negotiation", "public-speaking", "networking",
    "technical-skills", "work-life-balance", "starting-a-business", "feedback",
)  # fmt: skip
WORDS = {
    "engineering": "software engineering backend systems architecture code review reliability",
    "product": "product management roadmap discovery customers launch strategy prioritisation",
    "design": "user experience design research prototypes interface accessibility",
    "data": "data science analytics machine learning statistics dashboards experiments",
    "marketing": "marketing brand campaigns growth content social media",
    "sales": "sales enterprise accounts negotiation pipeline partnerships",
    "finance": "finance budgeting forecasting accounting investment audit",
    "operations": "operations supply chain process improvement logistics planning",
    "people": "people management hiring coaching culture performance reviews",
    "legal": "legal contracts compliance regulation privacy policy",
    "research": "research papers experiments publications science grants",
    "support": "customer support service quality escalation community",
}


def _picks(
    rng: np.random.Generator, n: int, options: tuple[str, ...], size: int
) -> list[frozenset[str]]:
    """`size` distinct options per person."""
    order = np.argsort(rng.random((n, len(options))), axis=1)[:, :size]
    return [frozenset(options[c] for c in row) for row in order.tolist()]


def population(
    n: int,
    prefix: str,
    rng: np.random.Generator,
    capacity: int = 0,
    n_orgs: int = 400,
    skew: float = 1.1,
) -> list[Person]:
    """`n` people whose functions follow a Zipf-like popularity of exponent `skew`."""
    popularity = 1.0 / np.arange(1, len(FUNCTIONS) + 1) ** skew
    popularity /= popularity.sum()
    funcs = rng.choice(len(FUNCTIONS), size=n, p=popularity).tolist()
    previous = rng.integers(0, len(FUNCTIONS), size=n).tolist()
    industries = rng.integers(0, len(INDUSTRIES), size=n).tolist()
    orgs = rng.integers(1, n_orgs + 1, size=n).tolist()
    past_orgs = rng.integers(1, n_orgs + 1, size=n).tolist()
    levels = rng.integers(1, 9, size=n).tolist()
    offsets = rng.choice([0, 60, 420, 480, 540, -300], size=n).tolist()
    lang_draw = rng.random(n).tolist()
    styles = rng.integers(-1, 2, size=(n, 2)).tolist()
    flags = (rng.random((n, 4)) < [0.95, 0.5, 0.2, 0.5]).tolist()
    hours = rng.integers(1, 10, size=n).tolist()
    words = rng.integers(0, 1 << 30, size=(n, 6)).tolist()
    values = _picks(rng, n, VALUES, 3)
    humour = _picks(rng, n, HUMOUR, 2)
    wanted = _picks(rng, n, GUIDANCE, 2)
    offered = _picks(rng, n, GUIDANCE, 4)
    vocab = {f: WORDS[f].split() for f in FUNCTIONS}
    people = []
    for k in range(n):
        function = FUNCTIONS[funcs[k]]
        text = " ".join(vocab[function][w % len(vocab[function])] for w in words[k])
        draw = lang_draw[k]
        langs = {"en"} if draw < 0.6 else {"id"} if draw < 0.8 else {"en", "id"}
        people.append(
            Person(
                id=f"{prefix}{k}",
                organisation=f"org{orgs[k]}",
                competitors=frozenset({f"org{orgs[k] % n_orgs + 1}"}),
                languages=frozenset(langs),
                utc_offset_minutes=int(offsets[k]),
                function=function,
                industry=INDUSTRIES[industries[k]],
                seniority=levels[k],
                career=(
                    CareerRole(
                        FUNCTIONS[previous[k]],
                        INDUSTRIES[industries[k]],
                        f"org{past_orgs[k]}",
                        max(1, levels[k] - 1),
                    ),
                ),
                values=values[k],
                work_style={"structure": float(styles[k][0]), "feedback": float(styles[k][1])},
                humour=humour[k],
                guidance_wanted=wanted[k],
                guidance_offered=offered[k],
                goals=f"grow in {function}: {text}",
                experience=f"{function} {text}",
                capacity=capacity,
                hours_per_month=float(hours[k]),
                accepts_external=flags[k][0],
                accepts_peer=flags[k][1],
                accepts_reverse=flags[k][2],
            )
        )
    return people


def cohort(
    n_mentees: int, n_mentors: int, capacity: int = 4, seed: int = 0
) -> tuple[list[Person], list[Person]]:
    """Mentees and mentors; about one mentee in ten reports to someone among the mentors.

    Demand is more skewed than supply: the popular functions are oversubscribed.
    """
    rng = np.random.default_rng(seed)
    mentees = population(n_mentees, "e", rng, skew=1.2)
    mentors = population(n_mentors, "r", rng, capacity=capacity, skew=0.6)
    for k in range(0, n_mentees, 10):
        boss = mentors[int(rng.integers(0, n_mentors))]
        mentees[k].manager_chain = (boss.id,)
    return mentees, mentors
