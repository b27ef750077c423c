"""A fictional credit archive at the programmes' real scale, identical on every load.

Everything is drawn from one seeded random.Random in a fixed order, so every
load writes the same precincts, merchants, codes and records. Dates are fixed
offsets from today (the random draws never depend on the date), so whenever the
demo is loaded it shows valid, expiring and expired licences, penalties in and
out of their publicity window, and penalties withdrawn by credit repair.

Records are written with bulk_create, each with its create audit entry (and a
withdraw entry for a repaired penalty), so the demo archive obeys the same rule
as a real one: every record can say how it got there.
"""

import datetime
import decimal
import functools
import itertools
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from . import credit_code, dates
from .accounts import MerchantAccount
from .audit import AuditEntry, Change, acting_as
from .models import (
    Association,
    GlossaryTerm,
    Inspection,
    Licence,
    ListEntry,
    Merchant,
    Penalty,
    Precinct,
)
from .signals import archive_changed

SEED = 20240611
SOURCE = "demo"
BATCH_SIZE = 500
DIVISION = "440104"  # 广州市越秀区
PRECINCT_SLUGS = ("yuexiu", "beijing-road", "yide-road")
PENALISED_SHARE = 0.05
# How far back the demo's inspections reach (three years, plus the weeks before
# a penalty); every merchant already held its licences then.
HISTORY_DAYS = 1200

DEMO_USERNAME = "demo"
# Public on purpose: the command that creates this user refuses to run unless DEBUG is on.
DEMO_PASSWORD = "chengxin-demo"  # noqa: S105
# The demo merchant's portal login, public for the same reason.
DEMO_MERCHANT_USERNAME = "demo-shop"
DEMO_MERCHANT_PASSWORD = "chengxin-shop"  # noqa: S105

MARKET_SUPERVISION = "广州市越秀区市场监督管理局"
HEALTH_COMMISSION = "广州市越秀区卫生健康局"
CIVIL_AFFAIRS = "广州市越秀区民政局"
TAX_BUREAU = "国家税务总局广州市越秀区税务局"

C = Merchant.Category

# Trade names (字号) with their pinyin; shop names are built from them.
BRANDS = (
    ("泰和", "Taihe"), ("宏记", "Hongji"), ("永利", "Yongli"), ("福来", "Fulai"),
    ("源隆", "Yuanlong"), ("恒昌", "Hengchang"), ("德信", "Dexin"), ("合盛", "Hesheng"),
    ("万隆", "Wanlong"), ("兴荣", "Xingrong"), ("瑞丰", "Ruifeng"), ("信和", "Xinhe"),
    ("昌记", "Changji"), ("金源", "Jinyuan"), ("利生", "Lisheng"), ("和兴", "Hexing"),
    ("同德", "Tongde"), ("联发", "Lianfa"), ("嘉华", "Jiahua"), ("荣记", "Rongji"),
    ("华丰", "Huafeng"), ("永昌", "Yongchang"), ("祥和", "Xianghe"), ("鸿福", "Hongfu"),
    ("天成", "Tiancheng"), ("广隆", "Guanglong"), ("裕隆", "Yulong"), ("正和", "Zhenghe"),
    ("大成", "Dacheng"), ("长发", "Changfa"), ("新泰", "Xintai"), ("南丰", "Nanfeng"),
    ("东升", "Dongsheng"), ("富华", "Fuhua"), ("宝源", "Baoyuan"), ("安记", "Anji"),
    ("盛昌", "Shengchang"), ("明记", "Mingji"), ("顺兴", "Shunxing"), ("广益", "Guangyi"),
    ("聚福", "Jufu"), ("怡和", "Yihe"), ("丰泰", "Fengtai"), ("益生", "Yisheng"),
    ("乾元", "Qianyuan"), ("万和", "Wanhe"), ("福隆", "Fulong"), ("建兴", "Jianxing"),
    ("荣昌", "Rongchang"), ("宏发", "Hongfa"), ("美华", "Meihua"), ("永泰", "Yongtai"),
    ("金利", "Jinli"), ("鼎盛", "Dingsheng"), ("合和", "Hehe"), ("诚记", "Chengji"),
    ("利源", "Liyuan"), ("德昌", "Dechang"), ("龙记", "Longji"), ("海丰", "Haifeng"),
    ("俊记", "Junji"), ("恒丰", "Hengfeng"), ("兆丰", "Zhaofeng"), ("广和", "Guanghe"),
    ("贵记", "Guiji"), ("添利", "Tianli"), ("岭南", "Lingnan"), ("文记", "Wenji"),
    ("兴隆", "Xinglong"), ("悦来", "Yuelai"), ("泰丰", "Taifeng"), ("骏发", "Junfa"),
    ("有记", "Youji"), ("安泰", "Antai"), ("信诚", "Xincheng"), ("康年", "Kangnian"),
)  # fmt: skip

