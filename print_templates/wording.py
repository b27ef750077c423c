"""The fixed bilingual wording printed on placards.

A printed placard shows Chinese and English side by side whatever language the
person who printed it reads, so these pairs are not run through gettext: they
are the artwork's text, like the Chinese on a road sign.
"""

SCAN = ("扫码查看信用信息", "Scan to check credit record")
CREDIT_CODE = ("统一社会信用代码", "Credit code")
KIND = ("类型", "Kind")
STALL = ("摊位", "Stall")
ADDRESS = ("地址", "Address")
SERIAL = ("编号", "Serial")
ISSUED = ("发放日期", "Issued")
AWARDED_BY = ("授牌单位", "Awarded by")
DO_NOT_COVER = (
    "若二维码被覆盖或下方网址与编号不符，请勿扫码并拨打 12345 / 12315",
    "If the code is covered, or the address and serial below it do not match, "
    "do not scan: call 12345 / 12315",
)

MERCHANT_KINDS = {
    "shop": ("商店", "Shop"),
    "restaurant": ("餐饮", "Restaurant"),
    "stall": ("市场摊位", "Market stall"),
    "clinic": ("医疗机构", "Clinic"),
}

STAR_NUMBERS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五"}
STAR_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"}


def merchant_kind(kind):
    return MERCHANT_KINDS.get(kind, (kind, kind))
