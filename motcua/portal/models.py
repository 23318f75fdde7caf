"""The citizen's side: accounts, my dossiers, the document wallet, reminders and life events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- accounts ------------------------------------------------------------------------------------
# A citizen's account is a Django user in the `citizen` role; the person it stands for is the
# org.Person whose `user` it is (one person per account, found by the national ID). `Account` holds
# what the portal adds: how the person proved who they are, and the phone that signs them in.


class Account(models.Model):
    class Proof(models.TextChoices):
        VNEID = "vneid", _("Định danh điện tử VNeID")
        PHONE_ON_RECORD = "phone_on_record", _("Số điện thoại trùng với hồ sơ công dân")
        PHONE = "phone", _("Số điện thoại (tự khai)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account",
        verbose_name=_("tài khoản"),
    )
    proof = models.CharField(_("cách xác thực danh tính"), max_length=16, choices=Proof.choices)
    # The mobile number that signs in and receives codes (national form, 0xxxxxxxxx); unique when set.
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # The provider's pairwise subject of the VNeID login (not the national ID itself).
    vneid_subject = models.CharField(_("định danh VNeID"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    last_vneid_login_at = models.DateTimeField(_("đăng nhập VNeID gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài khoản công dân")
        verbose_name_plural = _("tài khoản công dân")
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="account_phone_unique"),
            models.UniqueConstraint(
                fields=["vneid_subject"], condition=~Q(vneid_subject=""), name="account_vneid_subject_unique"
            ),
            models.CheckConstraint(
                condition=Q(proof__in=["vneid", "phone_on_record", "phone"]), name="account_proof_known"
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_username()

    @property
    def verified(self) -> bool:
        """The person proved who they are (VNeID, or the phone the center already had for them)."""
        return self.proof != self.Proof.PHONE


class PhoneCode(models.Model):
    """One code texted for sign-up or a password reset: kept only as a keyed hash, expiring, few tries."""

    class Purpose(models.TextChoices):
        SIGN_UP = "sign_up", _("Đăng ký tài khoản")
        RESET = "reset", _("Đặt lại mật khẩu")

    public_id = models.CharField(max_length=32, unique=True)
    purpose = models.CharField(_("mục đích"), max_length=10, choices=Purpose.choices)
    phone = models.CharField(_("điện thoại"), max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác nhận qua tin nhắn")
        verbose_name_plural = _("mã xác nhận qua tin nhắn")
        indexes = [models.Index(fields=["phone", "purpose"], name="phonecode_phone_purpose")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="phonecode_expires_after_creation"
            )
        ]

    def __str__(self) -> str:
        return self.public_id
