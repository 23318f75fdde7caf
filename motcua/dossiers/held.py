"""Files chosen on the intake form, kept between two attempts (a browser cannot refill a file field).

When a submit is refused, every newly chosen file that passes the upload check is held on the server
(`uploads.hold`) under a random token, recorded in the officer's session together with the officer's
id. The page lists it as already attached, with a hidden field `held.<position>` carrying the token,
and the next submit uses it again. A token counts only when this session holds it for this user: a
token copied from another officer's page, or kept after logging out (the session is flushed), names
nothing. Held files are released once the dossier is stored, when the officer removes them on the
page, when the session holds too many, and by the periodic orphan job after `uploads.HELD_AGE`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile

from motcua.core import uploads

SESSION_KEY = "dossiers.held_uploads"
MAX_HELD = 40  # per session: the oldest is released beyond this


@dataclass(frozen=True)
class HeldFile:
    token: str
    position: int
    name: str
    size: int


class HeldUploads:
    """The held files of one request's session and user."""

    def __init__(self, request):
        self.session = request.session
        self.user_id = request.user.pk

    def _entries(self) -> dict[str, dict]:
        raw = self.session.get(SESSION_KEY)
        return raw if isinstance(raw, dict) else {}

    def _save(self, entries: dict[str, dict]) -> None:
        self.session[SESSION_KEY] = entries
        self.session.modified = True

    def _own(self, token: str) -> dict | None:
        entry = self._entries().get(token)
        return entry if isinstance(entry, dict) and entry.get("user") == self.user_id else None

    def chosen(self, data) -> dict[int, list[HeldFile]]:
        """The held files a submitted page names (`held.<position>` = token), this session's and user's only."""
        found: dict[int, list[HeldFile]] = {}
        for key in data:
            prefix, _sep, position = key.partition(".")
            if prefix != "held" or not position.isdigit():
                continue
            for token in data.getlist(key)[:20]:
                entry = self._own(token)
                if entry is not None and entry.get("position") == int(position):
                    found.setdefault(int(position), []).append(
                        HeldFile(token=token, position=int(position), name=str(entry.get("name", "")),
                                 size=int(entry.get("size", 0))))
        return found

    def keep(self, uploaded: dict[int, list]) -> tuple[dict[int, list[HeldFile]], dict[int, list]]:
        """Hold each new file that passes the upload check; the refused ones are returned as they came
        (rewound), for intake to name them with its reason."""
        kept: dict[int, list[HeldFile]] = {}
        refused: dict[int, list] = {}
        entries = dict(self._entries())
        for position, files in uploaded.items():
            for upload in files:
                try:
                    checked = uploads.check_upload(upload)
                except uploads.UploadRefused:
                    upload.seek(0)
                    refused.setdefault(position, []).append(upload)
                    continue
                token = uploads.hold(checked)
                entries[token] = {"user": self.user_id, "position": position, "name": checked.filename,
                                  "size": checked.size}
                kept.setdefault(position, []).append(HeldFile(token, position, checked.filename, checked.size))
        while len(entries) > MAX_HELD:
            oldest = next(iter(entries))
            uploads.release(oldest)
            del entries[oldest]
        self._save(entries)
        return kept, refused

    def as_uploads(self, held: dict[int, list[HeldFile]]) -> dict[int, list]:
        """The held files as uploaded files for intake (a file swept meanwhile is simply missing)."""
        files: dict[int, list] = {}
        for position, items in held.items():
            for item in items:
                content = uploads.held_content(item.token)
                if content is not None:
                    files.setdefault(position, []).append(ContentFile(content, name=item.name))
        return files

    def release(self, held: dict[int, list[HeldFile]]) -> None:
        """The dossier is stored: its held files are not needed any more."""
        for items in held.values():
            for item in items:
                self.discard(item.token)

    def discard(self, token: str) -> bool:
        """Remove one held file of this session and user; False when it names none."""
        if self._own(token) is None:
            return False
        uploads.release(token)
        entries = dict(self._entries())
        entries.pop(token, None)
        self._save(entries)
        return True


def merged(*parts: dict[int, list]) -> dict[int, list]:
    """Files per position from several sources, in order."""
    result: dict[int, list] = {}
    for part in parts:
        for position, items in part.items():
            result.setdefault(position, []).extend(items)
    return result
