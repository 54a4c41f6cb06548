from django import template

from core.notes import shown

register = template.Library()


@register.filter
def shown_note(text):
    """A note the portal wrote (core/notes.py) in the reader's language; other text as is."""
    return shown(text)
