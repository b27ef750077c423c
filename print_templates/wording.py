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

#: The title across the top of a counter stand, by merchant kind: a clinic's
#: placard is the health programme's 信用档案二维码公示牌; a shop's or a stall's
#: is not a clinic's.
PLACARD_TITLES = {
    "clinic": ("医疗机构信用档案二维码公示牌", "Clinic Credit Record QR Placard"),
    "stall": ("市场商户诚信经营公示牌", "Market Stall Credit Placard"),
    "shop": ("商户信用档案二维码公示牌", "Business Credit Record QR Placard"),
    "restaurant": ("餐饮商户信用档案二维码公示牌", "Restaurant Credit Record QR Placard"),
}
SHEET = ("第 %(number)d / %(count)d 张", "Sheet %(number)d of %(count)d")
STALLS = ("摊位", "Stalls")

STAR_NUMBERS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五"}
STAR_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"}


def merchant_kind(kind):
    return MERCHANT_KINDS.get(kind, (kind, kind))


def placard_title(kind):
    return PLACARD_TITLES.get(kind, PLACARD_TITLES["shop"])
