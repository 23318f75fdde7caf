"""Who may do what on the citizen's side.

Wallet: a citizen's wallet is theirs alone. Only the account linked to the person (`Person.user`),
holding the citizen role, sees it, opens its files, adds, removes or shares a paper. No officer,
leader or administrator reads it through the portal: what an agency gets is the copy shared into a
dossier, seen under the dossier's own rules.
"""

from __future__ import annotations

from motcua.core import roles
from motcua.core.errors import NotFound, PermissionDenied

# --- wallet ---------------------------------------------------------------------------------------

USE_WALLET = "use_wallet"  # obj: None — have a wallet at all (list it, add to it)
OPEN = "open"  # obj: WalletDocument
REMOVE = "remove"
SHARE = "share"
WALLET_ACTIONS = frozenset({OPEN, REMOVE, SHARE})


def person_of(user):
    """The citizen (org.Person) the account is linked to, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from motcua.org.models import Person

    return Person.objects.filter(user=user).select_related("commune").first()


def _is_citizen(user) -> bool:
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and roles.has_role(user, roles.CITIZEN)
    )


def can(user, action: str, obj=None, *, person=None) -> bool:
    """Whether `user` may do `action` (to the wallet paper `obj`). `person` saves a query when known."""
    if not _is_citizen(user):
        return False
    person = person if person is not None else person_of(user)
    if person is None:
        return False
    if action == USE_WALLET:
        return True
    if action in WALLET_ACTIONS and obj is not None:
        if obj.person_id != person.pk:
            return False
        # A result stays: it is the dossier's record; the citizen removes only what they uploaded.
        return not (action == REMOVE and obj.source == "result")
    return False


def check(user, action: str, obj=None, *, person=None) -> None:
    """Raise why not: a paper of someone else is NotFound (its existence is not told), the rest 403."""
    if can(user, action, obj, person=person):
        return
    if obj is not None and _is_citizen(user):
        own = person if person is not None else person_of(user)
        if own is None or obj.person_id != own.pk:
            raise NotFound()
    raise PermissionDenied()
