"""Chinese texts of the page, one module per tab: ``ZH`` maps the English text (placeholders included) that a
tab passes to :func:`rlgen.ui.i18n.tr` to its Chinese. Use the terms of the field as the Chinese articles do."""
