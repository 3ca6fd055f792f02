"""Report parameters refuse what their queries could not take, whichever report declares them."""

from __future__ import annotations

import pytest

from deskcore.contributions import Report
from deskcore.errors import ValidationError
from deskcore.reports import params

ECHO = Report(name="echo", title="Echo", run=lambda **values: [values], params={"word": "hola"})


def test_a_text_parameter_takes_text_and_its_default():
    assert params.load(ECHO, {"word": "adiós"}, strict=True) == {"word": "adiós"}
    assert params.load(ECHO, {}, strict=True) == {"word": "hola"}


@pytest.mark.parametrize("bad", ["a\x00b", "\ud800"], ids=["nul", "lone surrogate"])
def test_a_text_parameter_refuses_characters_no_database_stores(app, bad):
    with pytest.raises(ValidationError) as refused:
        params.load(ECHO, {"word": bad}, strict=True)
    assert refused.value.messages == {"word": ["contains characters that cannot be stored"]}
