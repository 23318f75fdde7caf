"""Domain errors: a stable code, a Vietnamese message and optional details.

The API turns them into `{code, message, details}` with the error's HTTP status; pages show the message.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = _("Yêu cầu không hợp lệ.")

    def __init__(self, message: Any = None, *, code: str | None = None, details: Any = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.details = details
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}


def page_status(error: DomainError, default: int = 422) -> int:
    """The HTTP status of a page that shows a refusal in its form: the limits (429) and an unavailable
    outside system (503) keep their own; anything else is `default` (the form, with its message)."""
    return error.status if error.status in (429, 503) else default


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    default_message = _("Dữ liệu không hợp lệ.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("Không tìm thấy.")


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_message = _("Cần đăng nhập.")


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = _("Bạn không có quyền thực hiện thao tác này.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("Dữ liệu đã bị thay đổi bởi thao tác khác; vui lòng tải lại.")


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _("Quá nhiều yêu cầu; vui lòng thử lại sau.")


class ServiceUnavailable(DomainError):
    """An external system the action needs did not answer (SMS gateway, registry); nothing was kept."""

    status = 503
    code = "unavailable"
    default_message = _("Dịch vụ tạm thời không khả dụng; vui lòng thử lại sau ít phút.")
