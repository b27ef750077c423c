"""Reading one cell: text, dates, money, credit codes and choices as exports spell them.

Each reader takes the raw cell (a string from CSV; a string, number, date or
None from XLSX) and returns the model value, or raises BadValue with a reason
fit for the row report. Blank cells read as "" or None; whether a blank is
allowed is the column's business, not the reader's.
"""

import datetime
import decimal
import functools
import re
import unicodedata

from django.conf import settings
from django.core.validators import slug_re
from django.utils import translation
from django.utils.translation import gettext as _

from merchants import credit_code, dates
from merchants.models import Inspection, Licence, ListEntry, Merchant, Penalty, Precinct


class BadValue(ValueError):
    """A cell that cannot be read; ``message`` says why, for the row report."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def text(raw):
    """The cell as stripped text; spreadsheet numbers lose a spurious ``.0``."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat(" ")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw).strip()


def is_blank(raw):
    return text(raw) == ""


def fold(value):
    """Compare spellings loosely: full-width folded (NFKC), lower case, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", value).split()).lower()


def optional_date(raw):
    if is_blank(raw):
        return None
    try:
        return dates.parse_date(raw if isinstance(raw, datetime.date) else text(raw))
    except ValueError:
        raise BadValue(
            _("“%(value)s” is not a date; write it like 2019-07-12.") % {"value": text(raw)}
        ) from None


def slug(raw):
    value = text(raw)
    if value and not slug_re.match(value):
        raise BadValue(
            _("“%(value)s” is not a slug: use only letters, digits, hyphens and underscores.")
            % {"value": value}
        )
    return value


def code(raw):
    """A unified social credit code, upper-cased and checked (full-width folded)."""
    value = credit_code.normalise(unicodedata.normalize("NFKC", text(raw)))
    reason = credit_code.problem(value)
    if reason:
        raise BadValue(
            _("Invalid credit code “%(code)s”: %(reason)s") % {"code": value, "reason": reason}
        )
    return value


_CENT = decimal.Decimal("0.01")
_TEN_THOUSAND = decimal.Decimal(10000)
_LARGEST_AMOUNT = decimal.Decimal(10) ** 12


def amount(raw, scale=1):
    """Money in yuan; ``scale`` 10000 when the column is in 万元. "万元" in a cell wins."""
    value = fold(text(raw)).replace(",", "")
    if not value:
        return None
    if value.endswith("万元"):
        value, scale = value[:-2], _TEN_THOUSAND
    elif value.endswith("元"):
        value, scale = value[:-1], 1
    value = value.removeprefix("¥").removeprefix("￥")
    try:
        number = decimal.Decimal(value)
    except decimal.InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise BadValue(_("“%(value)s” is not an amount of money.") % {"value": text(raw)})
    number = (number * scale).quantize(_CENT, rounding=decimal.ROUND_HALF_UP)
    if number >= _LARGEST_AMOUNT:
        raise BadValue(_("“%(value)s” is too large an amount.") % {"value": text(raw)})
    return number


class Choice:
    """One of a model's choices, by code, English label or a Chinese name used in exports."""

    def __init__(self, choices, names=None, default=None):
        self.choices = choices
        self.names = names or {}
        self.default = default
        self.seen = {}

    @functools.cached_property
    def lookup(self):
        found = {}
        # Labels in every site language, so what the admin shows is accepted back.
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for value, label in self.choices.choices:
                    found[fold(value)] = value
                    found[fold(str(label))] = value
        for name, value in self.names.items():
            found[fold(name)] = value
        return found

    def __call__(self, raw):
        value = text(raw)
        if not value:
            return self.default if self.default is not None else ""
        if value in self.seen:
            return self.seen[value]
        try:
            found = self.seen[value] = self.lookup[fold(value)]
            return found
        except KeyError:
            raise BadValue(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(self.choices.values)}
            ) from None


