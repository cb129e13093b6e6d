"""The one error type for a person's mistake.

A domain raises :class:`InputError` when the input it was given is outside what it accepts (an empty canvas,
a grid side past the cap, a NaN learning rate, a prompt over the character limit); its message says what was
wrong and states the limit, in words a user understands. The UI turns *only* this type into a message for the
user (``gr.Error``). Any other exception is a bug: the UI logs it with its traceback and shows a short
"internal error" note with an id that matches the log line (:func:`rlgen.ui.widgets.user_errors`).

The message is a template and its fields, ``InputError("Grid side must be 2–12, got {n}.", n=n)``, so that the UI
can say it in the reader's language (the Chinese of every template lives beside the UI's other texts, in
``rlgen/ui/zh``); ``str(error)`` is the English. As with the UI's ``tr``, a template without fields is taken as it is.

It subclasses ``ValueError`` so that code written against the standard library's convention still catches it.
"""

from __future__ import annotations


class InputError(ValueError):
    """Input outside what a function accepts; the message is meant for the person who gave it."""

    def __init__(self, template: str, **fields: object) -> None:
        self.template, self.fields = template, fields
        super().__init__(template.format(**fields) if fields else template)
