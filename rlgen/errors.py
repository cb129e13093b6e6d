"""The one error type for a person's mistake.

A domain raises :class:`InputError` when the input it was given is outside what it accepts (an empty canvas,
a grid side past the cap, a NaN learning rate, a prompt over the character limit); its message says what was
wrong and states the limit, in words a user understands. The UI turns *only* this type into a message for the
user (``gr.Error``). Any other exception is a bug: the UI logs it with its traceback and shows a short
"internal error" note with an id that matches the log line (:func:`rlgen.ui.widgets.user_errors`).

It subclasses ``ValueError`` so that code written against the standard library's convention still catches it.
"""

from __future__ import annotations


class InputError(ValueError):
    """Input outside what a function accepts; the message is meant for the person who gave it."""
