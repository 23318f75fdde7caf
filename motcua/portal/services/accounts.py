"""Citizens' accounts: login with the identity provider, sign-up and password reset by a texted code.

An account stands for one person, found by the national ID (org.Person.user). VNeID vouches for the
national ID; a phone sign-up is linked to a person the center already knows only when the phone is
the one on that person's record, and otherwise to a new person record (the account then stays
"self-declared" until a VNeID login confirms it; a VNeID login of the same national ID takes the person
over). Codes are texted through the SMS adapter, stored as keyed hashes, expire, allow few tries,
and are limited per phone (shared with the booking codes) and per client address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import requests
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import ratelimit, roles
from motcua.core.audit import record_event
from motcua.core.errors import Conflict, DomainError, RateLimited, ServiceUnavailable, ValidationFailed
from motcua.core.ids import national_id_mismatches, parse_national_id
from motcua.core.phones import normalise_phone
from motcua.integrations.identity import Identity, OidcClient
from motcua.integrations.identity import views as fake_vneid
from motcua.integrations.identity.local import same_site_session
from motcua.integrations.sms import SmsUnavailable, get_sms
from motcua.org.models import Person
from motcua.queueing.services.booking import limit_sms

from ..models import Account, PhoneCode


class CodeInvalid(ValidationFailed):
    code = "code_invalid"
    default_message = gettext_lazy("Mã xác nhận không đúng.")


class CodeExpired(Conflict):
    code = "code_expired"
    default_message = gettext_lazy("Mã xác nhận đã hết hạn hoặc đã được dùng; vui lòng yêu cầu mã mới.")


class CodeAttemptsExceeded(RateLimited):
    code = "code_attempts_exceeded"
    default_message = gettext_lazy("Đã nhập sai mã quá số lần cho phép; vui lòng yêu cầu mã mới.")


class CodeNotSent(ServiceUnavailable):
    code = "sms_unavailable"
    default_message = gettext_lazy("Chưa gửi được tin nhắn mã xác nhận; vui lòng thử lại sau ít phút.")


class PhoneTaken(Conflict):
    code = "phone_taken"
    default_message = gettext_lazy("Số điện thoại này đã có tài khoản; hãy đăng nhập hoặc đặt lại mật khẩu.")


class PersonClaimed(Conflict):
    code = "person_claimed"
    default_message = gettext_lazy(
        "Số định danh này đã gắn với một tài khoản khác, hoặc số điện thoại không trùng với số trong hồ sơ công dân "
        "của trung tâm. Hãy đăng nhập bằng VNeID, hoặc đến quầy tiếp nhận để cập nhật số điện thoại."
    )


class StaffAccount(Conflict):
    code = "staff_account"
    default_message = gettext_lazy(
        "Tài khoản cán bộ không đăng nhập bằng VNeID; hãy dùng tên đăng nhập và mật khẩu."
    )


# --- login with the identity provider ----------------------------------------------------------------


def identity_issuer(request) -> str:
    """The provider's issuer: the configured one, else this site's fake (when enabled), else ''."""
    if settings.MOTCUA_VNEID_ISSUER:
        return settings.MOTCUA_VNEID_ISSUER
    return fake_vneid.issuer_of(request) if fake_vneid.fake_endpoint_enabled() else ""


_http_session: requests.Session | None = None


def use_http_session(session: requests.Session | None) -> None:
    """The HTTP session the client talks to the provider with (tests: an in-process transport)."""
    global _http_session
    _http_session = session


def identity_client(request) -> OidcClient | None:
    """The relying party; this site's own fake is reached in-process (identity.local), a real provider over HTTP."""
    issuer = identity_issuer(request)
    if not issuer or not settings.MOTCUA_VNEID_CLIENT_ID:
        return None
    session = _http_session
    if session is None and not settings.MOTCUA_VNEID_ISSUER:
        session = same_site_session(reverse("fake_vneid:root"))
    return OidcClient(
        issuer,
        settings.MOTCUA_VNEID_CLIENT_ID,
        settings.MOTCUA_VNEID_CLIENT_SECRET,
        session=session,
        timeout=settings.MOTCUA_VNEID_TIMEOUT,
    )


def _new_username() -> str:
    user_model = get_user_model()
    while True:
        name = f"cd{secrets.token_hex(4)}"
        if not user_model.objects.filter(username=name).exists():
            return name


def _new_citizen_user(full_name: str):
    user = get_user_model()(username=_new_username(), first_name=full_name[:150])
    user.set_unusable_password()
    user.save()
    user.groups.add(roles.sync_roles()[roles.CITIZEN])
    return user


