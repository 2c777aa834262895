"""Demo users: a mixed English and Indonesian community of 240 people plus the personas."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from tandem.accounts.models import User
from tandem.core.demo import DemoContext

ID_FIRST = [
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Rina",
    "Andi",
    "Putri",
    "Rizky",
    "Ayu",
    "Fajar",
    "Intan",
    "Hendra",
    "Wulan",
    "Yusuf",
    "Lestari",
    "Bayu",
    "Nadia",
    "Eko",
    "Ratna",
    "Dimas",
    "Kartika",
    "Arief",
    "Melati",
    "Teguh",
    "Sari",
    "Gilang",
    "Indah",
    "Reza",
    "Fitri",
    "Wahyu",
]
ID_LAST = [
    "Santoso",
    "Wijaya",
    "Pratama",
    "Lestari",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Kusuma",
    "Setiawan",
    "Rahmawati",
    "Siregar",
    "Nasution",
    "Halim",
    "Gunawan",
    "Purnomo",
    "Utami",
]
EN_FIRST = [
    "Emma",
    "Oliver",
    "Amelia",
    "Jack",
    "Sophie",
    "Harry",
    "Grace",
    "Liam",
    "Chloe",
    "Noah",
    "Isla",
    "Ethan",
    "Ava",
    "Lucas",
    "Mia",
    "James",
    "Ella",
    "Leo",
    "Ruby",
    "Samuel",
    "Hannah",
    "Daniel",
    "Zoe",
    "Thomas",
    "Maya",
    "Adam",
    "Laura",
    "Ben",
    "Nora",
    "Owen",
]
EN_LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Clarke",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Wood",
    "Hughes",
    "Turner",
]
DEMO_SIZE = 240

PERSONAS = [
    (
        "mentee@demo.tandem.test",
        "Maya Putri",
        "id",
        "Asia/Jakarta",
        "a mentee looking for a mentor",
    ),
    ("mentor@demo.tandem.test", "Daniel Clarke", "en", "Europe/London", "a mentor with requests"),
    ("manager@demo.tandem.test", "Ratna Siregar", "id", "Asia/Jakarta", "a programme manager"),
    ("admin@demo.tandem.test", "Tandem Admin", "en", "UTC", "the site administrator (/admin/)"),
]
LOGINS = [(email, role) for email, _name, _language, _tz, role in PERSONAS]


def _ensure_user(
    ctx: DemoContext, email: str, name: str, language: str, tz: str, *, staff: bool = False
) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": name,
            "language": language,
            "timezone": tz,
            "is_staff": staff,
            "is_superuser": staff,
        },
    )
    if created:
        # One Argon2 hash shared by every demo account: hashing 240 times would take seconds.
        if "password_hash" not in ctx.data:
            ctx.data["password_hash"] = make_password(ctx.password)
        user.password = ctx.data["password_hash"]
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load(ctx: DemoContext) -> None:
    personas = {}
    for email, name, language, tz, role in PERSONAS:
        personas[email.split("@")[0]] = _ensure_user(
            ctx, email, name, language, tz, staff=email.startswith("admin@")
        )
        ctx.logins.append((email, role))
    people = []
    for i in range(DEMO_SIZE):
        indonesian = i % 2 == 0
        first = (ID_FIRST if indonesian else EN_FIRST)[(i // 2) % 30]
        last = (ID_LAST if indonesian else EN_LAST)[(i * 7 + i // 30) % 16]
        email = f"{first}.{last}.{i}@demo.tandem.test".lower()
        tz = (
            "Asia/Jakarta"
            if indonesian
            else ["Europe/London", "Asia/Singapore", "Australia/Sydney"][i % 3]
        )
        people.append(_ensure_user(ctx, email, f"{first} {last}", "id" if indonesian else "en", tz))
    ctx.data["personas"] = personas
    ctx.data["people"] = people
