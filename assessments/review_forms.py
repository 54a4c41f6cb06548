"""The one form of a review-workflow step (annual reports and assessments)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TransitionForm(forms.Form):
    """The comment (return, approve) or reason (reopen) of a step and, when the step may lead to
    more than one state and the page lets the user choose, the state it leads to."""

    text = forms.CharField(
        label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args,
        takes_text=True,
        label=None,
        required=False,
        required_message=None,
        targets=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not takes_text:
            del self.fields["text"]
            return
        text = self.fields["text"]
        text.label = label or text.label
        text.required = required
        if required_message:
            text.error_messages["required"] = required_message
        if targets:
            label, choices = targets
            self.fields["to_state"] = forms.ChoiceField(
                label=label, choices=choices, initial=choices[0][0]
            )