precinct_kind = Choice(
    Precinct.Kind,
    {
        "步行街": Precinct.Kind.STREET,
        "街区": Precinct.Kind.STREET,
        "街道": Precinct.Kind.STREET,
        "市场": Precinct.Kind.MARKET,
        "专业市场": Precinct.Kind.MARKET,
        "批发市场": Precinct.Kind.MARKET,
        "市场片区": Precinct.Kind.AREA,
        "片区": Precinct.Kind.AREA,
        "区": Precinct.Kind.DISTRICT,
        "行政区": Precinct.Kind.DISTRICT,
    },
)

merchant_kind = Choice(
    Merchant.Kind,
    {
        "商户": Merchant.Kind.SHOP,
        "商店": Merchant.Kind.SHOP,
        "店铺": Merchant.Kind.SHOP,
        "餐饮": Merchant.Kind.RESTAURANT,
        "餐馆": Merchant.Kind.RESTAURANT,
        "饭店": Merchant.Kind.RESTAURANT,
        "档口": Merchant.Kind.STALL,
        "摊位": Merchant.Kind.STALL,
        "个体档口": Merchant.Kind.STALL,
        "医疗机构": Merchant.Kind.CLINIC,
        "诊所": Merchant.Kind.CLINIC,
        "门诊部": Merchant.Kind.CLINIC,
    },
)

merchant_category = Choice(
    Merchant.Category,
    {
        "医疗美容": Merchant.Category.COSMETIC_SURGERY,
        "美容整形": Merchant.Category.COSMETIC_SURGERY,
        "口腔": Merchant.Category.DENTAL,
        "眼科": Merchant.Category.OPHTHALMOLOGY,
        "综合门诊": Merchant.Category.GENERAL_CLINIC,
        "普通门诊": Merchant.Category.GENERAL_CLINIC,
        "海味": Merchant.Category.DRIED_SEAFOOD,
        "海味干货": Merchant.Category.DRIED_SEAFOOD,
        "干果": Merchant.Category.DRY_GOODS,
        "干货": Merchant.Category.DRY_GOODS,
        "干果干货": Merchant.Category.DRY_GOODS,
        "茶叶": Merchant.Category.TEA,
        "茶": Merchant.Category.TEA,
        "纪念品": Merchant.Category.SOUVENIRS,
        "旅游纪念品": Merchant.Category.SOUVENIRS,
        "工艺品": Merchant.Category.SOUVENIRS,
        "服装": Merchant.Category.CLOTHING,
        "服饰": Merchant.Category.CLOTHING,
        "食品": Merchant.Category.FOOD,
        "餐饮": Merchant.Category.FOOD,
        "珠宝": Merchant.Category.JEWELLERY,
        "珠宝首饰": Merchant.Category.JEWELLERY,
        "首饰": Merchant.Category.JEWELLERY,
        "其他": Merchant.Category.OTHER,
    },
)

licence_state = Choice(
    Licence.State,
    {
        # 当前状态 in the double-publicity format: 0 in force, 1 revoked.
        "0": Licence.State.ACTIVE,
        "正常": Licence.State.ACTIVE,
        "有效": Licence.State.ACTIVE,
        "1": Licence.State.REVOKED,
        "撤销": Licence.State.REVOKED,
        "吊销": Licence.State.REVOKED,
        "注销": Licence.State.REVOKED,
        "暂扣": Licence.State.SUSPENDED,
        "暂停": Licence.State.SUSPENDED,
        "中止": Licence.State.SUSPENDED,
    },
    default=Licence.State.ACTIVE,
)

inspection_kind = Choice(
    Inspection.Kind,
    {
        "日常": Inspection.Kind.ROUTINE,
        "日常检查": Inspection.Kind.ROUTINE,
        "双随机": Inspection.Kind.RANDOM,
        "随机抽查": Inspection.Kind.RANDOM,
        "双随机一公开": Inspection.Kind.RANDOM,
        "投诉": Inspection.Kind.COMPLAINT,
        "投诉举报": Inspection.Kind.COMPLAINT,
        "复查": Inspection.Kind.FOLLOW_UP,
        "跟踪检查": Inspection.Kind.FOLLOW_UP,
    },
)

