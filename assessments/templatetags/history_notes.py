from django import template

from ..history_notes import shown

register = template.Library()


@register.filter
def shown_note(text):
    """A note the portal wrote (assessments/history_notes.py) in the reader's language."""
    return shown(text)
