"""Portal forms: they validate input in the visitor's language; the models decide the rules."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from merchants.models import Attachment
from merchants.sign_in import ThrottledSignIn
from ratings.models import COMMENT_MAX_LENGTH


class SignInForm(ThrottledSignIn, AuthenticationForm):
    """Django's sign-in, refused while the account or the network is locked."""

    portal = "merchant"


class AccountForm(BaseUserCreationForm):
    """A new portal account from an invitation: Django's password validators apply."""

    class Meta(BaseUserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("Decisions and new reviews are sent here.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once; each is checked by content and size in ``clean``."""

    widget = MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(AttachmentsField, self).clean(item, initial) for item in files]
        files = [item for item in files if item]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        Attachment.check_files(files)
        return files


def _attachments(required):
    return AttachmentsField(
        label=_("Attachments"),
        required=required,
        help_text=_("PDF, PNG or JPEG files. They are seen by you and the deciding staff only."),
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this record wrong?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = _attachments(required=False)


class RepairForm(forms.Form):
    rectification = forms.CharField(
        label=_("What did you correct, and when?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    commitment = forms.CharField(
        label=_("Commitment letter"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your written promise to keep to the law from now on (信用承诺书)."),
    )
    attachments = _attachments(required=True)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your public reply"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown under the review on your public page, marked as the business's reply."),
    )
