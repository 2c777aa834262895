"""Demo profiles for the 240 demo people and the personas, written through the CSV import
(so the demo exercises it and is idempotent: importing the same rows again changes nothing).

Shares with later loaders:
- ctx.data["organisations"]: {name: Organisation}
- ctx.data["mentors"]: users who mentor; ctx.data["mentees"]: users who look for a mentor
- ctx.data["full_mentors"]: mentors with capacity 1, for the mentorships demo to fill so
  they show as full
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission

from tandem import safecsv
from tandem.accounts.models import User
from tandem.core.demo import DemoContext
from tandem.people.csv import COLUMNS, import_people
from tandem.people.models import ListItem, ListKind, Organisation, OrganisationAdmin

# name, industry, country, language of most staff
ORGANISATIONS = [
    ("Nusantara Digital", "software", "Indonesia"),
    ("Kilat Teknologi", "software", "Indonesia"),
    ("Northwind Software", "software", "United Kingdom"),
    ("Bank Sejahtera", "banking", "Indonesia"),
    ("Bank Mandala", "banking", "Indonesia"),
    ("Harbour Bank", "banking", "Singapore"),
    ("Pasar Raya Group", "retail", "Indonesia"),
    ("Greenleaf Retail", "retail", "Australia"),
    ("Telekom Archipelago", "telecom", "Indonesia"),
    ("Brightpath Consulting", "consulting", "United Kingdom"),
    ("Universitas Cendekia", "education", "Indonesia"),
    ("Sehat Sentosa Hospital", "health", "Indonesia"),
]
COMPETITORS = [
    ("Nusantara Digital", "Kilat Teknologi"),
    ("Bank Sejahtera", "Bank Mandala"),
    ("Pasar Raya Group", "Greenleaf Retail"),
]
PARTNERS = [
    ("Nusantara Digital", "Brightpath Consulting"),
    ("Nusantara Digital", "Northwind Software"),
    ("Bank Sejahtera", "Harbour Bank"),
    ("Telekom Archipelago", "Kilat Teknologi"),
]
ASSOCIATIONS = [
    "Ikatan Profesional Teknologi Indonesia",
    "Women in Tech Asia",
    "Product Leaders Network",
    "Asosiasi Manajer SDM Indonesia",
    "Finance Professionals Forum",
]
FUNCTIONS = {
    # slug: (English job noun, Indonesian job noun, English topic, Indonesian topic)
    "engineering": (
        "engineer",
        "engineer",
        "building reliable systems",
        "membangun sistem yang andal",
    ),
    "product": ("product manager", "product manager", "product discovery", "penemuan produk"),
    "design": ("designer", "desainer", "user research", "riset pengguna"),
    "data": ("data analyst", "analis data", "analytics", "analitik data"),
    "marketing": ("marketer", "staf pemasaran", "brand and growth", "merek dan pertumbuhan"),
    "sales": ("account executive", "staf penjualan", "enterprise sales", "penjualan korporat"),
    "finance": ("finance analyst", "analis keuangan", "budgeting", "penganggaran"),
    "operations": (
        "operations specialist",
        "staf operasional",
        "process improvement",
        "perbaikan proses",
    ),
    "people": ("HR partner", "staf SDM", "hiring and coaching", "rekrutmen dan pembinaan"),
    "support": (
        "support specialist",
        "staf layanan pelanggan",
        "customer care",
        "layanan pelanggan",
    ),
}
CITIES = {
    "Indonesia": ["Jakarta", "Bandung", "Surabaya", "Yogyakarta", "Medan"],
    "United Kingdom": ["London", "Manchester", "Leeds"],
    "Singapore": ["Singapore"],
    "Australia": ["Sydney", "Melbourne"],
}
EN_BIO = [
    "I have spent {years} years in {topic}. I like turning messy problems into clear plans, "
    "and I learn most from people who ask good questions.",
    "{years} years into my career, mostly in {topic}. Outside work I read, cook and coach a "
    "junior football team.",
    "I care about {topic} and about teams where people can speak up. I have worked across "
    "{years} years and {orgs} organisations.",
]
ID_BIO = [
    "Saya sudah {years} tahun berkecimpung di bidang {topic}. Saya senang mengubah masalah "
    "yang rumit menjadi rencana yang jelas.",
    "Berpengalaman {years} tahun, sebagian besar di {topic}. Di luar pekerjaan saya suka "
    "membaca dan mendaki gunung.",
    "Saya peduli pada {topic} dan pada tim yang saling mendukung. Selama {years} tahun saya "
    "bekerja di {orgs} organisasi.",
]
EN_GOALS = {
    "promotion": "I want to be promoted to {next} within a year and need an action plan.",
    "leadership": "I am leading people for the first time and want to do it well.",
    "career-path": "I want to understand which path in {topic} suits me for the next five years.",
    "skills": "I want to get much better at {topic} and at presenting my work.",
    "changing-field": "I am thinking of moving from {topic} into product work.",
    "company-culture": "I joined a large organisation recently and want to learn how it works.",
    "work-life": "I want to keep growing without burning out.",
    "entrepreneurship": "I would like to start my own business in the next few years.",
}
ID_GOALS = {
    "promotion": "Saya ingin dipromosikan menjadi {next} dalam setahun dan butuh rencana aksi.",
    "leadership": "Saya baru pertama kali memimpin tim dan ingin melakukannya dengan baik.",
    "career-path": "Saya ingin memahami jalur karier di bidang {topic} untuk lima tahun ke depan.",
    "skills": "Saya ingin jauh lebih mahir dalam {topic} dan dalam mempresentasikan hasil kerja.",
    "changing-field": "Saya sedang mempertimbangkan pindah dari {topic} ke bidang produk.",
    "company-culture": "Saya baru bergabung di perusahaan besar dan ingin memahami cara kerjanya.",
    "work-life": "Saya ingin terus berkembang tanpa kelelahan.",
    "entrepreneurship": "Saya ingin memulai usaha sendiri dalam beberapa tahun ke depan.",
}
SENIORITY = ["intern", "junior", "mid", "senior", "lead", "manager", "director", "executive"]
SENIORITY_EN = ["Intern", "Junior", "", "Senior", "Lead", "", "", ""]


@dataclass
class Person:
    user: User
    indonesian: bool
    org: str
    function: str
    level: int  # 1..8
    manager: User | None = None


def _title(function: str, level: int, indonesian: bool) -> str:
    noun_en, noun_id, _t, _ti = FUNCTIONS[function]
    if level >= 8:
        return "Chief Executive" if not indonesian else "Direktur Utama"
    if level == 7:
        return f"Director of {function.title()}" if not indonesian else f"Direktur {noun_id}"
    if level == 6:
        return f"{function.title()} Manager" if not indonesian else f"Manajer {noun_id}"
    prefix = SENIORITY_EN[level - 1]
    return (
        f"{prefix} {noun_en}".strip().capitalize()
        if not indonesian
        else f"{noun_id.capitalize()} {SENIORITY[level - 1]}"
    )


def _people(ctx: DemoContext, rng: random.Random) -> list[Person]:
    users: list[User] = ctx.data["people"]
    org_names = [o[0] for o in ORGANISATIONS]
    functions = list(FUNCTIONS)
    people = []
    for i, user in enumerate(users):
        indonesian = user.language == "id"
        orgs = [o for o in ORGANISATIONS if (o[2] == "Indonesia") == indonesian] or ORGANISATIONS
        org = orgs[i % len(orgs)][0] if rng.random() < 0.85 else rng.choice(org_names)
        level = rng.choices(range(1, 9), weights=[3, 10, 14, 12, 8, 8, 4, 1])[0]
        people.append(Person(user, indonesian, org, rng.choice(functions), level))
    # Reporting lines: someone more senior in the same organisation.
    by_org: dict[str, list[Person]] = {}
    for person in people:
        by_org.setdefault(person.org, []).append(person)
    for members in by_org.values():
        for person in members:
            above = [p for p in members if p.level > person.level and p.level >= 5]
            if above:
                person.manager = min(above, key=lambda p: (p.level, p.user.pk)).user
    return people


def _career(p: Person, rng: random.Random, year_now: int = 2026) -> tuple[str, int]:
    """Career roles, oldest first, ending in the current one at p.org."""
    roles = []
    count = min(p.level, rng.randint(1, 4))
    end_year = year_now
    start_level = p.level
    entries = []
    for k in range(count):
        level = max(1, start_level - k)
        span = rng.randint(1, 4)
        start_year = end_year - span
        org = p.org if k == 0 else rng.choice([o[0] for o in ORGANISATIONS])
        industry = next(o[1] for o in ORGANISATIONS if o[0] == org)
        start_month = rng.randint(1, 12)
        end = "" if k == 0 else f"{end_year}-{rng.randint(1, 12):02d}"
        if end and end < f"{start_year}-{start_month:02d}":
            end = f"{start_year}-{start_month:02d}"
        entries.append(
            "|".join(
                [
                    _title(p.function, level, p.indonesian),
                    p.function,
                    SENIORITY[level - 1],
                    industry,
                    org,
                    f"{start_year}-{start_month:02d}",
                    end,
                ]
            )
        )
        end_year = start_year
    roles = list(reversed(entries))
    return ";".join(roles), year_now - end_year


def _row(p: Person, rng: random.Random, overrides: dict[str, str] | None = None) -> dict[str, str]:
    _noun_en, _noun_id, topic_en, topic_id = FUNCTIONS[p.function]
    org_info = next(o for o in ORGANISATIONS if o[0] == p.org)
    career, years = _career(p, rng)
    years = max(years, p.level)
    guidance = [g for g in EN_GOALS]
    is_mentor = p.level >= 3 and rng.random() < 0.5
    is_mentee = p.level <= 6 and (not is_mentor or rng.random() < 0.4)
    wanted = rng.sample(guidance, 2) if is_mentee else []
    offered = rng.sample([*guidance, "job-search"], rng.randint(2, 4)) if is_mentor else []
    next_title = SENIORITY[min(7, p.level)]
    if p.indonesian:
        headline = f"{_title(p.function, p.level, True)} di {p.org}"
        bio = rng.choice(ID_BIO).format(years=years, topic=topic_id, orgs=career.count(";") + 1)
        goals = " ".join(ID_GOALS[g].format(next=next_title, topic=topic_id) for g in wanted)
        languages = rng.choice(["id;en", "id;en", "id", "id;en;jv"])
    else:
        headline = f"{_title(p.function, p.level, False)} at {p.org}"
        bio = rng.choice(EN_BIO).format(years=years, topic=topic_en, orgs=career.count(";") + 1)
        goals = " ".join(EN_GOALS[g].format(next=next_title, topic=topic_en) for g in wanted)
        languages = rng.choice(["en", "en", "en;id", "en;zh", "en;ms"])
    values = rng.sample(
        ["integrity", "curiosity", "family", "ambition", "balance", "service", "courage",
         "humility", "creativity", "learning", "fairness", "independence"],
        rng.randint(3, 5),
    )  # fmt: skip
    paused = is_mentor and rng.random() < 0.12
    row = {
        "email": p.user.email,
        "headline": headline,
        "bio": bio,
        "languages": languages,
        "city": rng.choice(CITIES[org_info[2]]),
        "country": org_info[2],
        "organisation": p.org,
        "function": p.function,
        "seniority": SENIORITY[p.level - 1],
        "industry": org_info[1],
        "manager_email": p.manager.email if p.manager else "",
        "roles": ";".join((["mentee"] if is_mentee else []) + (["mentor"] if is_mentor else [])),
        "goals": goals,
        "guidance_wanted": ";".join(wanted),
        "guidance_offered": ";".join(offered),
        "values": ";".join(values),
        "humour": ";".join(
            rng.sample(["dry", "playful", "dark", "wordplay", "self-deprecating", "absurd"], 2)
        ),
        "work_style": ";".join(
            f"{a}:{rng.choice([-1, 0, 1])}" for a in ("structure", "communication", "feedback")
        ),
        "capacity": str(rng.choice([1, 2, 2, 3, 3, 4]) if is_mentor else 0),
        "hours_per_month": str(rng.choice([2, 3, 4, 6, 8]) if is_mentor else 0),
        "accepts_external": "true" if rng.random() < 0.8 else "false",
        "accepts_reverse": "true" if rng.random() < 0.25 else "false",
        "accepts_peer": "true" if rng.random() < 0.5 else "false",
        "paused": "true" if paused else "false",
        "career": career,
        "associations": ";".join(rng.sample(ASSOCIATIONS, rng.choice([0, 1, 1, 2]))),
        "competitors": "",
    }
    row.update(overrides or {})
    return row


def _persona_rows(personas: dict[str, User], boss: User | None) -> list[dict[str, str]]:
    common = {"accepts_external": "true", "accepts_reverse": "false", "accepts_peer": "false",
              "paused": "false", "competitors": ""}  # fmt: skip
    return [
        {
            **common,
            "email": personas["mentee"].email,
            "headline": "Product manager senior di Nusantara Digital",
            "bio": "Saya sudah enam tahun membangun produk pembayaran digital. Saya senang "
            "bekerja dengan tim lintas fungsi dan ingin mulai memimpin tim sendiri.",
            "languages": "id;en",
            "city": "Jakarta",
            "country": "Indonesia",
            "organisation": "Nusantara Digital",
            "function": "product",
            "seniority": "senior",
            "industry": "software",
            "manager_email": boss.email if boss else "",
            "roles": "mentee",
            "goals": "Saya ingin dipromosikan menjadi manajer produk dalam 12 bulan. Saya butuh "
            "rencana aksi yang jelas, latihan memberi umpan balik, dan kesempatan memimpin "
            "proyek yang terlihat oleh manajemen.",
            "guidance_wanted": "promotion;leadership",
            "values": "integrity;learning;family;ambition",
            "humour": "playful;wordplay",
            "work_style": "structure:-1;communication:1;feedback:1",
            "capacity": "0",
            "hours_per_month": "0",
            "career": "Junior product analyst|data|junior|banking|Bank Sejahtera|2018-02|2020-06;"
            "Product manager|product|mid|software|Nusantara Digital|2020-07|2023-03;"
            "Senior product manager|product|senior|software|Nusantara Digital|2023-04|",
            "associations": "Product Leaders Network",
        },
        {
            **common,
            "email": personas["mentor"].email,
            "headline": "Director of Product at Northwind Software; mentor to new managers",
            "bio": "Twenty years in software, the last ten leading product teams. I moved from "
            "engineering into product and then into management, and I enjoy helping people "
            "make their first step into leading others.",
            "languages": "en;id",
            "city": "London",
            "country": "United Kingdom",
            "organisation": "Northwind Software",
            "function": "product",
            "seniority": "director",
            "industry": "software",
            "manager_email": "",
            "roles": "mentor",
            "goals": "",
            "guidance_offered": "promotion;leadership;career-path;company-culture",
            "values": "integrity;learning;courage;family",
            "humour": "dry;wordplay",
            "work_style": "structure:-1;communication:1;feedback:0",
            "capacity": "3",
            "hours_per_month": "4",
            "accepts_reverse": "true",
            "career": "Software engineer|engineering|junior|software|Northwind Software|2006-09|"
            "2010-12;"
            "Senior engineer|engineering|senior|consulting|Brightpath Consulting|2011-01|2014-05;"
            "Product manager|product|manager|software|Northwind Software|2014-06|2019-12;"
            "Director of Product|product|director|software|Northwind Software|2020-01|",
            "associations": "Product Leaders Network;Women in Tech Asia",
        },
        {
            **common,
            "email": personas["manager"].email,
            "headline": "Manajer program mentoring di Bank Sejahtera",
            "bio": "Saya mengelola program pengembangan talenta dan mentoring untuk lebih dari "
            "300 karyawan.",
            "languages": "id;en",
            "city": "Jakarta",
            "country": "Indonesia",
            "organisation": "Bank Sejahtera",
            "function": "people",
            "seniority": "manager",
            "industry": "banking",
            "roles": "mentor",
            "guidance_offered": "career-path;company-culture",
            "values": "service;fairness;learning",
            "humour": "playful",
            "work_style": "structure:-1;communication:0;feedback:-1",
            "capacity": "2",
            "hours_per_month": "3",
            "career": "Manajer SDM|people|manager|banking|Bank Sejahtera|2019-01|",
            "associations": "Asosiasi Manajer SDM Indonesia",
        },
    ]


def _ensure_organisations() -> dict[str, Organisation]:
    industries = {i.slug: i for i in ListItem.objects.of(ListKind.INDUSTRY)}
    orgs = {}
    for name, industry, _country in ORGANISATIONS:
        org, _created = Organisation.objects.get_or_create(
            name=name, defaults={"industry": industries.get(industry)}
        )
        orgs[name] = org
    for a, b in COMPETITORS:
        orgs[a].competitors.add(orgs[b])
    for a, b in PARTNERS:
        orgs[a].partners.add(orgs[b])
    return orgs


def load(ctx: DemoContext) -> None:
    rng = random.Random(2026)  # our own, so the rows are the same on every run
    orgs = _ensure_organisations()
    personas: dict[str, User] = ctx.data["personas"]
    people = _people(ctx, rng)
    boss = next(
        (p.user for p in people if p.org == "Nusantara Digital" and p.level in (6, 7)), None
    )
    rows: list[dict[str, Any]] = [_row(p, rng) for p in people]
    rows += _persona_rows(personas, boss)
    out = io.StringIO()
    # Names, language and time zone stay as the accounts demo made them.
    kept = ("first_name", "last_name", "language", "timezone")
    columns = [c for c in COLUMNS if c not in kept]
    writer = safecsv.writer(out)
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    result = import_people(out.getvalue(), invite=False)
    if result.errors:
        raise RuntimeError(
            "demo people rows are invalid: " + "; ".join(map(str, result.errors[:5]))
        )
    manager = personas["manager"]
    manager.user_permissions.add(
        Permission.objects.get(content_type__app_label="people", codename="import_people")
    )
    # The demo manager also administers their organisation (/organisations/<id>/).
    OrganisationAdmin.objects.get_or_create(
        organisation=Organisation.objects.get(name="Bank Sejahtera"), user=manager
    )
    by_email = {r["email"]: r for r in rows}
    users = [*ctx.data["people"], personas["mentee"], personas["mentor"], personas["manager"]]
    ctx.data["organisations"] = orgs
    ctx.data["mentors"] = [u for u in users if "mentor" in by_email[u.email]["roles"]]
    ctx.data["mentees"] = [u for u in users if "mentee" in by_email[u.email]["roles"]]
    ctx.data["full_mentors"] = [
        u
        for u in ctx.data["mentors"]
        if by_email[u.email]["capacity"] == "1" and by_email[u.email]["paused"] == "false"
    ]