@transaction.atomic
def log_in_with_identity(identity: Identity, *, now: dt.datetime | None = None):
    """The account of the person the provider vouched for: found by the national ID, made at first login."""
    now = now or timezone.now()
    try:
        number = parse_national_id(identity.national_id)
    except ValidationFailed:
        raise ValidationFailed(
            _("Số định danh do VNeID gửi về không hợp lệ."), code="identity_invalid"
        ) from None
    person = (
        Person.objects.select_for_update(of=("self",))
        .filter(national_id=number.number)
        .select_related("user")
        .first()
    )
    if person is None:
        person = Person.objects.create(
            national_id=number.number,
            full_name=identity.full_name[:120],
            birth_date=identity.birth_date or dt.date(number.birth_year, 1, 1),
            gender=number.gender,
        )
    user = person.user
    if user is not None and (user.is_staff or roles.has_role(user, *roles.STAFF_ROLES)):
        raise StaffAccount()
    created = user is None
    if user is None:
        user = _new_citizen_user(identity.full_name)
        Person.objects.filter(pk=person.pk).update(user=user)
    changed: dict[str, object] = {}
    if person.full_name != identity.full_name[:120]:
        changed["full_name"] = identity.full_name[:120]
    if identity.birth_date and person.birth_date != identity.birth_date:
        changed["birth_date"] = identity.birth_date
    if changed:  # the provider is the authority on the person's name and birth date
        Person.objects.filter(pk=person.pk).update(**changed)
    Account.objects.filter(vneid_subject=identity.subject).exclude(user=user).update(vneid_subject="")
    Account.objects.update_or_create(
        user=user,
        defaults={
            "proof": Account.Proof.VNEID,
            "vneid_subject": identity.subject,
            "last_vneid_login_at": now,
        },
    )
    record_event(user, "portal.vneid_login", "account", user.pk, data={"created": created})
    return user


# --- codes by SMS ---------------------------------------------------------------------------------------


def _code_hash(public_id: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"phone-code:{public_id}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def mobile_number(value: str) -> str:
    return normalise_phone(value, landline=False)


def send_phone_code(
    purpose: str, phone_input: str, *, client: str, now: dt.datetime | None = None
) -> PhoneCode:
    """Text a 6-digit code to the number. A reset for a number without an account texts nothing but
    answers the same (the page must not tell who has an account)."""
    now = now or timezone.now()
    phone = mobile_number(phone_input)
    ratelimit.enforce("phone_code_client", client, settings.MOTCUA_PHONE_CODE_CLIENT_RATE)
    has_account = Account.objects.filter(phone=phone).exists()
    if purpose == PhoneCode.Purpose.SIGN_UP and has_account:
        raise PhoneTaken()
    limit_sms(phone)  # counted before any row is written: a refused request leaves nothing behind
    code = f"{secrets.randbelow(10**6):06d}"
    challenge = PhoneCode(
        public_id=secrets.token_urlsafe(16),
        purpose=purpose,
        phone=phone,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.MOTCUA_PHONE_CODE_MINUTES),
    )
    challenge.code_hash = _code_hash(challenge.public_id, code)
    with transaction.atomic():
        # A new code replaces the earlier ones of the same number and purpose.
        PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(used_at=now)
        challenge.save()
    if purpose == PhoneCode.Purpose.RESET and not has_account:
        return challenge
    # Unaccented: a text with diacritics costs 2-3 segments and some phones show it badly.
    text = (
        _(
            "Ma xac nhan dang ky tai khoan cong dan: %(code)s (hieu luc %(minutes)d phut). Khong chia se ma nay."
        )
        if purpose == PhoneCode.Purpose.SIGN_UP
        else _(
            "Ma dat lai mat khau tai khoan cong dan: %(code)s (hieu luc %(minutes)d phut). Khong chia se ma nay."
        )
    )
    try:
        get_sms().send(phone, text % {"code": code, "minutes": settings.MOTCUA_PHONE_CODE_MINUTES})
    except SmsUnavailable:
        PhoneCode.objects.filter(pk=challenge.pk).update(used_at=now)
        raise CodeNotSent() from None
    return challenge


def _count_attempt(challenge: PhoneCode) -> int:
    """Count one try; the tries so far, this one included (the row's lock orders parallel tries)."""
    with transaction.atomic():
        PhoneCode.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
        return PhoneCode.objects.filter(pk=challenge.pk).values_list("attempts", flat=True).get()