# What a shop sells, in its name, by category; the English reads after the brand.
GOODS = {
    C.DRIED_SEAFOOD: (
        ("海味", "Dried Seafood"), ("海产", "Seafood"), ("鲍参翅肚", "Abalone and Sea Cucumber"),
        ("干鲍", "Dried Abalone"), ("花胶", "Fish Maw"), ("瑶柱", "Dried Scallops"),
    ),
    C.DRY_GOODS: (
        ("干果", "Dried Fruit and Nuts"), ("山货", "Mountain Produce"),
        ("南北货", "North-South Goods"), ("干货", "Dry Goods"), ("坚果", "Nuts"),
        ("菌菇", "Dried Mushrooms"),
    ),
    C.TEA: (("茶庄", "Tea House"), ("茶行", "Tea Merchants"), ("茗茶", "Fine Teas")),
    C.SOUVENIRS: (("手信", "Souvenirs"), ("礼品", "Gifts"), ("工艺品", "Crafts")),
    C.CLOTHING: (
        ("服饰", "Fashion"), ("时装", "Boutique"), ("鞋业", "Shoes"), ("童装", "Kidswear"),
    ),
    C.FOOD: (
        ("饼家", "Bakery"), ("凉茶", "Herbal Tea"), ("糖水", "Dessert House"),
        ("食品", "Foods"), ("腊味", "Cured Meats"),
    ),
    C.JEWELLERY: (("珠宝", "Jewellery"), ("金行", "Gold Shop"), ("玉器", "Jade")),
    C.OTHER: (("书店", "Books"), ("眼镜", "Optical"), ("文具", "Stationery")),
}  # fmt: skip
EATERIES = (
    ("酒家", "Restaurant"), ("茶楼", "Dim Sum House"), ("粥面", "Congee and Noodles"),
    ("烧腊", "Roast Meats"), ("云吞面", "Wonton Noodles"),
)  # fmt: skip
# Market stalls: goods then a suffix, as in 泰和海味行 Taihe Dried Seafood Trading.
STALL_GOODS = {
    C.DRIED_SEAFOOD: GOODS[C.DRIED_SEAFOOD],
    C.DRY_GOODS: GOODS[C.DRY_GOODS],
    C.TEA: (("茶叶", "Tea"),),
    C.OTHER: (("杂货", "Groceries"), ("调味品", "Condiments"), ("参茸", "Ginseng and Antler")),
}
STALL_SUFFIXES = (
    ("行", "Trading"), ("商行", "Traders"), ("号", "Store"), ("栈", "Depot"),
    ("庄", "House"), ("铺", "Shop"),
)  # fmt: skip
CLINIC_KINDS = {
    C.COSMETIC_SURGERY: (
        ("医疗美容门诊部", "Aesthetic Clinic"),
        ("医疗美容诊所", "Cosmetic Surgery"),
    ),
    C.DENTAL: (("口腔门诊部", "Dental Clinic"), ("齿科诊所", "Dental Practice")),
    C.OPHTHALMOLOGY: (("眼科门诊部", "Eye Clinic"), ("眼科诊所", "Ophthalmology Clinic")),
    C.GENERAL_CLINIC: (("综合门诊部", "General Clinic"), ("中医门诊部", "TCM Clinic")),
}

# Licensed specialties (诊疗科目): always the first ones, sometimes one more.
CLINIC_SPECIALTIES = {
    C.COSMETIC_SURGERY: (("医疗美容科", "美容外科"), ("美容皮肤科", "美容牙科", "麻醉科")),
    C.DENTAL: (("口腔科",), ("口腔颌面外科", "正畸专业", "口腔修复专业")),
    C.OPHTHALMOLOGY: (("眼科",), ("视光专业", "医学检验科")),
    C.GENERAL_CLINIC: (("内科", "外科"), ("妇科", "中医科", "医学影像科")),
}

# Beijing Road: how many shops of each kind (200 in all).
STREET_MIX = (
    (Merchant.Kind.SHOP, C.TEA, 25),
    (Merchant.Kind.SHOP, C.SOUVENIRS, 30),
    (Merchant.Kind.SHOP, C.CLOTHING, 45),
    (Merchant.Kind.SHOP, C.FOOD, 35),
    (Merchant.Kind.SHOP, C.JEWELLERY, 20),
    (Merchant.Kind.RESTAURANT, C.FOOD, 35),
    (Merchant.Kind.SHOP, C.OTHER, 10),
)
STREET_ADDRESSES = (("北京路", 0.7), ("西湖路", 0.15), ("惠福东路", 0.15))
STREETS_EN = {
    "北京路": "Beijing Road", "西湖路": "Xihu Road", "惠福东路": "Huifu East Road",
    "中山五路": "Zhongshan 5th Road", "东风中路": "Dongfeng Middle Road",
    "环市东路": "Huanshi East Road", "解放北路": "Jiefang North Road",
    "越秀南路": "Yuexiu South Road", "农林下路": "Nonglinxia Road",
    "广州大道中": "Guangzhou Avenue Middle", "淘金路": "Taojin Road",
    "寺右新马路": "Siyou Xinma Road", "德政北路": "Dezheng North Road", "文德路": "Wende Road",
    "人民北路": "Renmin North Road", "小北路": "Xiaobei Road", "东华东路": "Donghua East Road",
}  # fmt: skip
DISTRICT_EN = "Yuexiu District, Guangzhou"
# Yide Road: 14 markets and their stall counts (2,100 in all).
MARKETS = (
    ("defeng", "德丰海味市场", "Defeng Dried Seafood Market", 210),
    ("wanfu", "万福干果城", "Wanfu Dry Goods Mall", 180),
    ("taikang", "泰康海味批发市场", "Taikang Dried Seafood Wholesale Market", 165),
    ("guangyuan", "广源海味广场", "Guangyuan Seafood Plaza", 160),
    ("jiahe", "嘉和干货市场", "Jiahe Dry Goods Market", 155),
    ("haizhen", "海珍海味城", "Haizhen Dried Seafood Centre", 150),
    ("nanbei", "南北干货批发市场", "Nanbei Dry Goods Wholesale Market", 150),
    ("yongxing", "永兴海味市场", "Yongxing Dried Seafood Market", 145),
    ("ronghua", "荣华干果市场", "Ronghua Nuts and Dried Fruit Market", 140),
    ("changdi", "长堤海味城", "Changdi Dried Seafood Centre", 140),
    ("dongyuan", "东园参茸海味市场", "Dongyuan Ginseng and Seafood Market", 135),
    ("yufeng", "裕丰干货城", "Yufeng Dry Goods Mall", 130),
    ("jincheng", "金城海味广场", "Jincheng Seafood Plaza", 120),
    ("xiangji", "祥记南北行市场", "Xiangji North-South Goods Market", 120),
)
STALL_MIX = ((C.DRIED_SEAFOOD, 58), (C.DRY_GOODS, 35), (C.TEA, 4), (C.OTHER, 3))
# Yuexiu clinics: 100 in all.
CLINIC_MIX = (
    (C.COSMETIC_SURGERY, 35),
    (C.DENTAL, 30),
    (C.OPHTHALMOLOGY, 20),
    (C.GENERAL_CLINIC, 15),
)
CLINIC_STREETS = (
    "中山五路", "东风中路", "环市东路", "解放北路", "越秀南路", "农林下路", "广州大道中",
    "淘金路", "寺右新马路", "德政北路", "文德路", "人民北路", "小北路", "东华东路",
)  # fmt: skip
FLOORS = ("首层", "二层", "三层", "首层及二层")
FLOORS_EN = {
    "首层": "Ground floor",
    "二层": "2nd floor",
    "三层": "3rd floor",
    "首层及二层": "Ground and 2nd floors",
}
FOOD_CATEGORIES = frozenset({C.DRIED_SEAFOOD, C.DRY_GOODS, C.TEA, C.FOOD})

