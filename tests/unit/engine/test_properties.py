"""Properties over any text (hypothesis, bounded): the engine never raises, offsets stay inside."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.engine import Context, Engine
from moderation.engine import normalise as norm

CTX = Context(site="test", author_prior_comments=10)
# Any code point (lone surrogates too: the engine may be handed them by a caller that did not
# validate), and pieces that exercise its paths: profanity, disguises, references, names.
PIECES = st.sampled_from(
    ["fuck", "f u c k", "sh!t", "fuuuck", "f&#117;ck", "&amp;", "Dick Van Dyke", "@x", " ", ".",
     "\u0441", "\u00e9", "e\u0301", "\u200b", "\ufb01", "\U0001d41f", "1", "kill", "you are"]
)  # fmt: skip
TEXTS = st.lists(st.one_of(st.text(max_size=8), PIECES), max_size=30).map("".join)
BOUNDED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BOUNDED
@given(TEXTS)
def test_the_engine_decides_any_text_without_raising(engine: Engine, text: str) -> None:
    decision = engine.moderate(text, CTX)
    for reason in decision.reasons:
        # Every located reason points inside the original text, at the term it names.
        for start, end in reason.spans or ():
            assert 0 <= start <= end <= len(text)
        if reason.start is not None and reason.end is not None:
            assert 0 <= reason.start <= reason.end <= len(text)
            if reason.term is not None:
                assert text[reason.start : reason.end] == reason.term


@BOUNDED
@given(TEXTS)
def test_folded_offsets_always_map_inside_the_original_text(text: str) -> None:
    folded = norm.fold(text)
    offsets = norm.fold_map(text)
    for pos in range(len(folded)):
        start, end = (pos, pos + 1) if offsets is None else offsets.span(pos, pos + 1)
        assert 0 <= start < end <= len(text)