def use_phone_code(public_id: str, code: str, purpose: str, *, now: dt.datetime | None = None) -> PhoneCode:
    """Check the code typed and spend it; CodeInvalid (with the tries left), CodeExpired, CodeAttemptsExceeded.

    The attempt is counted in its own statement before the comparison, so parallel guesses cannot
    exceed the limit; the code is spent by a conditional update, so it serves one sign-up only.
    """
    now = now or timezone.now()
    challenge = PhoneCode.objects.filter(public_id=public_id or "", purpose=purpose).first()
    if challenge is None or challenge.used_at is not None or now >= challenge.expires_at:
        raise CodeExpired()
    limit = settings.MOTCUA_PHONE_CODE_ATTEMPTS
    attempt = _count_attempt(challenge)
    if attempt > limit:
        raise CodeAttemptsExceeded()
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()) or not hmac.compare_digest(
        challenge.code_hash, _code_hash(challenge.public_id, code)
    ):
        left = limit - attempt
        if left <= 0:
            raise CodeAttemptsExceeded()
        raise CodeInvalid(
            _("Mã xác nhận không đúng; còn %(left)d lần thử.") % {"left": left},
            details={"field": "code", "attempts_left": left},
        )
    if not PhoneCode.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=now):
        raise CodeExpired()
    challenge.used_at = now
    return challenge


def _check_password(password: str, password2: str, user=None) -> None:
    if password != password2:
        raise ValidationFailed(
            _("Hai lần nhập mật khẩu không giống nhau."),
            code="password_mismatch",
            details=[{"field": "password2", "code": "password_mismatch"}],
        )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            " ".join(exc.messages),
            code="password_weak",
            details=[{"field": "password", "code": "password_weak"}],
        ) from None


def sign_up_by_phone(
    *,
    challenge: str,
    code: str,
    full_name: str,
    national_id: str,
    birth_date: dt.date | None,
    password: str,
    password2: str,
    now: dt.datetime | None = None,
):
    """A new citizen account after the texted code: linked to the person with that national ID."""
    now = now or timezone.now()
    full_name = " ".join((full_name or "").split())
    problems = []
    if not full_name:
        problems.append({"field": "full_name", "code": "required", "message": _("Cần nhập họ và tên.")})
    if birth_date is None:
        problems.append(
            {"field": "birth_date", "code": "required", "message": _("Cần nhập ngày sinh (dd/mm/yyyy).")}
        )
    try:
        number = parse_national_id(national_id)
        for mismatch in national_id_mismatches(number, birth_date=birth_date):
            problems.append({"field": "national_id", "code": mismatch.code, "message": str(mismatch.message)})
    except ValidationFailed as exc:
        problems.append({"field": "national_id", "code": exc.code, "message": str(exc.message)})
    if problems:
        raise ValidationFailed(problems[0]["message"], details=problems)
    probe = get_user_model()(username="", first_name=full_name)
    _check_password(password, password2, probe)
    spent = use_phone_code(challenge, code, PhoneCode.Purpose.SIGN_UP, now=now)
    assert birth_date is not None
    try:
        with transaction.atomic():
            if Account.objects.filter(phone=spent.phone).exists():
                raise PhoneTaken()
            person = Person.objects.select_for_update().filter(national_id=number.number).first()
            if person is not None and (
                person.user_id is not None or person.phone != spent.phone or person.birth_date != birth_date
            ):
                raise PersonClaimed()
            proof = Account.Proof.PHONE_ON_RECORD if person is not None else Account.Proof.PHONE
            user = _new_citizen_user(full_name)
            user.set_password(password)
            user.save(update_fields=["password"])
            if person is None:
                person = Person.objects.create(
                    national_id=number.number,
                    full_name=full_name[:120],
                    birth_date=birth_date,
                    gender=number.gender,
                    phone=spent.phone,
                    user=user,
                )
            else:
                Person.objects.filter(pk=person.pk).update(user=user)
            Account.objects.create(user=user, proof=proof, phone=spent.phone, created_at=now)
            record_event(user, "portal.phone_sign_up", "account", user.pk, data={"proof": proof})
    except IntegrityError:  # the same number or person signed up in parallel
        raise PhoneTaken() from None
    return user


def reset_password_by_phone(
    *, challenge: str, code: str, password: str, password2: str, now: dt.datetime | None = None
):
    """A new password after the texted code; the login lockout of the account is lifted."""
    pending = PhoneCode.objects.filter(public_id=challenge or "", purpose=PhoneCode.Purpose.RESET).first()
    account = (
        Account.objects.select_related("user").filter(phone=pending.phone).first()
        if pending is not None
        else None
    )
    _check_password(password, password2, account.user if account else None)  # before the code is spent
    use_phone_code(
        challenge, code, PhoneCode.Purpose.RESET, now=now
    )  # never inside a rolled-back transaction
    if account is None:
        raise CodeInvalid()
    user = account.user
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_event(user, "portal.password_reset", "account", user.pk)
    from axes.utils import reset as reset_lockout

    reset_lockout(username=user.get_username())
    return user


def username_for_login(typed: str) -> str:
    """What the login form authenticates: a citizen's mobile number becomes their account's username."""
    try:
        phone = mobile_number(typed)
    except DomainError:
        return typed
    account = Account.objects.filter(phone=phone).select_related("user").first()
    return account.user.get_username() if account else typed


def after_login_url(user) -> str:
    return reverse("portal-me") if roles.has_role(user, roles.CITIZEN) else reverse("home")
