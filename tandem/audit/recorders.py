"""What the audit log records by itself, connected in `AuditConfig.ready()`: changes to
someone's roles or rights however they are made (the admin, a service, the shell), and the
admin's use by staff (`middleware.AuditMiddleware`). The other events are recorded where
they happen, by the app that knows them, with `services.audit_record`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_init, post_save

from tandem.accounts.models import User
from tandem.audit.models import Action
from tandem.audit.services import audit_record

ROLE_FLAGS = ("is_staff", "is_superuser")
_SNAPSHOT = "_audit_roles"


def _roles(user: User) -> tuple[bool, ...] | None:
    values = user.__dict__
    if not all(flag in values for flag in ROLE_FLAGS):
        return None  # deferred: never load them just to compare
    return tuple(bool(values[flag]) for flag in ROLE_FLAGS)


def _remember_roles(sender: Any, instance: User, **kwargs: Any) -> None:
    setattr(instance, _SNAPSHOT, _roles(instance))


def _roles_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    before = None if created else getattr(instance, _SNAPSHOT, None)
    after = _roles(instance)
    setattr(instance, _SNAPSHOT, after)
    if after is None or (before is None and not created):
        return
    old = before or (False,) * len(ROLE_FLAGS)
    changed = {flag: after[i] for i, flag in enumerate(ROLE_FLAGS) if after[i] != old[i]}
    if changed:
        audit_record(
            actor=None,
            action=Action.ROLE_CHANGE,
            subject_user=instance,
            target=f"user:{instance.pk}",
            detail={"flags": changed, "created": created},
        )


def _codenames(ids: set[int]) -> list[str]:
    return sorted(
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(pk__in=ids).values_list(
            "content_type__app_label", "codename"
        )
    )


def _group_names(ids: set[int]) -> list[str]:
    return sorted(Group.objects.filter(pk__in=ids).values_list("name", flat=True))


_CHANGES = {"post_add": "added", "post_remove": "removed", "pre_clear": "cleared"}


def _user_m2m(kind: str, names: Any) -> Any:
    def changed(
        sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any
    ) -> None:
        change = _CHANGES.get(action)
        if change is None or (change != "cleared" and not pk_set):
            return
        if not reverse:  # user.user_permissions.add(...) / user.groups.add(...)
            audit_record(
                actor=None,
                action=Action.ROLE_CHANGE,
                subject_user=instance,
                target=f"user:{instance.pk}",
                detail={kind: {change: names(pk_set) if pk_set else []}},
            )
            return
        # permission.user_set.add(...) / group.user_set.add(...): one event per person
        label = names({instance.pk}) if change != "cleared" else [str(instance)]
        for user_id in sorted(pk_set or []):
            audit_record(
                actor=None,
                action=Action.ROLE_CHANGE,
                subject_user=user_id,
                target=f"user:{user_id}",
                detail={kind: {change: label}},
            )

    return changed


def _group_permissions(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any
) -> None:
    change = _CHANGES.get(action)
    if change is None or (change != "cleared" and not pk_set):
        return
    if reverse:  # permission.group_set.add(...)
        for group_id in sorted(pk_set or []):
            audit_record(
                actor=None,
                action=Action.ROLE_CHANGE,
                target=f"group:{group_id}",
                detail={"permissions": {change: _codenames({instance.pk})}},
            )
        return
    audit_record(
        actor=None,
        action=Action.ROLE_CHANGE,
        target=f"group:{instance.pk} {instance.name}",
        detail={"permissions": {change: _codenames(pk_set) if pk_set else []}},
    )


def connect() -> None:
    post_init.connect(_remember_roles, sender=User, dispatch_uid="audit.user_roles_init")
    post_save.connect(_roles_saved, sender=User, dispatch_uid="audit.user_roles_saved")
    m2m_changed.connect(
        _user_m2m("permissions", _codenames),
        sender=User.user_permissions.through,
        dispatch_uid="audit.user_permissions",
        weak=False,
    )
    m2m_changed.connect(
        _user_m2m("groups", _group_names),
        sender=User.groups.through,
        dispatch_uid="audit.user_groups",
        weak=False,
    )
    m2m_changed.connect(
        _group_permissions,
        sender=Group.permissions.through,
        dispatch_uid="audit.group_permissions",
    )