inspection_result = Choice(
    Inspection.Result,
    {
        "合格": Inspection.Result.PASS,
        "通过": Inspection.Result.PASS,
        "未发现问题": Inspection.Result.PASS,
        "责令整改": Inspection.Result.RECTIFY,
        "限期整改": Inspection.Result.RECTIFY,
        "需整改": Inspection.Result.RECTIFY,
        "不合格": Inspection.Result.FAIL,
        "未通过": Inspection.Result.FAIL,
    },
)

list_name = Choice(
    ListEntry.List,
    {
        "A级纳税人": ListEntry.List.A_TAXPAYER,
        "纳税信用A级": ListEntry.List.A_TAXPAYER,
        "示范会员": ListEntry.List.MODEL_MEMBER,
        "诚信示范会员": ListEntry.List.MODEL_MEMBER,
        "严重失信": ListEntry.List.SERIOUS_DISHONESTY,
        "严重失信主体名单": ListEntry.List.SERIOUS_DISHONESTY,
        "经营异常": ListEntry.List.ABNORMAL_OPERATION,
        "经营异常名录": ListEntry.List.ABNORMAL_OPERATION,
        "曝光台": ListEntry.List.EXPOSURE_BOARD,
        "诚信曝光台": ListEntry.List.EXPOSURE_BOARD,
    },
)

severity = Choice(
    Penalty.Severity,
    {"一般": Penalty.Severity.GENERAL, "严重": Penalty.Severity.SERIOUS},
    default=Penalty.Severity.GENERAL,
)

# Words in a licence certificate name (许可证书名称) that tell its kind.
LICENCE_KIND_WORDS = (
    ("食品经营许可", Licence.Kind.FOOD_BUSINESS),
    ("医疗机构执业许可", Licence.Kind.MEDICAL_PRACTICE),
    ("药品经营许可", Licence.Kind.DRUG_RETAIL),
    ("营业执照", Licence.Kind.BUSINESS),
)

_licence_kind_code = Choice(Licence.Kind)


def _licence_kind_from_name(value):
    for word, kind in LICENCE_KIND_WORDS:
        if word in value:
            return kind
    return None


def licence_kind(raw):
    """From a certificate name (许可证书名称): the kind it shows, else "other"."""
    value = text(raw)
    try:
        return _licence_kind_code(value) or _licence_kind_from_name(value) or Licence.Kind.OTHER
    except BadValue:
        return _licence_kind_from_name(value) or Licence.Kind.OTHER


def licence_kind_strict(raw):
    """Our own ``kind`` column: a code, label or known certificate name; a typo is an error."""
    value = text(raw)
    if not value:
        return Licence.Kind.OTHER
    return _licence_kind_from_name(value) or _licence_kind_code(value)


# Words in 处罚类别 that tell the penalty type, checked in this order.
PENALTY_TYPE_WORDS = (
    ("警告", Penalty.Type.WARNING),
    ("罚款", Penalty.Type.FINE),
    ("没收", Penalty.Type.CONFISCATION),
    ("停产停业", Penalty.Type.SUSPENSION),
    ("暂扣", Penalty.Type.SUSPENSION),
    ("吊销", Penalty.Type.REVOCATION),
)

_penalty_type_code = Choice(Penalty.Type)
_PENALTY_TYPE_SEPARATORS = re.compile(r"[;；、，,/|\s]+")


def penalty_types(raw):
    """Several types separated by ;、，, as codes or the statutory Chinese terms, in Type order."""
    found = set()
    for part in _PENALTY_TYPE_SEPARATORS.split(text(raw)):
        if not part:
            continue
        kinds = {kind for word, kind in PENALTY_TYPE_WORDS if word in part}
        if not kinds:
            try:
                kinds = {_penalty_type_code(part)}
            except BadValue:
                raise BadValue(
                    _("“%(value)s” is not a penalty type: use %(choices)s.")
                    % {
                        "value": part,
                        "choices": "、".join(word for word, _kind in PENALTY_TYPE_WORDS),
                    }
                ) from None
        found |= kinds
    return [value for value in Penalty.Type.values if value in found]
