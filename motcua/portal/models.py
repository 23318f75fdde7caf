"""The citizen's side: accounts, my dossiers, the document wallet, reminders and life events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- wallet ---------------------------------------------------------------------------------------
# The document wallet (ví giấy tờ), its expiry reminders and the life events (docs/portal.md).

WALLET_FOLDER = "wallet"  # the stored papers' folder (upload_to), known to core.uploads' orphan sweep


class PaperKind(models.TextChoices):
    """What a paper in the wallet is: the kinds with a validity period can be reminded before expiry."""

    RESULT = "result", _("Kết quả giải quyết thủ tục")
    ID_CARD = "id_card", _("Thẻ căn cước")
    PASSPORT = "passport", _("Hộ chiếu")
    DRIVING_LICENCE = "driving_licence", _("Giấy phép lái xe")
    HEALTH_INSURANCE = "health_insurance", _("Thẻ bảo hiểm y tế")
    BUSINESS_LICENCE = "business_licence", _("Giấy phép kinh doanh")
    PRACTICE_LICENCE = "practice_licence", _("Chứng chỉ, giấy phép hành nghề")
    RESIDENCE = "residence", _("Giấy tờ cư trú (tạm trú)")
    BIRTH_CERTIFICATE = "birth_certificate", _("Giấy khai sinh")
    MARRIAGE_CERTIFICATE = "marriage_certificate", _("Giấy chứng nhận kết hôn")
    LAND_CERTIFICATE = "land_certificate", _("Giấy chứng nhận quyền sử dụng đất")
    DIPLOMA = "diploma", _("Văn bằng, chứng chỉ")
    OTHER = "other", _("Giấy tờ khác")


class WalletDocument(models.Model):
    """One paper of a citizen's wallet: a file with its metadata, uploaded by the citizen or a result
    of one of their dossiers (then with the dossier and, when it was signed, its signature record)."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Công dân tải lên")
        RESULT = "result", _("Kết quả hồ sơ")

    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="wallet_documents", verbose_name=_("công dân")
    )
    kind = models.CharField(_("loại giấy tờ"), max_length=24, choices=PaperKind.choices)
    title = models.CharField(_("tên giấy tờ"), max_length=300)
    number = models.CharField(_("số giấy tờ"), max_length=40, blank=True)
    issuer = models.CharField(_("cơ quan cấp"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    expires_on = models.DateField(_("ngày hết hạn"), null=True, blank=True, db_index=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    # A result lives as long as its dossier: its file is the dossier's (or its signed copy).
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("hồ sơ"),
    )
    signed_document = models.ForeignKey(
        "signing.SignedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bản ký số"),
    )
    file = models.FileField(_("tệp"), upload_to=WALLET_FOLDER + "/%Y/%m/", blank=True)
    filename = models.CharField(_("tên tệp"), max_length=200, blank=True)
    content_type = models.CharField(_("định dạng"), max_length=40, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    added_at = models.DateTimeField(_("thêm lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("giấy tờ trong ví")
        verbose_name_plural = _("giấy tờ trong ví")
        ordering = ["person", "-added_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PaperKind.values), name="wallet_kind_known"),
            models.CheckConstraint(
                condition=Q(source="upload") | Q(dossier__isnull=False), name="wallet_result_has_dossier"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="wallet_expires_after_issue",
            ),
            # A dossier's result is in its applicant's wallet once.
            models.UniqueConstraint(
                fields=["person", "dossier"],
                condition=Q(source="result"),
                name="wallet_one_result_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def referenced_files(names: list[str]) -> set[str]:
    """Which of these stored names a wallet paper still names (core.uploads' sweep)."""
    return set(WalletDocument.objects.filter(file__in=names).values_list("file", flat=True))


class WalletShare(models.Model):
    """A wallet paper given to an agency as a document of a new dossier (instead of uploading it again)."""

    document = models.ForeignKey(
        WalletDocument, on_delete=models.CASCADE, related_name="shares", verbose_name=_("giấy tờ trong ví")
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="+", verbose_name=_("hồ sơ")
    )
    position = models.PositiveSmallIntegerField(_("thành phần hồ sơ số"))
    shared_at = models.DateTimeField(_("chia sẻ lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("chia sẻ giấy tờ")
        verbose_name_plural = _("chia sẻ giấy tờ")
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "dossier", "position"], name="wallet_share_once_per_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.dossier_id}"


class ExpiryReminder(models.Model):
    """A reminder that a paper expires, written once per paper, expiry date and lead time."""

    document = models.ForeignKey(
        WalletDocument, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("giấy tờ trong ví")
    )
    lead_days = models.PositiveSmallIntegerField(_("báo trước (ngày)"))
    expires_on = models.DateField(_("ngày hết hạn"))
    sent_at = models.DateTimeField(_("nhắc lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("nhắc hết hạn giấy tờ")
        verbose_name_plural = _("nhắc hết hạn giấy tờ")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "expires_on", "lead_days"], name="wallet_one_reminder_per_lead"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} −{self.lead_days}"


class LifeEvent(models.Model):
    """A stage of life (having a baby, getting married…) with the procedures it usually brings."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên sự kiện"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("sự kiện cuộc sống")
        verbose_name_plural = _("sự kiện cuộc sống")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class LifeEventStep(models.Model):
    """One procedure of a life event, in the order a person usually files them."""

    event = models.ForeignKey(LifeEvent, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.CASCADE, related_name="+", verbose_name=_("thủ tục")
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thủ tục của sự kiện")
        verbose_name_plural = _("thủ tục của sự kiện")
        ordering = ["event", "position"]
        constraints = [models.UniqueConstraint(fields=["event", "position"], name="life_event_step_position")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.position}"


# --- results by post ------------------------------------------------------------------------------


class DeliveryStatus(models.TextChoices):
    """A parcel's status as the postal service reports it (integrations.postal.STATUSES)."""

    ACCEPTED = "accepted", _("Bưu chính đã nhận yêu cầu")
    PICKED_UP = "picked_up", _("Đã lấy kết quả tại điểm tiếp nhận")
    IN_TRANSIT = "in_transit", _("Đang vận chuyển")
    DELIVERING = "delivering", _("Đang giao")
    DELIVERED = "delivered", _("Đã giao")
    RETURNED = "returned", _("Không giao được, đã hoàn lại")


class ResultDelivery(models.Model):
    """A dossier's paper result sent to its applicant by post (one per dossier)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="+", verbose_name=_("hồ sơ")
    )
    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="result_deliveries", verbose_name=_("công dân")
    )
    receiver_name = models.CharField(_("người nhận"), max_length=200)
    receiver_phone = models.CharField(_("điện thoại người nhận"), max_length=20)
    receiver_address = models.CharField(_("địa chỉ nhận"), max_length=250)
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=30, unique=True)
    fee = models.PositiveIntegerField(_("cước (đồng, trả khi nhận)"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.ACCEPTED
    )
    events = models.JSONField(_("hành trình"), default=list, blank=True)
    requested_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("trả kết quả qua bưu chính")
        verbose_name_plural = _("trả kết quả qua bưu chính")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_known"
            )
        ]

    def __str__(self) -> str:
        return self.tracking_number


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
