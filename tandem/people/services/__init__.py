"""Writes for people, by sub-domain: profiles and career roles, account invitations,
organisation administration. Pages, the API, commands and the CSV import all go through these."""

from __future__ import annotations

from tandem.people.services.invitations import (
    account_invitation_send,
    account_invitations_send_new,
)
from tandem.people.services.organisations import (
    clean_domain,
    organisation_admin_appoint,
    organisation_association_add,
    organisation_domain_add,
    organisation_invitation_resend,
    organisation_programme_manager_set,
    organisation_relations_set,
    profile_join_organisation_by_email,
)
from tandem.people.services.profiles import (
    FK_KINDS,
    M2M_KINDS,
    PROFILE_FIELDS,
    PROFILE_M2M,
    career_role_create,
    career_role_delete,
    career_role_update,
    clean_channels,
    clean_languages,
    clean_work_style,
    organisation_get_or_create,
    profile_get_or_create,
    profile_update,
    profiles_link_manager,
)

__all__ = [
    "FK_KINDS",
    "M2M_KINDS",
    "PROFILE_FIELDS",
    "PROFILE_M2M",
    "account_invitation_send",
    "account_invitations_send_new",
    "career_role_create",
    "career_role_delete",
    "career_role_update",
    "clean_channels",
    "clean_domain",
    "clean_languages",
    "clean_work_style",
    "organisation_admin_appoint",
    "organisation_association_add",
    "organisation_domain_add",
    "organisation_get_or_create",
    "organisation_invitation_resend",
    "organisation_programme_manager_set",
    "organisation_relations_set",
    "profile_get_or_create",
    "profile_join_organisation_by_email",
    "profile_update",
    "profiles_link_manager",
]
