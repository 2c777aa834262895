"""Seed the load kit's database: `USERS` people (10,000 by default) built with the demo's own
generators, the virtual users' sessions, their pending requests, and a reminder batch.

Run by `bench/loadkit/run.py` in a process whose environment points Django at the kit's
own database (never the development one). Fast because nothing goes through a per-row
service: one shared Argon2 hash (as the demo does), `bulk_create` for users, addresses,
requests and sessions, and the people CSV import (the demo's path, in bulk) for profiles.
Writes what the load generator needs as JSON to the path given."""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

BATCH_GOAL = "loadkit reminder batch"
"""The goal text of the requests whose expiry reminders make the reminder batch."""
PENDING_GOAL = "loadkit pending request"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="where to write the virtual users (JSON)")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--vu-mentors", type=int, default=10)
    parser.add_argument("--vu-mentees", type=int, default=40)
    parser.add_argument("--pending", type=int, default=30, help="requests per VU mentor")
    parser.add_argument("--batch", type=int, default=300, help="reminders in the batch")
    parser.add_argument("--password", default="loadkit-password-2026")
    args = parser.parse_args(argv)

    import django

    django.setup()
    started = time.perf_counter()
    data = seed(
        users=args.users,
        vu_mentors=args.vu_mentors,
        vu_mentees=args.vu_mentees,
        pending=args.pending,
        batch=args.batch,
        password=args.password,
    )
    data["seconds"] = round(time.perf_counter() - started, 1)
    args.out.write_text(json.dumps(data))
    print(
        f"seeded {data['users']:,} users ({data['mentors']:,} mentors), "
        f"{len(data['vus'])} virtual users, {data['batch']} batch requests "
        f"in {data['seconds']} s"
    )


def seed(
    *, users: int, vu_mentors: int, vu_mentees: int, pending: int, batch: int, password: str
) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from tandem import safecsv
    from tandem.accounts.demo import EN_FIRST, EN_LAST, ID_FIRST, ID_LAST
    from tandem.accounts.models import User
    from tandem.core.demo import DemoContext
    from tandem.mentorships.models import MentorshipRequest
    from tandem.people import demo as people_demo
    from tandem.people.models import Profile
    from tandem.suggestions import changes

    rng = random.Random(2026)
    hashed = make_password(password)  # one Argon2 hash for everyone, as the demo does
    with transaction.atomic():
        people_demo._ensure_organisations()
        made = []
        for i in range(users):
            indonesian = i % 2 == 0
            first = (ID_FIRST if indonesian else EN_FIRST)[(i // 2) % 30]
            last = (ID_LAST if indonesian else EN_LAST)[(i * 7 + i // 30) % 16]
            made.append(
                User(
                    email=f"{first}.{last}.{i}@load.tandem.test".lower(),
                    full_name=f"{first} {last}",
                    language="id" if indonesian else "en",
                    timezone="Asia/Jakarta" if indonesian else "Europe/London",
                    password=hashed,
                )
            )
        made = User.objects.bulk_create(made, batch_size=2000)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in made],
            batch_size=2000,
        )
    # Profiles through the demo's generators and the CSV import (its bulk path).
    ctx = DemoContext(rng=rng, password=password, data={"people": made})
    people = people_demo._people(ctx, rng)
    mentor_vus = {p.user.pk for p in people[:vu_mentors]}
    mentee_vus = {p.user.pk for p in people[vu_mentors : vu_mentors + vu_mentees]}
    rows = []
    for p in people:
        overrides: dict[str, str] = {}
        if p.user.pk in mentor_vus:  # places enough for every accept of the run
            overrides = {"roles": "mentor", "capacity": str(pending + 5), "paused": "false"}
        elif p.user.pk in mentee_vus:
            overrides = {"roles": "mentee"}
        rows.append(people_demo._row(p, rng, overrides))
    # The demo's own path into the CSV import (whatever module the import lives in).
    kept = ("first_name", "last_name", "language", "timezone")
    columns = [c for c in people_demo.COLUMNS if c not in kept]
    out = io.StringIO()
    writer = safecsv.writer(out)
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    result = people_demo.import_people(out.getvalue())
    if result.errors:
        raise SystemExit(f"seed rows are invalid: {result.errors[:5]}")

    roles = dict(Profile.objects.values_list("user_id", "is_mentor"))
    mentees = [u.pk for u in made if not roles.get(u.pk) and u.pk not in mentee_vus]
    mentors = [u.pk for u in made if roles.get(u.pk) and u.pk not in mentor_vus]
    now = timezone.now()
    plan = {
        "expectations": "An hour a month to talk through my path and review my action plan.",
        "guidance_kind": "promotion",
        "meetings_per_month": 1,
        "meeting_minutes": 60,
        "channel": "video",
        "duration_months": 6,
    }
    requests: list[MentorshipRequest] = []
    pending_of: dict[int, list[int]] = {}
    askers = rng.sample(mentees, min(len(mentees), vu_mentors * pending + batch))
    for k, mentor in enumerate(sorted(mentor_vus)):
        for asker in askers[k * pending : (k + 1) * pending]:
            requests.append(
                MentorshipRequest(
                    mentee_id=asker,
                    mentor_id=mentor,
                    initiated_by_id=asker,
                    goal=PENDING_GOAL,
                    expires_at=now + timedelta(days=14),
                    **plan,
                )
            )
    # The reminder batch: due for the expiry reminder only when the kit moves them closer.
    for asker in askers[vu_mentors * pending :]:
        requests.append(
            MentorshipRequest(
                mentee_id=asker,
                mentor_id=rng.choice(mentors),
                initiated_by_id=asker,
                goal=BATCH_GOAL,
                expires_at=now + timedelta(days=10),
                **plan,
            )
        )
    requests = MentorshipRequest.objects.bulk_create(requests, batch_size=2000)
    for req in requests:
        if req.goal == PENDING_GOAL:
            pending_of.setdefault(req.mentor_id, []).append(req.pk)
    changes.record_everyone()  # bulk writes send no signals

    vus = []
    backend = settings.AUTHENTICATION_BACKENDS[0]
    by_pk = {u.pk: u for u in made}
    for pk in sorted(mentor_vus | mentee_vus):
        user = by_pk[pk]
        session = SessionStore()
        session[SESSION_KEY] = str(pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        vus.append(
            {
                "user": pk,
                "email": user.email,
                "role": "mentor" if pk in mentor_vus else "mentee",
                "session": session.session_key,
                "pending": pending_of.get(pk, []),
            }
        )
    return {
        "users": User.objects.count(),
        "mentors": sum(1 for v in roles.values() if v),
        "vus": vus,
        "batch": sum(1 for r in requests if r.goal == BATCH_GOAL),
        "profiles": sorted(rng.sample([u.pk for u in made], min(500, len(made)))),
    }


if __name__ == "__main__":
    main()