FINDINGS = {
    "shop": {
        Inspection.Result.PASS: (
            "证照齐全，明码标价规范，未发现违法违规行为。",
            "经营场所整洁，商品标签规范，未发现问题。",
            "购物凭证出具规范，计量器具检定合格。",
        ),
        Inspection.Result.RECTIFY: (
            "部分商品未明码标价，责令限期整改。",
            "商品标签未标明产地和规格，责令三日内整改。",
            "营业执照未在显著位置亮照经营，责令整改。",
        ),
        Inspection.Result.FAIL: (
            "发现销售来源不明的商品，已立案调查。",
            "电子秤计量不准，已立案查处。",
        ),
    },
    "food": {
        Inspection.Result.PASS: (
            "食品进货查验记录完整，贮存条件符合要求，未发现问题。",
            "证照齐全，散装食品标签规范，未发现违法违规行为。",
            "抽检干货二氧化硫残留量合格。",
        ),
        Inspection.Result.RECTIFY: (
            "散装食品未标明生产日期和保质期，责令限期整改。",
            "进货查验记录不完整，责令三日内整改。",
            "食品与杂物混放，责令立即整改。",
        ),
        Inspection.Result.FAIL: (
            "发现销售超过保质期的预包装食品，已立案调查。",
            "抽检干货二氧化硫残留量超标，已立案调查。",
        ),
    },
    "clinic": {
        Inspection.Result.PASS: (
            "执业许可证在有效期内，诊疗科目与登记相符，未发现问题。",
            "消毒隔离制度落实到位，医疗废物处置规范。",
            "医务人员资质与执业范围相符，病历书写规范。",
        ),
        Inspection.Result.RECTIFY: (
            "诊室消毒记录缺失，责令限期整改。",
            "医务人员执业证书未在显著位置公示，责令整改。",
            "医疗废物暂存点标识不全，责令整改。",
        ),
        Inspection.Result.FAIL: (
            "发现非卫生技术人员从事诊疗活动，已立案调查。",
            "超出核准登记的诊疗科目开展医疗美容项目，已立案调查。",
        ),
    },
}
FOLLOW_UP_FINDINGS = "复查：已按要求完成整改。"
# Findings that say the licences were in order: only true while they were in force.
LICENCE_CLAIMS = ("证照齐全", "执业许可证在有效期内")
# What an inspector writes instead when the licences were not all in force that day.
NO_LICENCE_CLAIM = {
    "shop": "经营场所整洁，商品标签规范，未发现问题。",
    "food": "食品进货查验记录完整，贮存条件符合要求，未发现问题。",
    "clinic": "消毒隔离制度落实到位，医疗废物处置规范。",
}

# English summaries of the fixed texts above, as staff would enter them.
SUMMARY_PAIRS = (
    (
        "证照齐全，明码标价规范，未发现违法违规行为。",
        "Licences in order, prices clearly marked; no violation found.",
    ),
    (
        "经营场所整洁，商品标签规范，未发现问题。",
        "Premises clean, goods properly labelled; no problem found.",
    ),
    ("购物凭证出具规范，计量器具检定合格。", "Receipts issued properly; scales certified."),
    (
        "部分商品未明码标价，责令限期整改。",
        "Some goods had no price marked; ordered to fix this by a deadline.",
    ),
    (
        "商品标签未标明产地和规格，责令三日内整改。",
        "Labels lacked origin and size; ordered to fix within three days.",
    ),
    (
        "营业执照未在显著位置亮照经营，责令整改。",
        "Business licence not on display; ordered to put it up.",
    ),
    (
        "发现销售来源不明的商品，已立案调查。",
        "Goods of unknown origin on sale; a case was opened.",
    ),
    ("电子秤计量不准，已立案查处。", "Inaccurate scales; a case was opened."),
    (
        "食品进货查验记录完整，贮存条件符合要求，未发现问题。",
        "Food purchase records complete, storage as required; no problem found.",
    ),
    (
        "证照齐全，散装食品标签规范，未发现违法违规行为。",
        "Licences in order, loose food properly labelled; no violation found.",
    ),
    ("抽检干货二氧化硫残留量合格。", "Sampled dried goods passed the sulphur dioxide test."),
    (
        "散装食品未标明生产日期和保质期，责令限期整改。",
        "Loose food lacked production and best-before dates; ordered to fix by a deadline.",
    ),
    (
        "进货查验记录不完整，责令三日内整改。",
        "Purchase records incomplete; ordered to fix within three days.",
    ),
    ("食品与杂物混放，责令立即整改。", "Food stored with other goods; ordered to fix at once."),
    (
        "发现销售超过保质期的预包装食品，已立案调查。",
        "Packaged food past its best-before date on sale; a case was opened.",
    ),
    (
        "抽检干货二氧化硫残留量超标，已立案调查。",
        "Sampled dried goods failed the sulphur dioxide test; a case was opened.",
    ),
    (
        "执业许可证在有效期内，诊疗科目与登记相符，未发现问题。",
        "Practising licence in force, specialties as registered; no problem found.",
    ),
    (
        "消毒隔离制度落实到位，医疗废物处置规范。",
        "Disinfection rules followed; medical waste handled properly.",
    ),
    (
        "医务人员资质与执业范围相符，病历书写规范。",
        "Staff qualified for their work; medical records kept properly.",
    ),
    (
        "诊室消毒记录缺失，责令限期整改。",
        "Disinfection records missing; ordered to fix by a deadline.",
    ),
    (
        "医务人员执业证书未在显著位置公示，责令整改。",
        "Staff certificates not on display; ordered to put them up.",
    ),
    (
        "医疗废物暂存点标识不全，责令整改。",
        "Medical waste store poorly marked; ordered to fix.",
    ),
    (
        "发现非卫生技术人员从事诊疗活动，已立案调查。",
        "Unqualified staff were treating patients; a case was opened.",
    ),
    (
        "超出核准登记的诊疗科目开展医疗美容项目，已立案调查。",
        "Cosmetic treatments outside the registered specialties; a case was opened.",
    ),
    ("复查：已按要求完成整改。", "Follow-up: the problems found were fixed as required."),
    ("未按规定明码标价", "Prices not clearly marked"),
    ("商品标签未标明产地和规格", "Labels without origin and size"),
    ("未按规定出具购物凭证", "No receipt given"),
    ("销售侵犯注册商标专用权的商品", "Sold counterfeit branded goods"),
    ("销售掺杂掺假、以假充真的商品", "Sold adulterated or fake goods"),
    ("使用不合格计量器具，短斤缺两", "Used faulty scales and gave short weight"),
    ("散装食品未标明生产日期和保质期", "Loose food without production and best-before dates"),
    ("未建立食品进货查验记录", "Kept no record of food purchases"),
    ("销售超过保质期的预包装食品", "Sold packaged food past its best-before date"),
    ("销售二氧化硫残留量超标的干货", "Sold dried goods with too much sulphur dioxide"),
    ("医疗废物未按规定分类收集", "Medical waste not sorted as required"),
    ("未按规定书写和保存病历", "Medical records not kept as required"),
    ("未在显著位置公示诊疗科目和收费标准", "Specialties and fees not on display"),
    (
        "超出核准登记的诊疗科目开展诊疗活动",
        "Treated patients outside the registered specialties",
    ),
    ("使用非卫生技术人员从事医疗卫生技术工作", "Let unqualified staff do medical work"),
    (
        "未取得医疗美容主诊医师资格开展美容外科手术",
        "Cosmetic surgery by a doctor without the required qualification",
    ),
    ("通过登记的住所或者经营场所无法联系", "Cannot be reached at its registered address"),
    ("未按规定期限公示年度报告", "Annual report not published on time"),
    ("公示企业信息隐瞒真实情况、弄虚作假", "Published false company information"),
)
SUMMARIES_EN = dict(SUMMARY_PAIRS)

