"""The six kinds of import: their columns, natural keys and references.

Each kind knows how to read a row into model values, how to find the record a
row stands for (its natural key, matching the model's unique constraints) and
how to resolve what the row refers to (precinct, association, merchant) with a
few bulk queries rather than one per row.
"""

import functools
import itertools
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from merchants.models import (
    Association,
    Inspection,
    Licence,
    ListEntry,
    Merchant,
    Penalty,
    Precinct,
)

from . import values
from .columns import Column, header_key

QUERY_CHUNK = 5000
WRITE_BATCH = 2000


def chunked(items, size):
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


@dataclass
class Row:
    number: int
    values: dict


def column(model, name, *aliases, field=None, **options):
    """A Column whose length limit comes from the model field it fills."""
    try:
        model_field = model._meta.get_field(field or name)
    except FieldDoesNotExist:
        model_field = None
    if isinstance(model_field, models.CharField) and "max_length" not in options:
        options["max_length"] = model_field.max_length
    return Column(name, aliases, **options)


# The merchant a credit record belongs to, by credit code (double-publicity: 行政相对人代码_1;
# the earlier layout numbers _1 … _5 without notes, _1 being the credit code).
MERCHANT_CODE_ALIASES = (
    "统一社会信用代码",
    "行政相对人代码_1(统一社会信用代码)",
    "行政相对人代码(统一社会信用代码)",
    "行政相对人代码_1",
    "社会信用代码",
)
# A merchant's name as exports spell the column.
MERCHANT_NAME_ALIASES = (
    "名称",
    "商户名称",
    "中文名称",
    "行政相对人名称",
    "相对人名称",
    "市场主体名称",
    "企业名称",
    "单位名称",
    "当事人名称",
)


class Kind:
    """What every kind shares: building, matching and checking model instances."""

    name = ""
    model = None
    columns = ()
    key_fields = ()
    key_label = ""
    defaults = {}
    #: Whether the file may be checked and written a chunk at a time: no row
    #: refers to another row of the same file.
    streamed = True

    def __init__(self):
        self.headers = {}
        #: Who imports (None from the command line without --user); a kind may limit
        #: the rows this user may write.
        self.user = None

    def key(self, row_values):
        """The natural key, as in the model's unique field or constraint."""
        return tuple(row_values[name] for name in self.key_fields)

    def resolve(self, rows, report):
        """Turn references into primary keys; report and drop rows that refer to nothing."""
        return rows

    @functools.cached_property
    def attnames(self):
        return [field.attname for field in self.model._meta.concrete_fields]

    def existing(self, keys):
        """The stored records for these natural keys: key -> {attname: value}.

        Plain values, not instances: most rows of a re-import are unchanged, and
        building 100,000 model instances to find that out would double its time.
        """
        (name,) = self.key_fields
        return self._lookup(name, {key[0] for key in keys})

    def differs(self, stored, row_values):
        return any(stored[name] != value for name, value in row_values.items())

    def load(self, stored):
        """The model instance of a stored record, ready for audit_diff()."""
        return self.model.from_db(
            self.model.objects.db, self.attnames, [stored[name] for name in self.attnames]
        )

    def new(self, row_values):
        return self.model(**{**self.defaults, **row_values})

    def apply(self, obj, row_values):
        for name, value in row_values.items():
            setattr(obj, name, value)

    def validate(self, obj):
        """The model's own rules (Model.clean); they run no queries."""
        obj.clean()

    def pending(self, obj):
        """Whether ``obj`` has a change that is only known once earlier rows are written."""
        return False

    def create(self, objs):
        """Insert new records in batches, yielding each batch once it has primary keys.

        bulk_create calls each field's pre_save, so created_at and updated_at
        (auto_now_add, auto_now) are filled as on save().
        """
        for batch in chunked(objs, WRITE_BATCH):
            self.model.objects.bulk_create(batch)
            yield batch

    def settle(self, objs):
        """Fill in references to records created by this import."""

    def affected_merchant_ids(self, objs):
        """Merchants whose public page may show these records (one query at most)."""
        return {obj.merchant_id for obj in objs}

    def header(self, name):
        return self.headers.get(name, name)

    def _lookup(self, field, keys):
        found = {}
        for chunk in chunked(sorted(keys), QUERY_CHUNK):
            for stored in self.model.objects.filter(**{f"{field}__in": chunk}).values(
                *self.attnames
            ):
                found[self.key(stored)] = stored
        return found


