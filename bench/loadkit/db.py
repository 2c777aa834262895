"""What the kit reads and writes in its database through Django (set up by run.py for the
kit's own database): the reminder batch it makes due, the connections it drops, and the
accounting at the end (emails sent, lost and duplicated; stranded tasks; business rules)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bench.loadkit.seed import BATCH_GOAL
from tandem.core.periodic import BULK_QUEUE, tick
from tandem.mentorships.models import Mentorship, MentorshipRequest
from tandem.mentorships.services import expiry_reminder_days
from tandem.notifications.models import OutgoingEmail
from tandem.people.models import Profile

EXPIRING = "mentorships/request_expiring"
ACCEPTED = "mentorships/request_accepted"
OUR_ID = re.compile(r"<tandem-(\d+)@")
ACTIVE = [TaskResultStatus.READY, TaskResultStatus.RUNNING]


def make_batch_due() -> int:
    """Move the batch requests' expiry within the reminder window and tick: the bulk
    worker's reminder run then sends them all at once. How many were moved."""
    soon = timezone.now() + timedelta(days=max(1, expiry_reminder_days() - 1))
    moved = MentorshipRequest.objects.filter(
        goal=BATCH_GOAL, status__in=MentorshipRequest.OPEN_STATUSES
    ).update(expires_at=soon)
    tick()
    return moved


def batch_progress() -> dict[str, int]:
    """How far the reminder batch has come: reminders stamped, their emails by status."""
    stamped = MentorshipRequest.objects.filter(
        goal=BATCH_GOAL, expiry_reminded_at__isnull=False
    ).count()
    emails = Counter(
        dict(
            OutgoingEmail.objects.filter(kind=EXPIRING)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    )
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, queue_name=BULK_QUEUE
    ).values_list("task_path", flat=True)
    return {
        "stamped": stamped,
        "queued": emails[OutgoingEmail.Status.QUEUED],
        "sending": emails[OutgoingEmail.Status.SENDING],
        "sent": emails[OutgoingEmail.Status.SENT],
        "reminder_run_running": sum("reminders" in p for p in running),
        "batch_running": sum(p.endswith("deliver_emails") for p in running),
    }


def drop_connections() -> int:
    """Terminate every other connection to the kit's database (web workers, task workers,
    scheduler): what a database failover or restart does to them. How many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def index_version() -> int:
    """How many changes reached Find a mentor's index (its version counter)."""
    from tandem.suggestions.models import IndexVersion

    return int(IndexVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0)


def quiet() -> dict[str, int]:
    """Work still to do: task rows ready or running, and emails queued or failed."""
    tasks = DBTaskResult.objects.filter(status__in=ACTIVE).count()
    emails = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.FAILED]
    ).count()
    return {"tasks": tasks, "emails": emails}


def account(received: Counter[str], accepted_ids: list[int]) -> dict[str, Any]:
    """Emails, tasks and business rules once the run has drained.

    - sent: outbox rows the SMTP sink received; duplicated: receipts beyond the first;
    - lost (silently): outbox rows it never received that do not say so (queued, failed,
      or marked sent), plus changes that should have made an email and made none: a
      stamped expiry reminder without its email row, an accepted request without the
      initiator's "accepted" email row;
    - in flight: rows a killed worker was sending (SENDING, or UNKNOWN once the sweeper
      has marked them), and whether the sink got them. Never sending an email twice means
      one of these, if the kill came before the server took it, is not delivered; its row
      says so (UNKNOWN, for an operator) rather than going missing;
    - tasks stranded: rows still ready or running after the drain."""
    ours: Counter[int] = Counter()
    foreign = 0
    for message_id, n in received.items():
        found = OUR_ID.match(message_id)
        if found:
            ours[int(found.group(1))] += n
        else:
            foreign += n
    rows = dict(OutgoingEmail.objects.values_list("pk", "status"))
    in_flight = {OutgoingEmail.Status.SENDING, OutgoingEmail.Status.UNKNOWN}
    lost_by_status = Counter(
        status for pk, status in rows.items() if pk not in ours and status not in in_flight
    )
    stamped = MentorshipRequest.objects.filter(
        goal=BATCH_GOAL, expiry_reminded_at__isnull=False
    ).count()
    expiring = OutgoingEmail.objects.filter(kind=EXPIRING).count()
    accepted = MentorshipRequest.objects.filter(
        pk__in=accepted_ids, status=MentorshipRequest.Status.ACCEPTED
    ).count()
    accepted_emails = OutgoingEmail.objects.filter(kind=ACCEPTED).count()
    tasks = Counter(
        dict(
            DBTaskResult.objects.values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    )
    lost_causes = max(0, stamped - expiring) + max(0, accepted - accepted_emails)
    return {
        "emails": {
            "rows": len(rows),
            "sent": sum(1 for pk in ours if pk in rows),
            "duplicated": sum(n - 1 for n in ours.values() if n > 1),
            "lost": sum(lost_by_status.values()) + lost_causes,
            "lost_by_status": dict(lost_by_status),
            "lost_causes": lost_causes,
            "extra_rows": max(0, expiring - stamped) + max(0, accepted_emails - accepted),
            "in_flight_at_a_kill": sum(1 for s in rows.values() if s in in_flight),
            "in_flight_delivered": sum(
                1 for pk, s in rows.items() if s in in_flight and pk in ours
            ),
            "in_flight_undelivered": sum(
                1 for pk, s in rows.items() if s in in_flight and pk not in ours
            ),
            "unknown_receipts": foreign + sum(n for pk, n in ours.items() if pk not in rows),
            "reminders": {"stamped": stamped, "emails": expiring},
            "accepts": {"accepted": accepted, "emails": accepted_emails},
        },
        "tasks": {
            "stranded": tasks[TaskResultStatus.READY] + tasks[TaskResultStatus.RUNNING],
            "by_status": {str(k): v for k, v in tasks.items()},
            "worker_lost": DBTaskResult.objects.filter(
                exception_class_path="tandem.core.periodic.WorkerLost"
            ).count(),
            # Claimed more than once: a worker died with it RUNNING and the sweeper requeued it.
            "requeued": sorted(
                path.rsplit(".", 2)[-2] + "." + path.rsplit(".", 1)[-1]
                for path, workers in DBTaskResult.objects.values_list("task_path", "worker_ids")
                if len(workers) > 1
            ),
        },
        "rules": rules(),
    }


def rules() -> dict[str, int]:
    """The business rules the incident kept under load, checked again: no mentor over
    capacity, no duplicate open request, one mentorship per accepted request."""
    live = (
        Mentorship.objects.filter(status__in=Mentorship.LIVE_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("id"))
    )
    capacity = dict(Profile.objects.values_list("user_id", "capacity"))
    over = sum(1 for row in live if row["n"] > capacity.get(row["mentor_id"], 0))
    duplicates = (
        MentorshipRequest.objects.filter(status__in=MentorshipRequest.OPEN_STATUSES)
        .values("mentee_id", "mentor_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    accepted = MentorshipRequest.objects.filter(status=MentorshipRequest.Status.ACCEPTED)
    without = accepted.annotate(m=Count("mentorship")).filter(~Q(m=1)).count()
    mismatched = Mentorship.objects.exclude(request__isnull=True).exclude(
        mentor_id=F("request__mentor_id")
    )
    return {
        "mentors_over_capacity": over,
        "duplicate_open_requests": duplicates,
        "accepted_without_one_mentorship": without + mismatched.count(),
    }
