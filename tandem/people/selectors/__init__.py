"""Reads for people, one module per sub-domain: `reference` (lists, organisations,
associations), `visibility` (a profile as a viewer may see it), `profiles` (profiles, career
roles, reporting lines, import/export), `directory` (the mentor directory) and `organisations`
(organisation administration and email domains). `selectors.<name>` reads as before.

What depends on mentorships and programmes (who is related to whom, how many mentees a
mentor has) comes from the registry in `tandem.people.hooks`, which they fill.
"""

from __future__ import annotations

from tandem.people.selectors.directory import (
    DIRECTORY_PAGE_SIZE,
    Availability,
    DirectoryFilters,
    directory_page,
    directory_search,
    with_active_mentee_count,
)
from tandem.people.selectors.organisations import (
    PROGRAMME_MANAGER_PERMISSION,
    administers_any_organisation,
    can_administer,
    email_domain,
    email_domain_policy,
    get_organisation_for_admin,
    get_organisation_person,
    organisation_for_email_domain,
    organisation_people,
    organisations_administered,
)
from tandem.people.selectors.profiles import (
    can_import_people,
    career_roles_for,
    export_viewer,
    get_career_role_for_user,
    get_profile_for_user,
    home_panel,
    manager_account_for_email,
    profile_completeness,
    profile_for_user,
    reporting_chain,
)
from tandem.people.selectors.reference import (
    associations_list,
    get_organisation,
    list_items,
    list_lookup,
    organisations_list,
)
from tandem.people.selectors.visibility import (
    CareerRoleView,
    ProfileView,
    _public_view,
    active_mentee_count,
    can_see_group,
    profile_view_for,
    share_mentorship,
    share_programme,
)

__all__ = [
    "DIRECTORY_PAGE_SIZE",
    "PROGRAMME_MANAGER_PERMISSION",
    "Availability",
    "CareerRoleView",
    "DirectoryFilters",
    "ProfileView",
    "_public_view",
    "active_mentee_count",
    "administers_any_organisation",
    "associations_list",
    "can_administer",
    "can_import_people",
    "can_see_group",
    "career_roles_for",
    "directory_page",
    "directory_search",
    "email_domain",
    "email_domain_policy",
    "export_viewer",
    "get_career_role_for_user",
    "get_organisation",
    "get_organisation_for_admin",
    "get_organisation_person",
    "get_profile_for_user",
    "home_panel",
    "list_items",
    "list_lookup",
    "manager_account_for_email",
    "organisation_for_email_domain",
    "organisation_people",
    "organisations_administered",
    "organisations_list",
    "profile_completeness",
    "profile_for_user",
    "profile_view_for",
    "reporting_chain",
    "share_mentorship",
    "share_programme",
    "with_active_mentee_count",
]