class PrecinctKind(Kind):
    name = "precincts"
    model = Precinct
    # A parent may come anywhere in the file, and a loop only shows in the
    # whole: a precincts file (tens of rows in a district) is checked whole.
    streamed = False
    key_fields = ("slug",)
    key_label = gettext_lazy("slug")
    columns = (
        column(Precinct, "slug", "代码", "标识", read=values.slug, required=True),
        column(Precinct, "name_zh", "名称", "中文名称", required=True),
        column(Precinct, "name_en", "英文名称"),
        column(Precinct, "kind", "类型", read=values.precinct_kind, required=True),
        column(Precinct, "parent", "上级", "所属", read=values.slug),
        column(Precinct, "address", "地址"),
    )

    def __init__(self):
        super().__init__()
        self.stored = {}

    def resolve(self, rows, report):
        """Parents may be stored already or come anywhere in this file; no precinct in itself."""
        self.stored = {precinct.slug: precinct for precinct in Precinct.objects.all()}
        slug_of = {precinct.pk: slug for slug, precinct in self.stored.items()}
        while True:
            in_file = {row.values["slug"] for row in rows}
            parent_of = {slug: slug_of.get(p.parent_id) for slug, p in self.stored.items()}
            for row in reversed(rows):  # the first of duplicate rows is the one kept
                if "parent" in row.values:
                    parent_of[row.values["slug"]] = row.values["parent"] or None
            good = []
            for row in rows:
                parent = row.values.get("parent")
                if parent and parent not in in_file and parent not in self.stored:
                    report.bad(
                        row.number,
                        _("No precinct has the slug “%(slug)s”.") % {"slug": parent},
                        self.header("parent"),
                    )
                elif parent and self._inside_itself(row.values["slug"], parent_of):
                    report.bad(
                        row.number,
                        _("Precinct “%(slug)s” would lie within itself.")
                        % {"slug": row.values["slug"]},
                        self.header("parent"),
                    )
                else:
                    good.append(row)
            if len(good) == len(rows):
                return good
            rows = good

    @staticmethod
    def _inside_itself(slug, parent_of):
        seen, current = set(), parent_of.get(slug)
        while current is not None and current not in seen:
            if current == slug:
                return True
            seen.add(current)
            current = parent_of.get(current)
        return False

    def existing(self, keys):
        return {
            (slug,): {name: getattr(self.stored[slug], name) for name in self.attnames}
            for (slug,) in keys
            if slug in self.stored
        }

    def differs(self, stored, row_values):
        row_values = dict(row_values)
        if "parent" in row_values:
            parent = row_values.pop("parent")
            if parent and parent not in self.stored:
                return True  # a parent new in this file
            if (self.stored[parent].pk if parent else None) != stored["parent_id"]:
                return True
        return super().differs(stored, row_values)

    def load(self, stored):
        return self.stored[stored["slug"]]

    def _place(self, obj, row_values):
        row_values = dict(row_values)
        if "parent" in row_values:
            parent = row_values.pop("parent")
            obj._import_parent = None
            if not parent:
                obj.parent_id = None
            elif parent in self.stored:
                obj.parent_id = self.stored[parent].pk
            else:
                obj._import_parent = parent
        return row_values

    def new(self, row_values):
        obj = Precinct()
        super().apply(obj, self._place(obj, row_values))
        return obj

    def apply(self, obj, row_values):
        super().apply(obj, self._place(obj, row_values))

    def validate(self, obj):
        """Precinct.clean walks the parents with a query each; resolve() checked that."""

    def pending(self, obj):
        return getattr(obj, "_import_parent", None) is not None

    def create(self, objs):
        """Parents before children: insert level by level, as parent slugs become keys."""
        pk_of = {slug: precinct.pk for slug, precinct in self.stored.items()}
        waiting = list(objs)
        while waiting:
            ready = [obj for obj in waiting if not self.pending(obj) or obj._import_parent in pk_of]
            waiting = [obj for obj in waiting if obj not in ready]
            for obj in ready:
                if self.pending(obj):
                    obj.parent_id = pk_of[obj._import_parent]
            for batch in chunked(ready, WRITE_BATCH):
                Precinct.objects.bulk_create(batch)
                pk_of.update({obj.slug: obj.pk for obj in batch})
                yield batch
        self.created = pk_of

    def settle(self, objs):
        for obj in objs:
            if self.pending(obj):
                obj.parent_id = self.created[obj._import_parent]

    def affected_merchant_ids(self, objs):
        precincts = [obj.pk for obj in objs]
        return set(Merchant.objects.filter(precinct__in=precincts).values_list("pk", flat=True))