VIOLATIONS = {
    "shop": {
        Penalty.Severity.GENERAL: (
            "未按规定明码标价",
            "商品标签未标明产地和规格",
            "未按规定出具购物凭证",
        ),
        Penalty.Severity.SERIOUS: (
            "销售侵犯注册商标专用权的商品",
            "销售掺杂掺假、以假充真的商品",
            "使用不合格计量器具，短斤缺两",
        ),
    },
    "food": {
        Penalty.Severity.GENERAL: (
            "未按规定明码标价",
            "散装食品未标明生产日期和保质期",
            "未建立食品进货查验记录",
        ),
        Penalty.Severity.SERIOUS: (
            "销售超过保质期的预包装食品",
            "销售二氧化硫残留量超标的干货",
            "使用不合格计量器具，短斤缺两",
        ),
    },
    "clinic": {
        Penalty.Severity.GENERAL: (
            "医疗废物未按规定分类收集",
            "未按规定书写和保存病历",
            "未在显著位置公示诊疗科目和收费标准",
        ),
        Penalty.Severity.SERIOUS: (
            "超出核准登记的诊疗科目开展诊疗活动",
            "使用非卫生技术人员从事医疗卫生技术工作",
            "未取得医疗美容主诊医师资格开展美容外科手术",
        ),
    },
}
# One cycle of 20 penalty profiles: 8 public fines, 3 past their publicity,
# 3 warnings only, 3 serious and 3 withdrawn by credit repair.
PENALTY_CYCLE = (
    ("fine",) * 8 + ("ended",) * 3 + ("warning",) * 3 + ("serious",) * 3 + ("repaired",) * 3
)
ABNORMAL_REASONS = (
    "通过登记的住所或者经营场所无法联系",
    "未按规定期限公示年度报告",
    "公示企业信息隐瞒真实情况、弄虚作假",
)