class MerchantKind(Kind):
    name = "merchants"
    model = Merchant
    key_fields = ("code",)
    key_label = gettext_lazy("credit code")
    columns = (
        column(Merchant, "code", *MERCHANT_CODE_ALIASES, read=values.code, required=True),
        column(Merchant, "name_zh", *MERCHANT_NAME_ALIASES, required=True),
        column(Merchant, "name_en", "英文名称"),
        column(Merchant, "kind", "类型", "商户类型", read=values.merchant_kind, required=True),
        column(
            Merchant, "category", "类别", "经营类别", read=values.merchant_category, required=True
        ),
        column(Merchant, "precinct", "街区", "市场", read=values.slug, required=True),
        column(Merchant, "stall", "档口号", "铺位号"),
        column(Merchant, "address", "地址", "经营场所"),
        column(Merchant, "address_en", "英文地址"),
        column(Merchant, "association", "商会", read=values.slug),
        column(Merchant, "specialties", "诊疗科目"),
    )

    def affected_merchant_ids(self, objs):
        return {obj.pk for obj in objs}

    @functools.cached_property
    def references(self):
        """(precinct pk by slug, association pk by slug), read once per import."""
        return (
            dict(Precinct.objects.values_list("slug", "pk")),
            dict(Association.objects.values_list("slug", "pk")),
        )

    def resolve(self, rows, report):
        precincts, associations = self.references
        good = []
        for row in rows:
            precinct = row.values.pop("precinct")
            if precinct not in precincts:
                report.bad(
                    row.number,
                    _("No precinct has the slug “%(slug)s”.") % {"slug": precinct},
                    self.header("precinct"),
                )
                continue
            row.values["precinct_id"] = precincts[precinct]
            if "association" in row.values:
                association = row.values.pop("association")
                if association and association not in associations:
                    report.bad(
                        row.number,
                        _("No trade association has the slug “%(slug)s”.") % {"slug": association},
                        self.header("association"),
                    )
                    continue
                row.values["association_id"] = associations.get(association)
            good.append(row)
        return good


class RecordKind(Kind):
    """Licences, inspections, penalties and list entries: each belongs to a merchant by code."""

    def resolve(self, rows, report):
        codes = {row.values["code"] for row in rows}
        merchant_of = {}
        for chunk in chunked(sorted(codes), QUERY_CHUNK):
            merchant_of.update(Merchant.objects.filter(code__in=chunk).values_list("code", "pk"))
        good = []
        for row in rows:
            code = row.values.pop("code")
            if code not in merchant_of:
                report.bad(
                    row.number,
                    _("No merchant has the credit code %(code)s; import the merchant first.")
                    % {"code": code},
                    self.header("code"),
                )
                continue
            row.values["merchant_id"] = merchant_of[code]
            good.append(row)
        return good

    def existing(self, keys):
        if len(self.key_fields) == 1:
            return super().existing(keys)
        # A composite key starts with the merchant: fetch those merchants' records.
        return self._lookup("merchant_id", {key[0] for key in keys})


def _licence_kind_for(header):
    """Our ``kind`` column takes codes strictly; a certificate name falls back to "other"."""
    return values.licence_kind_strict if header_key(header) == "kind" else values.licence_kind


class LicenceKind(RecordKind):
    name = "licences"
    model = Licence
    key_fields = ("number",)
    key_label = gettext_lazy("licence number")
    defaults = {"kind": Licence.Kind.OTHER}
    columns = (
        column(Licence, "code", *MERCHANT_CODE_ALIASES, read=values.code, required=True),
        column(
            Licence,
            "number",
            "行政许可决定书文号",
            "行政许可决定文书号",
            "许可编号",
            "许可证书编号",
            required=True,
        ),
        column(Licence, "kind", "许可证书名称", "许可类别", for_header=_licence_kind_for),
        column(Licence, "issuer", "许可机关", required=True),
        column(Licence, "issued_on", "许可决定日期", read=values.optional_date, required=True),
        column(Licence, "expires_on", "许可截止期", "有效期至", read=values.optional_date),
        column(Licence, "state", "当前状态", read=values.licence_state),
    )


class InspectionKind(RecordKind):
    name = "inspections"
    model = Inspection
    key_fields = ("merchant_id", "inspected_on", "authority", "kind")
    key_label = gettext_lazy("merchant, date, authority and kind")
    columns = (
        column(Inspection, "code", *MERCHANT_CODE_ALIASES, read=values.code, required=True),
        column(Inspection, "inspected_on", "检查日期", read=values.optional_date, required=True),
        column(Inspection, "authority", "检查机关", "检查实施机关", required=True),
        column(
            Inspection, "kind", "检查类型", "检查方式", read=values.inspection_kind, required=True
        ),
        column(Inspection, "result", "检查结果", read=values.inspection_result, required=True),
        column(Inspection, "findings", "检查情况", "发现问题"),
        column(Inspection, "summary_en", "英文摘要"),
    )


def _fine_for(header):
    """罚款金额 is in yuan unless its header says 万元 (ten thousand yuan)."""
    scale = 10000 if "万元" in header_key(header) else 1
    return lambda raw: values.amount(raw, scale)


class PenaltyKind(RecordKind):
    name = "penalties"
    model = Penalty
    key_fields = ("decision_number",)
    key_label = gettext_lazy("decision number")
    columns = (
        column(Penalty, "code", *MERCHANT_CODE_ALIASES, read=values.code, required=True),
        column(Penalty, "decision_number", "行政处罚决定书文号", required=True),
        column(
            Penalty,
            "decided_on",
            "处罚决定日期",
            "处罚生效期",  # the earlier layout's name for it
            read=values.optional_date,
            required=True,
        ),
        column(Penalty, "authority", "处罚机关", required=True),
        column(
            Penalty,
            "violation",
            "处罚事由",
            "违法事实",
            "违法行为类型",
            "主要违法事实",
            required=True,
        ),
        column(
            Penalty,
            "penalty_types",
            "处罚类别",
            read=values.penalty_types,
            required=True,
            numbered=True,  # the earlier layout's 处罚类别1, 处罚类别2
        ),
        column(Penalty, "basis", "处罚依据"),
        column(Penalty, "outcome", "处罚结果", "处罚内容"),
        column(Penalty, "fine_amount", "罚款金额", for_header=_fine_for),
        column(Penalty, "severity", "严重程度", "处罚严重程度", read=values.severity),
        column(Penalty, "summary_en", "英文摘要"),
    )

    def validate(self, obj):
        """The model's rules; but a file that states the penalty imposed (处罚结果) in
        words and has no fine column need not give a fine's amount as a number.

        The earlier national layout states a fine only there ("罚款人民币五千元");
        that text is imported and shown, and refusing every fine of such a file
        would keep all of them off the record.
        """
        try:
            obj.clean()
        except ValidationError as error:
            only_amount = hasattr(error, "error_dict") and set(error.error_dict) == {"fine_amount"}
            in_words = "outcome" in self.headers and "fine_amount" not in self.headers
            if not (only_amount and in_words and obj.outcome):
                raise


class ListEntryKind(RecordKind):
    name = "lists"
    model = ListEntry
    key_fields = ("merchant_id", "list_name", "listed_on")
    key_label = gettext_lazy("merchant, list and start date")
    columns = (
        column(ListEntry, "code", *MERCHANT_CODE_ALIASES, read=values.code, required=True),
        column(ListEntry, "list_name", "名单", "名单类型", read=values.list_name, required=True),
        column(ListEntry, "reason", "列入原因", "认定依据", required=True),
        column(ListEntry, "authority", "认定机关", "列入机关"),
        column(ListEntry, "listed_on", "列入日期", read=values.optional_date, required=True),
        column(ListEntry, "until", "有效期至", "移出日期", read=values.optional_date),
        column(ListEntry, "summary_en", "英文摘要"),
    )


KINDS = {
    kind.name: kind
    for kind in (
        PrecinctKind,
        MerchantKind,
        LicenceKind,
        InspectionKind,
        PenaltyKind,
        ListEntryKind,
    )
}