def _apportion(mix, total):
    """Turn (value, percent) pairs into (value, count) pairs adding up to ``total``."""
    counts = [(value, total * percent // 100) for value, percent in mix]
    (first, count), rest = counts[0], counts[1:]
    return [(first, count + total - sum(n for _value, n in counts)), *rest]


@dataclass
class Plan:
    """Unsaved records in the order they must be written (parents first)."""

    precincts: list = field(default_factory=list)
    associations: list = field(default_factory=list)
    merchants: list = field(default_factory=list)
    licences: list = field(default_factory=list)
    inspections: list = field(default_factory=list)
    penalties: list = field(default_factory=list)
    list_entries: list = field(default_factory=list)

    def counts(self):
        return {name: len(records) for name, records in vars(self).items()}


class _Builder:
    def __init__(self, today):
        self.today = today
        self.rng = random.Random(SEED)  # fictional data, not a secret
        self.plan = Plan()
        self.codes = set()
        self.names = set()
        self.inspection_keys = set()
        self.serials = {}
        self.groups = {}  # code -> "shop", "food" or "clinic"
        self.licence_of = {}  # code -> its food or medical licence
        self.out_of_force_from = {}  # licence number -> day it was suspended or revoked

    def serial(self, name):
        counter = self.serials.setdefault(name, itertools.count(1))
        return next(counter)

    def ago(self, days):
        return self.today - datetime.timedelta(days=days)

    def weighted(self, mix):
        """Expand (value, count) pairs into a shuffled list of exactly that many values."""
        values = [value for value, count in mix for _ in range(count)]
        self.rng.shuffle(values)
        return values

    # Identity -------------------------------------------------------------

    def code(self, prefix):
        """A fresh valid code: 92 stalls, 91 companies, 52 private non-profit clinics."""
        entity = "MJ" if prefix == "52" else "MA5"
        while True:
            tail = "".join(self.rng.choice(credit_code.ALPHABET) for _ in range(9 - len(entity)))
            code = credit_code.complete(prefix + DIVISION + entity + tail)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def name(self, words, suffixes=(("", ""),), city=("", "")):
        """A brand, one of ``words`` and a suffix, not used before, in Chinese and English."""
        while True:
            parts = [
                city,
                self.rng.choice(BRANDS),
                self.rng.choice(words),
                self.rng.choice(suffixes),
            ]
            name_zh = "".join(zh for zh, _en in parts)
            if name_zh not in self.names:
                self.names.add(name_zh)
                return name_zh, " ".join(en for _zh, en in parts if en)

    def merchant(self, *, prefix, kind, category, name_zh, name_en, precinct, **extra):
        merchant = Merchant(
            code=self.code(prefix),
            name_zh=name_zh,
            name_en=name_en,
            kind=kind,
            category=category,
            precinct=precinct,
            **extra,
        )
        self.plan.merchants.append(merchant)
        if kind == Merchant.Kind.CLINIC:
            self.groups[merchant.code] = "clinic"
        elif category in FOOD_CATEGORIES:
            self.groups[merchant.code] = "food"
        else:
            self.groups[merchant.code] = "shop"
        return merchant

    # Precincts and associations ---------------------------------------------

    def precincts(self):
        P = Precinct.Kind
        self.yuexiu = Precinct(
            slug="yuexiu",
            name_zh="越秀区",
            name_en="Yuexiu District",
            kind=P.DISTRICT,
            address="广州市越秀区",
        )
        self.beijing_road = Precinct(
            slug="beijing-road",
            name_zh="北京路步行街",
            name_en="Beijing Road Pedestrian Street",
            kind=P.STREET,
            parent=self.yuexiu,
            address="广州市越秀区北京路",
        )
        self.yide_road = Precinct(
            slug="yide-road",
            name_zh="一德路海味干果市场群",
            name_en="Yide Road Dried Seafood and Dry Goods Markets",
            kind=P.AREA,
            parent=self.yuexiu,
            address="广州市越秀区一德路",
        )
        self.markets = [
            Precinct(
                slug=f"yide-road-{slug}",
                name_zh=name_zh,
                name_en=name_en,
                kind=P.MARKET,
                parent=self.yide_road,
                address=f"广州市越秀区一德路{88 + 16 * index}号",
            )
            for index, (slug, name_zh, name_en, _size) in enumerate(MARKETS)
        ]
        for index, market in enumerate(self.markets):
            # Not a precinct field: only the stalls' English addresses are built from it.
            market.address_en = f"{88 + 16 * index} Yide Road, {DISTRICT_EN}"
        self.plan.precincts += [self.yuexiu, self.beijing_road, self.yide_road, *self.markets]
        self.yide_chamber = Association(
            slug="yide-road-chamber",
            name_zh="一德路海味干果商会",
            name_en="Yide Road Dried Seafood and Dry Goods Chamber of Commerce",
            precinct=self.yide_road,
        )
        self.beijing_chamber = Association(
            slug="beijing-road-chamber",
            name_zh="北京路商会",
            name_en="Beijing Road Chamber of Commerce",
            precinct=self.beijing_road,
        )
        self.plan.associations += [self.yide_chamber, self.beijing_chamber]

    # Merchants ---------------------------------------------------------------

    def street_shops(self):
        streets = [street for street, _share in STREET_ADDRESSES]
        shares = [share for _street, share in STREET_ADDRESSES]
        for kind, category in self.weighted(
            ((kind, category), count) for kind, category, count in STREET_MIX
        ):
            words = EATERIES if kind == Merchant.Kind.RESTAURANT else GOODS[category]
            name_zh, name_en = self.name(words)
            street = self.rng.choices(streets, shares)[0]
            number = self.rng.randint(1, 320)
            self.merchant(
                prefix="91" if self.rng.random() < 0.4 else "92",
                kind=kind,
                category=category,
                name_zh=name_zh,
                name_en=name_en,
                precinct=self.beijing_road,
                **self.address(street, number, self.rng.choice(FLOORS)),
                association=self.beijing_chamber if self.rng.random() < 0.7 else None,
            )

    def market_stalls(self):
        for market, (_slug, _zh, _en, size) in zip(self.markets, MARKETS, strict=True):
            for index, category in enumerate(self.weighted(_apportion(STALL_MIX, size))):
                floor, rest = divmod(index, 100)
                zone, number = divmod(rest, 25)
                stall = f"{'ABCD'[zone]}-{floor + 1}-{number + 1:03d}"
                name_zh, name_en = self.name(STALL_GOODS[category], STALL_SUFFIXES)
                self.merchant(
                    prefix="91" if self.rng.random() < 0.1 else "92",
                    kind=Merchant.Kind.STALL,
                    category=category,
                    name_zh=name_zh,
                    name_en=name_en,
                    precinct=market,
                    stall=stall,
                    address=f"{market.address}{market.name_zh}{stall}档",
                    address_en=f"Stall {stall}, {market.name_en}, {market.address_en}",
                    association=self.yide_chamber if self.rng.random() < 0.85 else None,
                )

    def clinics(self):
        for category in self.weighted(CLINIC_MIX):
            name_zh, name_en = self.name(CLINIC_KINDS[category], city=("广州", "Guangzhou"))
            street, number = self.rng.choice(CLINIC_STREETS), self.rng.randint(1, 400)
            always, sometimes = CLINIC_SPECIALTIES[category]
            extra = self.rng.choice((None, *sometimes))
            self.merchant(
                prefix="52" if self.rng.random() < 0.3 else "91",
                specialties="；".join(always + ((extra,) if extra else ())),
                kind=Merchant.Kind.CLINIC,
                category=category,
                name_zh=name_zh,
                name_en=name_en,
                precinct=self.yuexiu,
                **self.address(street, number, self.rng.choice(FLOORS)),
            )

    def address(self, street, number, floor):
        """A street address in Chinese and in English (no random draw)."""
        return {
            "address": f"广州市越秀区{street}{number}号{floor}",
            "address_en": f"{FLOORS_EN[floor]}, {number} {STREETS_EN[street]}, {DISTRICT_EN}",
        }

    # Licences ----------------------------------------------------------------

    def term(self, years):
        """(issued_on, expires_on) of a licence valid ``years``: mostly valid, some not."""
        status = self.rng.choices(("valid", "expiring", "expired"), (90, 4, 6))[0]
        if status == "valid":
            days = self.rng.randint(settings.CREDIT_LICENCE_EXPIRING_DAYS + 1, years * 365 - 30)
        elif status == "expiring":
            days = self.rng.randint(0, settings.CREDIT_LICENCE_EXPIRING_DAYS)
        else:
            days = -self.rng.randint(1, 400)
        expires_on = self.today + datetime.timedelta(days=days)
        issued_on = dates.add_months(expires_on, -12 * years) + datetime.timedelta(days=1)
        return issued_on, expires_on

    def licence(self, merchant, kind, number, issuer, issued_on, expires_on):
        licence = Licence(
            merchant=merchant,
            kind=kind,
            number=number,
            issuer=issuer,
            issued_on=issued_on,
            expires_on=expires_on,
        )
        self.plan.licences.append(licence)
        return licence

    def licences(self):
        for merchant in self.plan.merchants:
            group = self.groups[merchant.code]
            # The business licence carries the credit code as its number.
            issuer = CIVIL_AFFAIRS if merchant.code.startswith("52") else MARKET_SUPERVISION
            if merchant.code.startswith("91") and self.rng.random() < 0.25:
                issued_on, expires_on = self.term(10)
            else:
                issued_on, expires_on = self.ago(self.rng.randint(200, 5000)), None
            # Registered before the first inspection the demo can have made.
            issued_on = min(issued_on, self.ago(HISTORY_DAYS))
            self.licence(
                merchant, Licence.Kind.BUSINESS, merchant.code, issuer, issued_on, expires_on
            )
            if group == "shop":
                continue
            if group == "clinic":
                kind, issuer = Licence.Kind.MEDICAL_PRACTICE, HEALTH_COMMISSION
            else:
                kind, issuer = Licence.Kind.FOOD_BUSINESS, MARKET_SUPERVISION
            issued_on, expires_on = self.term(5)
            if issued_on > self.ago(HISTORY_DAYS):
                # A renewal: the licence before it covers the inspections before it.
                self.licence(
                    merchant,
                    kind,
                    self.licence_number(merchant, kind, drawn=False),
                    issuer,
                    dates.add_months(issued_on, -60),
                    issued_on - datetime.timedelta(days=1),
                )
            licence = self.licence(
                merchant, kind, self.licence_number(merchant, kind), issuer, issued_on, expires_on
            )
            self.licence_of[merchant.code] = licence
            if expires_on < self.today and self.rng.random() < 0.5:
                # Renewed: the expired licence stays in the archive beside its successor.
                renewed_on = expires_on + datetime.timedelta(days=self.rng.randint(1, 20))
                renewed_on = min(renewed_on, self.today)
                self.licence_of[merchant.code] = self.licence(
                    merchant,
                    kind,
                    self.licence_number(merchant, kind),
                    issuer,
                    renewed_on,
                    dates.add_months(renewed_on, 60) - datetime.timedelta(days=1),
                )

    def licence_number(self, merchant, kind, drawn=True):
        """A fresh number; ``drawn=False`` takes no random draw, so adding one moves nothing."""
        serial = self.serial(kind)
        if kind == Licence.Kind.MEDICAL_PRACTICE:
            tail = self.rng.randint(1000, 9999) if drawn else 1000
            return f"PDY{serial:05d}{DIVISION}17D{tail}"
        body = "2" if merchant.kind == Merchant.Kind.RESTAURANT else "1"
        check = self.rng.randint(0, 9) if drawn else 0
        return f"JY{body}{DIVISION}{serial:06d}{check}"

    # Inspections -------------------------------------------------------------

    def authority(self, merchant):
        return HEALTH_COMMISSION if self.groups[merchant.code] == "clinic" else MARKET_SUPERVISION

    def inspection(self, merchant, days_ago, kind, result, findings):
        """Add an inspection unless that authority already made one of that kind that day.

        Returns whether it was added, so a follow-up is only made of a visit that was.
        """
        authority = self.authority(merchant)
        key = (merchant.code, days_ago, authority, kind)
        if key in self.inspection_keys:
            return False
        self.inspection_keys.add(key)
        self.plan.inspections.append(
            Inspection(
                merchant=merchant,
                inspected_on=self.ago(days_ago),
                authority=authority,
                kind=kind,
                result=result,
                findings=findings,
                summary_en=self.summary_of(findings),
            )
        )
        return True

    @staticmethod
    def summary_of(findings):
        """The English of a fixed finding, or of "<violation>，已立案调查。"."""
        if findings in SUMMARIES_EN:
            return SUMMARIES_EN[findings]
        violation = findings.removesuffix("，已立案调查。")
        if violation in SUMMARIES_EN:
            return f"{SUMMARIES_EN[violation]}; a case was opened."
        return ""

    def inspections(self):
        K, R = Inspection.Kind, Inspection.Result
        for merchant in self.plan.merchants:
            group = self.groups[merchant.code]
            weights = (0, 2, 4, 3, 1) if group == "clinic" else (1, 3, 3, 2, 1)
            for _ in range(self.rng.choices(range(5), weights)[0]):
                days = self.rng.randint(1, 3 * 365)
                kind = self.rng.choices((K.ROUTINE, K.RANDOM, K.COMPLAINT), (45, 40, 15))[0]
                result = self.rng.choices((R.PASS, R.RECTIFY, R.FAIL), (85, 12, 3))[0]
                added = self.inspection(
                    merchant, days, kind, result, self.rng.choice(FINDINGS[group][result])
                )
                gap = self.rng.randint(7, 30)
                if added and result != R.PASS and days - gap >= 1:
                    self.inspection(merchant, days - gap, K.FOLLOW_UP, R.PASS, FOLLOW_UP_FINDINGS)

    def licensed_on(self, licences, day):
        """Whether on ``day`` a licence of every kind the merchant holds was in force."""
        kinds = {licence.kind for licence in licences}
        return all(
            any(
                licence.issued_on <= day
                and (licence.expires_on is None or day <= licence.expires_on)
                and day < self.out_of_force_from.get(licence.number, datetime.date.max)
                for licence in licences
                if licence.kind == kind
            )
            for kind in kinds
        )

    def keep_findings_true(self):
        """An inspector only writes "licences in order" on a day they were.

        The findings are drawn before penalties suspend or revoke licences, so
        this runs last; it replaces the claim and draws nothing, so every other
        record stays as drawn.
        """
        licences = {}
        for licence in self.plan.licences:
            licences.setdefault(licence.merchant.code, []).append(licence)
        for inspection in self.plan.inspections:
            if not any(claim in inspection.findings for claim in LICENCE_CLAIMS):
                continue
            code = inspection.merchant.code
            if not self.licensed_on(licences.get(code, []), inspection.inspected_on):
                inspection.findings = NO_LICENCE_CLAIM[self.groups[code]]
                inspection.summary_en = self.summary_of(inspection.findings)

    # Penalties ---------------------------------------------------------------

    def penalties(self):
        """Penalise about 5% of merchants, one penalty each, in the PENALTY_CYCLE mix."""
        count = round(len(self.plan.merchants) * PENALISED_SHARE)
        measures = itertools.cycle(("confiscation", "suspension", "revocation"))
        targets = self.rng.sample(self.plan.merchants, count)
        for index, merchant in enumerate(targets):
            self.penalty(merchant, PENALTY_CYCLE[index % len(PENALTY_CYCLE)], measures)
        return {merchant.code for merchant in targets}

    def penalty(self, merchant, profile, measures):
        T, S = Penalty.Type, Penalty.Severity
        rng = self.rng
        licence = self.licence_of.get(merchant.code)
        severity, measure = S.GENERAL, "fine"
        if profile == "fine":
            days = rng.randint(10, 330)
        elif profile == "ended":
            days = rng.randint(400, 1000)
        elif profile == "warning":
            days, measure = rng.randint(10, 1000), "warning"
        elif profile == "serious":
            severity = S.SERIOUS
            measure = next(measures) if licence else "confiscation"
            days = rng.randint(3, 20) if measure == "suspension" else rng.randint(30, 1000)
        elif rng.random() < 0.5:  # repaired, serious
            severity, measure, days = S.SERIOUS, "confiscation", rng.randint(400, 1000)
        else:  # repaired, general
            days = rng.randint(120, 330)
        decided_on = self.ago(days)
        group = self.groups[merchant.code]
        violation = rng.choice(VIOLATIONS[group][severity])
        amount = rng.choice(
            (500, 1000, 2000, 3000, 5000)
            if severity == S.GENERAL
            else (10000, 20000, 50000, 100000)
        )
        if measure == "warning":
            types, outcome, amount = [T.WARNING], "警告", None
        elif measure == "fine" and rng.random() < 0.3:
            types, outcome = [T.WARNING, T.FINE], f"警告，并处罚款人民币{amount:,}元"
        elif measure == "fine":
            types, outcome = [T.FINE], f"罚款人民币{amount:,}元"
        elif measure == "confiscation":
            gain = rng.randint(5, 200) * 100
            types = [T.CONFISCATION, T.FINE]
            outcome = f"没收违法所得人民币{gain:,}元，并处罚款人民币{amount:,}元"
        elif measure == "suspension":
            types, outcome = [T.FINE, T.SUSPENSION], f"罚款人民币{amount:,}元，责令停业整顿三十日"
            licence.state = Licence.State.SUSPENDED
            self.out_of_force_from[licence.number] = decided_on
        else:
            title = "医疗机构执业许可证" if group == "clinic" else "食品经营许可证"
            types, outcome = [T.FINE, T.REVOCATION], f"罚款人民币{amount:,}元，吊销《{title}》"
            licence.state = Licence.State.REVOKED
            self.out_of_force_from[licence.number] = decided_on
        prefix = "穗越卫医罚" if group == "clinic" else "穗越市监罚"
        penalty = Penalty(
            merchant=merchant,
            decision_number=f"{prefix}〔{decided_on.year}〕{self.serial(prefix)}号",
            decided_on=decided_on,
            authority=self.authority(merchant),
            violation=violation,
            summary_en=SUMMARIES_EN[violation],
            penalty_types=types,
            outcome=outcome,
            fine_amount=None if amount is None else decimal.Decimal(amount),
            severity=severity,
        )
        share = rng.random()
        if profile == "repaired":
            self.repair(penalty, share)
        self.plan.penalties.append(penalty)
        # The inspection that found the violation, a few weeks before the decision.
        result = Inspection.Result.RECTIFY if measure == "warning" else Inspection.Result.FAIL
        self.inspection(
            merchant,
            days + rng.randint(10, 45),
            rng.choice((Inspection.Kind.COMPLAINT, Inspection.Kind.RANDOM)),
            result,
            f"{violation}，已立案调查。",
        )

    def repair(self, penalty, share):
        """Withdraw by credit repair on a day between repairable_from and today, while public."""
        start = penalty.repairable_from
        end = min(self.today, penalty.publicity_ends_on - datetime.timedelta(days=1))
        if start > end:
            return
        penalty.withdrawn_on = start + datetime.timedelta(
            days=int(share * ((end - start).days + 1))
        )
        penalty.withdrawal_kind = Penalty.WithdrawalKind.REPAIR
        penalty.withdrawal_reason = (
            "当事人已履行行政处罚决定并完成整改，作出信用承诺，"
            "最短公示期已满，经审核准予信用修复，停止公示。"
        )

    # Red and black lists -----------------------------------------------------

    def list_entry(self, merchant, list_name, reason, authority, listed_on, until, summary_en):
        self.plan.list_entries.append(
            ListEntry(
                merchant=merchant,
                list_name=list_name,
                reason=reason,
                summary_en=summary_en,
                authority=authority,
                listed_on=listed_on,
                until=until,
            )
        )

    def year_from(self, day):
        return dates.add_months(day, 12) - datetime.timedelta(days=1)

    def list_entries(self, penalised):
        L = ListEntry.List
        clean = [merchant for merchant in self.plan.merchants if merchant.code not in penalised]
        companies = [merchant for merchant in clean if merchant.code.startswith("91")]
        for merchant in self.rng.sample(companies, min(40, len(companies))):
            listed_on = self.ago(self.rng.randint(20, 330))
            reason = f"{listed_on.year - 1}年度纳税信用A级纳税人"
            self.list_entry(
                merchant,
                L.A_TAXPAYER,
                reason,
                TAX_BUREAU,
                listed_on,
                self.year_from(listed_on),
                f"Grade A taxpayer for {listed_on.year - 1}",
            )
            if self.rng.random() < 0.3:
                earlier = dates.add_months(listed_on, -12)
                reason = f"{earlier.year - 1}年度纳税信用A级纳税人"
                until = listed_on - datetime.timedelta(days=1)
                summary = f"Grade A taxpayer for {earlier.year - 1}"
                self.list_entry(merchant, L.A_TAXPAYER, reason, TAX_BUREAU, earlier, until, summary)
        members = [merchant for merchant in clean if merchant.association is not None]
        for merchant in self.rng.sample(members, min(30, len(members))):
            listed_on = self.ago(self.rng.randint(20, 330))
            association = merchant.association.name_zh
            reason = f"{association}{listed_on.year - 1}年度诚信示范会员（五星）"
            year, chamber = listed_on.year - 1, merchant.association.name_en
            summary = f"Five-star model member of the {chamber} for {year}"
            self.list_entry(
                merchant,
                L.MODEL_MEMBER,
                reason,
                association,
                listed_on,
                self.year_from(listed_on),
                summary,
            )
        shops = [merchant for merchant in clean if self.groups[merchant.code] != "clinic"]
        for index, merchant in enumerate(self.rng.sample(shops, min(12, len(shops)))):
            days, gap = self.rng.randint(30, 900), self.rng.randint(20, 200)
            # Every third has since been moved off the list.
            until = self.ago(days - gap) if index % 3 == 0 and days - gap >= 1 else None
            reason = ABNORMAL_REASONS[index % len(ABNORMAL_REASONS)]
            self.list_entry(
                merchant,
                L.ABNORMAL_OPERATION,
                reason,
                MARKET_SUPERVISION,
                self.ago(days),
                until,
                SUMMARIES_EN[reason],
            )
        markets = {market.slug for market in self.markets}
        for penalty in self.plan.penalties:
            if penalty.severity != Penalty.Severity.SERIOUS or penalty.withdrawn_on:
                continue
            merchant = penalty.merchant
            if merchant.precinct.slug in markets:
                listed_on = penalty.decided_on + datetime.timedelta(days=3)
                reason = f"一票否决：{penalty.violation}（{penalty.decision_number}）"
                self.list_entry(
                    merchant,
                    L.EXPOSURE_BOARD,
                    reason,
                    self.yide_chamber.name_zh,
                    listed_on,
                    self.year_from(listed_on),
                    f"One-vote veto after a serious penalty: {SUMMARIES_EN[penalty.violation]}",
                )
            if Penalty.Type.REVOCATION in penalty.penalty_types:
                listed_on = penalty.decided_on + datetime.timedelta(days=15)
                reason = f"因{penalty.violation}被吊销许可证，列入严重违法失信名单"
                until = dates.add_months(listed_on, 36) - datetime.timedelta(days=1)
                summary = f"Licence revoked for: {SUMMARIES_EN[penalty.violation]}"
                self.list_entry(
                    merchant,
                    L.SERIOUS_DISHONESTY,
                    reason,
                    penalty.authority,
                    listed_on,
                    until,
                    summary,
                )


def build(today):
    """The whole demo archive for ``today``, unsaved; the same records on every call."""
    builder = _Builder(today)
    builder.precincts()
    builder.street_shops()
    builder.market_stalls()
    builder.clinics()
    builder.licences()
    builder.inspections()
    penalised = builder.penalties()
    builder.list_entries(penalised)
    builder.keep_findings_true()
    return builder.plan


def existing_precincts():
    """Slugs of the demo's top precincts already in the database."""
    return list(Precinct.objects.filter(slug__in=PRECINCT_SLUGS).values_list("slug", flat=True))


def load(today=None):
    """Write the demo archive in one transaction, with its audit entries, and return it.

    Listeners such as the scan-page cache hear about every demo merchant once
    the transaction commits, as they would after save().
    """
    plan = build(today or dates.today())
    with transaction.atomic(), acting_as(None, SOURCE):
        # The English of every authority, specialty and term the demo uses.
        GlossaryTerm.objects.seed()
        for record in plan.precincts + plan.associations:
            record.save()
        for records in (
            plan.merchants,
            plan.licences,
            plan.inspections,
            plan.penalties,
            plan.list_entries,
        ):
            _bulk_create(records)
        merchant_ids = [merchant.pk for merchant in plan.merchants]
        transaction.on_commit(
            functools.partial(archive_changed.send, sender=Merchant, merchant_ids=merchant_ids)
        )
    return plan


_NOT_WITHDRAWN = {"withdrawn_on": None, "withdrawal_kind": "", "withdrawal_reason": ""}


def _bulk_create(records):
    """Insert in batches, then write each record's audit entries in batches too.

    A record loaded already withdrawn gets the history it would have had: a create
    entry without the withdrawal, then a withdraw entry with its reason.
    """
    if not records:
        return
    type(records[0]).objects.bulk_create(records, batch_size=BATCH_SIZE)
    AuditEntry.objects.record_many(_history(records), batch_size=BATCH_SIZE)


def _history(records):
    Action = AuditEntry.Action
    for record in records:
        after = record.audit_snapshot()
        if getattr(record, "withdrawn_on", None) is None:
            yield Change(record, Action.CREATE, after=after)
            continue
        withdrawal = {name: after[name] for name in _NOT_WITHDRAWN}
        yield Change(record, Action.CREATE, after={**after, **_NOT_WITHDRAWN})
        yield Change(
            record,
            Action.WITHDRAW,
            before=dict(_NOT_WITHDRAWN),
            after=withdrawal,
            reason=record.withdrawal_reason,
        )


def ensure_demo_user():
    """The demo staff login: created with the demo password if missing, else left alone."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": "demo@example.org", "is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def ensure_demo_merchant_user():
    """The demo portal login, holding a demo business with a public penalty to object to.

    Returns (user, merchant, created); an existing user is left as it is.
    """
    with_penalty = Penalty.objects.public().order_by("merchant__code").first()
    merchant = with_penalty.merchant if with_penalty else Merchant.objects.order_by("code").first()
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_MERCHANT_USERNAME, defaults={"email": "shop@example.org"}
    )
    if created:
        user.set_password(DEMO_MERCHANT_PASSWORD)
        user.save(update_fields=["password"])
        account = MerchantAccount.objects.create(user=user)
        if merchant is not None:
            account.merchants.add(merchant)
    return user, merchant, created
